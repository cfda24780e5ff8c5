#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>

#include "app_icon.h"
#include "app_settings.h"
#include "charts/chart_style.h"
#include "commands/run_actions.h"
#include "editor/code_editor.h"
#include "editor/editor_pane.h"
#include "editor/scenario_form.h"
#include "models/problems_model.h"
#include "lesson/example_library.h"
#include "lesson/lesson_panel.h"
#include "resources.h"
#include "scenario_document.h"
#include "shardsim/history/run_history.h"
#include "shardsim/rules/auto_range_rule.h"
#include "shardsim/rules/rule_factory.h"
#include "views/analysis_view.h"
#include "views/playback_bar.h"
#include "views/route_key_panel.h"
#include "views/run_status.h"
#include "views/view_context.h"

namespace shardsim::ui {

namespace {
    constexpr auto kBuiltInExample = "double-11-orders.yaml"; // what a first start shows
}

MainWindow::MainWindow(const MainWindowOptions& options, QWidget* parent)
    : QMainWindow(parent)
    , m_options(options)
    , m_settings(options.persistent ? std::make_unique<AppSettings>() : AppSettings::makeVolatile())
    , m_document(new ScenarioDocument(this))
    , m_context(new ViewContext(this))
    , m_controller(new RunController(this))
{
    initShardsimResources();
    m_examples = std::make_unique<ExampleLibrary>();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(appIcon());
    setAcceptDrops(true);
    setDockNestingEnabled(true);
    registerBuiltInViews(m_registry);

    m_editorPane = new EditorPane(m_document, this);
    setCentralWidget(m_editorPane);
    createDocks();
    createLessonDock();
    createActions();

    const QString history = historyPath();
    m_context->setHistoryPath(history);
    m_controller->setHistoryPath(m_options.recordRuns && m_settings->recordRuns() ? history : QString());

    connect(m_document, &ScenarioDocument::validated, this, &MainWindow::showValidation);
    connect(m_document, &ScenarioDocument::modificationChanged, this, &QMainWindow::setWindowModified);
    connect(m_document, &ScenarioDocument::replaced, this, [this] {
        // Results of another file must not be shown under this one's name; a reopened run brings its own.
        if (!m_reopening)
            m_controller->abandon();
        m_context->setSnapshot(m_controller->snapshot());
        updateTitle();
    });
    connect(m_controller, &RunController::snapshotChanged, m_context, &ViewContext::setSnapshot);
    connect(m_controller, &RunController::reopened, this, [this](const QString& text, const QString& name) {
        m_reopening = true;
        m_document->setText(text, name);
        m_reopening = false;
        statusBar()->showMessage(tr("Reopened %1 from the run history").arg(name), 5000);
    });
    connect(m_controller, &RunController::reopenFailed, this,
        [this](const QString& message) { QMessageBox::warning(this, tr("Cannot reopen the run"), message); });
    connect(m_context, &ViewContext::reopenRequested, this, [this](qint64 runId) {
        if (maybeSave())
            m_controller->reopenFromHistory(m_context->historyPath(), runId);
    });
    connect(m_context, &ViewContext::plotWidthChanged, this, [this](int width) {
        m_controller->setChartRequest(ChartRequest { width, m_context->selectedNode() });
    });
    connect(m_context, &ViewContext::selectedNodeChanged, this, [this](int node) {
        m_controller->setChartRequest(ChartRequest { m_context->plotWidth(), node });
        const auto& nodes = m_context->nodes();
        if (node >= 0 && node < static_cast<int>(nodes.size()))
            statusBar()->showMessage(tr("Selected %1").arg(QString::fromStdString(nodes[size_t(node)].name)), 3000);
    });
    connect(m_editorPane->form(), &ScenarioForm::editFailed, this,
        [this](const QString& message) { statusBar()->showMessage(message, 5000); });

    // The size screenshots are taken at; a smaller screen gets nine tenths of itself instead.
    QSize size(1600, 1000);
    if (options.persistent && screen())
        size = size.boundedTo(screen()->availableSize() * 9 / 10);
    resize(size);
    restoreLayout();
    updateTitle();
}

MainWindow::~MainWindow() = default;

QString MainWindow::historyPath() const
{
    if (!m_options.historyPath.isEmpty())
        return m_options.historyPath;
    if (!m_settings->historyPath().isEmpty())
        return m_settings->historyPath();
    auto path = defaultHistoryPath();
    return path ? QString::fromStdString(path->string()) : QString();
}

CodeEditor* MainWindow::editor() const { return m_editorPane->editor(); }

ScenarioForm* MainWindow::form() const { return m_editorPane->form(); }

void MainWindow::createDocks()
{
    // Views own the right side from top to bottom; problems and the route tool sit under the editor.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);

    QDockWidget* first = nullptr;
    for (const ViewInfo& info : m_registry.views()) {
        AnalysisView* view = info.create(m_context, this);
        auto* dock = new QDockWidget(info.title, this);
        dock->setObjectName(info.id + QStringLiteral("Dock"));
        dock->setToolTip(info.description);
        dock->setWidget(view);
        addDockWidget(Qt::RightDockWidgetArea, dock);
        if (first)
            tabifyDockWidget(first, dock);
        else
            first = dock;
        m_viewDocks[info.id] = dock;
        m_views[info.id] = view;
        connect(dock, &QDockWidget::visibilityChanged, this, [this, view](bool visible) {
            view->setOnScreen(visible);
            if (visible)
                m_activeView = view;
        });
    }
    if (first) {
        first->raise();
        m_activeView = m_views[m_registry.views().front().id];
    }

    m_problemsModel = new ProblemsModel(this);
    m_problemsView = new QListView(this);
    m_problemsView->setObjectName(QStringLiteral("problems"));
    m_problemsView->setModel(m_problemsModel);
    m_problemsView->setWordWrap(true);
    m_problemsView->setUniformItemSizes(false);
    m_problemsDock = new QDockWidget(tr("Problems"), this);
    m_problemsDock->setObjectName(QStringLiteral("problemsDock"));
    m_problemsDock->setWidget(m_problemsView);
    addDockWidget(Qt::BottomDockWidgetArea, m_problemsDock);
    connect(m_problemsView, &QListView::activated, this, &MainWindow::jumpToProblem);
    connect(m_problemsView, &QListView::clicked, this, &MainWindow::jumpToProblem);

    m_route = new RouteKeyPanel(m_context, this);
    m_routeDock = new QDockWidget(tr("Route a key"), this);
    m_routeDock->setObjectName(QStringLiteral("routeDock"));
    m_routeDock->setWidget(m_route);
    addDockWidget(Qt::BottomDockWidgetArea, m_routeDock);
    tabifyDockWidget(m_problemsDock, m_routeDock);
    m_problemsDock->raise();

    m_playback = new PlaybackBar(m_context, this);
    auto* playbackBar = new QToolBar(tr("Playback"), this);
    playbackBar->setObjectName(QStringLiteral("playbackToolBar"));
    playbackBar->addWidget(m_playback);
    playbackBar->setMovable(false);
    addToolBar(Qt::BottomToolBarArea, playbackBar);

    if (first)
        resizeDocks({ first }, { 1000 }, Qt::Horizontal);
    resizeDocks({ m_problemsDock }, { 170 }, Qt::Vertical);
}

void MainWindow::createActions()
{
    auto* toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open…"), this, [this] {
        if (!maybeSave())
            return;
        const QString path = QFileDialog::getOpenFileName(this, tr("Open scenario"), m_settings->lastDirectory(),
            tr("Scenarios (*.yaml *.yml *.json);;All files (*)"));
        if (!path.isEmpty())
            openFile(path);
    });
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    addExamplesMenu(file);
    file->addSeparator();
    QAction* saveAction
        = file->addAction(style()->standardIcon(QStyle::SP_DialogSaveButton), tr("&Save"), this, [this] { save(); });
    saveAction->setShortcut(QKeySequence::Save);
    file->addAction(tr("Save &As…"), QKeySequence::SaveAs, this, [this] { saveAs(); });
    file->addSeparator();
    QMenu* exportMenu = file->addMenu(tr("&Export Current View"));
    exportMenu->addAction(tr("Chart as &PNG…"), this, [this] { exportActiveView(QStringLiteral("png")); });
    exportMenu->addAction(tr("Chart as &SVG…"), this, [this] { exportActiveView(QStringLiteral("svg")); });
    exportMenu->addAction(tr("Data as &CSV…"), this, [this] { exportActiveView(QStringLiteral("csv")); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    toolBar->addAction(open);
    toolBar->addAction(saveAction);
    toolBar->addSeparator();

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    CodeEditor* text = m_editorPane->editor();
    QTextDocument* document = m_document->textDocument();
    QAction* undo = edit->addAction(tr("&Undo"), QKeySequence::Undo, document, [document] { document->undo(); });
    QAction* redo = edit->addAction(tr("&Redo"), QKeySequence::Redo, document, [document] { document->redo(); });
    undo->setEnabled(false);
    redo->setEnabled(false);
    connect(document, &QTextDocument::undoAvailable, undo, &QAction::setEnabled);
    connect(document, &QTextDocument::redoAvailable, redo, &QAction::setEnabled);
    // The editor has its own Ctrl+Z; these make the same stack reachable from the form and the menu.
    undo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    redo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    edit->addSeparator();
    edit->addAction(tr("Cu&t"), QKeySequence::Cut, text, &QPlainTextEdit::cut);
    edit->addAction(tr("&Copy"), QKeySequence::Copy, text, &QPlainTextEdit::copy);
    edit->addAction(tr("&Paste"), QKeySequence::Paste, text, &QPlainTextEdit::paste);
    edit->addAction(tr("Select &All"), QKeySequence::SelectAll, text, &QPlainTextEdit::selectAll);
    for (QAction* action : edit->actions())
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addActions(edit->actions());

    m_runActions = new RunActions(
        m_controller, m_settings.get(),
        [this]() -> std::shared_ptr<const ScenarioConfig> {
            return m_document->load().ok() ? m_document->config() : nullptr;
        },
        this);
    m_runActions->addTo(menuBar()->addMenu(tr("&Run")), toolBar);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    for (const ViewInfo& info : m_registry.views()) {
        QAction* toggle = m_viewDocks[info.id]->toggleViewAction();
        m_viewMenu->addAction(toggle);
    }
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_problemsDock->toggleViewAction());
    m_viewMenu->addAction(m_routeDock->toggleViewAction());
    m_viewMenu->addAction(m_lessonDock->toggleViewAction());
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(tr("&Reset Layout"), this, &MainWindow::resetLayout);
    int number = 1;
    for (const ViewInfo& info : m_registry.views())
        m_viewDocks[info.id]->toggleViewAction()->setShortcut(QKeySequence(QStringLiteral("Alt+%1").arg(number++)));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("Shard &Rules"), this, [this] {
        QString rules;
        for (const RuleInfo& info : ruleCatalog())
            rules += QStringLiteral("<p><code>%1</code><br>%2</p>")
                         .arg(QString::fromStdString(info.synopsis).toHtmlEscaped(),
                             QString::fromStdString(info.summary).toHtmlEscaped());
        QMessageBox::information(this, tr("Shard rules"), rules);
    });
    help->addAction(tr("&About shardsim"), this, [this] {
        QMessageBox::about(this, tr("About shardsim"),
            tr("<b>shardsim %1</b><p>Simulates sharded databases and plans their capacity.</p>")
                .arg(QStringLiteral(SHARDSIM_VERSION)));
    });

    m_runStatus = new RunStatus(m_controller, this);
    m_validation = new QLabel(this);
    m_validation->setObjectName(QStringLiteral("validationSummary"));
    statusBar()->addWidget(m_validation, 1);
    statusBar()->addPermanentWidget(m_runStatus);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = m_settings->recentFiles();
    for (int i = 0; i < files.size(); ++i) {
        const QString& path = files[i];
        m_recentMenu
            ->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()), this,
                [this, path] {
                    if (maybeSave() && !openFile(path))
                        m_settings->removeRecentFile(path);
                })
            ->setToolTip(path);
    }
    if (files.isEmpty())
        m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("&Clear List"), this, [this] { m_settings->clearRecentFiles(); })
        ->setEnabled(!files.isEmpty());
}

bool MainWindow::openFile(const QString& path)
{
    QString error;
    if (!m_document->openFile(path, &error)) {
        statusBar()->showMessage(error, 8000);
        m_problemsModel->setMessage(error);
        return false;
    }
    if (m_options.persistent) {
        m_settings->addRecentFile(path);
        m_settings->setLastDirectory(QFileInfo(path).absolutePath());
    }
    return true;
}

void MainWindow::openBuiltInExample() { openExample(QString::fromLatin1(kBuiltInExample)); }

void MainWindow::openExample(const QString& fileName)
{
    QFile file(QStringLiteral(":/scenarios/") + fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        m_problemsModel->setMessage(tr("The example %1 is missing from this build.").arg(fileName));
        return;
    }
    // Examples have no file behind them: Save asks where to keep a copy.
    m_document->setText(QString::fromUtf8(file.readAll()), fileName);
}

bool MainWindow::startRun()
{
    if (!m_runActions->start()) {
        statusBar()->showMessage(tr("Fix the scenario's problems before running it."), 5000);
        return false;
    }
    return true;
}

bool MainWindow::showView(const QString& id)
{
    const auto it = m_viewDocks.find(id);
    if (it == m_viewDocks.end())
        return false;
    it->second->show();
    it->second->raise();
    m_activeView = m_views[id];
    return true;
}

AnalysisView* MainWindow::view(const QString& id) const
{
    const auto it = m_views.find(id);
    return it == m_views.end() ? nullptr : it->second;
}

QDockWidget* MainWindow::viewDock(const QString& id) const
{
    const auto it = m_viewDocks.find(id);
    return it == m_viewDocks.end() ? nullptr : it->second;
}

void MainWindow::exportActiveView(const QString& format)
{
    if (!m_activeView)
        return;
    if (format == QLatin1String("csv"))
        m_activeView->exportCsvInteractively();
    else
        m_activeView->exportImageInteractively(format);
}

bool MainWindow::maybeSave()
{
    if (!m_document->isModified())
        return true;
    const auto answer = QMessageBox::warning(this, tr("Unsaved changes"),
        tr("%1 has changes that are not saved. Save them first?").arg(m_document->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

bool MainWindow::save()
{
    if (m_document->filePath().isEmpty())
        return saveAs();
    QString error;
    if (!m_document->saveAs(m_document->filePath(), &error)) {
        QMessageBox::warning(this, tr("Save failed"), error);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(m_document->filePath()), 3000);
    return true;
}

bool MainWindow::saveAs()
{
    const QString suggested = m_document->filePath().isEmpty()
        ? m_settings->lastDirectory() + QLatin1Char('/') + m_document->displayName()
        : m_document->filePath();
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Save scenario"), suggested, tr("Scenarios (*.yaml *.yml)"));
    if (path.isEmpty())
        return false;
    QString error;
    if (!m_document->saveAs(path, &error)) {
        QMessageBox::warning(this, tr("Save failed"), error);
        return false;
    }
    m_settings->addRecentFile(path);
    m_settings->setLastDirectory(QFileInfo(path).absolutePath());
    updateTitle();
    statusBar()->showMessage(tr("Saved %1").arg(path), 3000);
    return true;
}

void MainWindow::updateTitle()
{
    setWindowTitle(tr("%1[*] — shardsim").arg(m_document->displayName()));
    setWindowFilePath(m_document->filePath());
}

void MainWindow::showValidation()
{
    const ScenarioLoad& load = m_document->load();
    m_problemsModel->setDiagnostics(load.diagnostics);
    m_context->setProblems(load.diagnostics);
    m_editorPane->editor()->setDiagnostics(load.diagnostics);
    if (load.ok()) {
        m_context->setScenario(m_document->config());
        const ScenarioLayout& layout = m_context->layout();
        const QString onNodes = tr("on %1").arg(countText(load.config->cluster.nodes, tr("node"), tr("nodes")));
        const QString logicalShards = countText(layout.shardCount(), tr("logical shard"), tr("logical shards"));
        QString summary = tr("Valid");
        if (layout.valid() && asAutoRange(layout.router()->rule()))
            // Its static layout is the ranges before the loaded table splits; the run decides how many there are.
            summary = tr("Valid — ranges that split, merge and move %1").arg(onNodes);
        else if (layout.valid() && layout.groupNames().empty())
            summary = tr("Valid — %1 %2").arg(logicalShards, onNodes);
        else if (layout.valid())
            summary = tr("Valid — %1 business databases, %2 %3").arg(layout.groupNames().size()).arg(logicalShards, onNodes);
        m_validation->setText(summary);
        m_problemsDock->setWindowTitle(tr("Problems"));
        if (!m_wasValid) // nothing to fix any more: the lesson, else the route tool, is the more useful tab
            (m_lessonDock->isHidden() ? m_routeDock : m_lessonDock)->raise();
    } else {
        const int errors = static_cast<int>(load.diagnostics.size());
        m_validation->setText(tr("%1: see the Problems list").arg(countText(errors, tr("problem"), tr("problems"))));
        m_problemsDock->setWindowTitle(tr("Problems (%1)").arg(errors));
        m_problemsDock->show();
        m_problemsDock->raise();
        if (!m_document->config())
            m_context->setScenario(nullptr);
    }
    m_wasValid = load.ok();
    m_runActions->update();
}

void MainWindow::jumpToProblem(const QModelIndex& index)
{
    m_editorPane->editor()->goToLine(
        index.data(ProblemsModel::LineRole).toInt(), index.data(ProblemsModel::ColumnRole).toInt());
}

void MainWindow::restoreLayout()
{
    m_defaultLayout = saveState(kLayoutVersion);
    if (!m_options.persistent)
        return;
    restoreGeometry(m_settings->windowGeometry());
    const QByteArray state = m_settings->windowState(kLayoutVersion);
    if (!state.isEmpty())
        restoreState(state, kLayoutVersion);
}

void MainWindow::saveLayout()
{
    if (!m_options.persistent)
        return;
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(saveState(kLayoutVersion), kLayoutVersion);
    m_settings->sync();
}

void MainWindow::resetLayout()
{
    for (const auto& [id, dock] : m_viewDocks)
        dock->show();
    restoreState(m_defaultLayout, kLayoutVersion);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    m_controller->abandon();
    saveLayout();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    if (maybeSave())
        openFile(urls.first().toLocalFile());
}

} // namespace shardsim::ui
