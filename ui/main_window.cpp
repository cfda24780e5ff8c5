#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStatusBar>
#include <QTextBlock>

#include "editor/yaml_highlighter.h"
#include "resources.h"
#include "scenario_document.h"
#include "shardsim/rules/rule_factory.h"
#include "views/outline_view.h"

namespace shardsim::ui {

namespace {
    constexpr auto kBuiltInExample = ":/scenarios/double-11-orders.yaml";
    constexpr int kLineRole = Qt::UserRole;
    constexpr int kColumnRole = Qt::UserRole + 1;
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_document(new ScenarioDocument(this))
{
    initShardsimResources();
    m_editor = new QPlainTextEdit(this);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setTabChangesFocus(false);
    new YamlHighlighter(m_editor->document());

    m_outline = new OutlineView(this);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_editor);
    splitter->addWidget(m_outline);
    splitter->setStretchFactor(0, 5);
    splitter->setStretchFactor(1, 4);
    setCentralWidget(splitter);

    m_problems = new QListWidget(this);
    m_problems->setObjectName("problems");
    auto* dock = new QDockWidget(tr("Problems"), this);
    dock->setObjectName("problemsDock");
    dock->setWidget(m_problems);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    resizeDocks({ dock }, { 150 }, Qt::Vertical);

    createActions();

    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_loadingText)
            m_document->editText(m_editor->toPlainText());
        setWindowModified(!m_loadingText);
    });
    connect(m_document, &ScenarioDocument::textReplaced, this, [this] {
        m_loadingText = true;
        m_editor->setPlainText(m_document->text());
        m_loadingText = false;
        setWindowModified(false);
        updateTitle();
    });
    connect(m_document, &ScenarioDocument::validated, this, &MainWindow::showValidation);
    connect(m_problems, &QListWidget::itemActivated, this, &MainWindow::jumpToProblem);
    connect(m_problems, &QListWidget::itemClicked, this, &MainWindow::jumpToProblem);

    resize(1280, 800);
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open scenario"), QString(),
            tr("Scenarios (*.yaml *.yml *.json);;All files (*)"));
        if (!path.isEmpty())
            openFile(path);
    });
    file->addAction(tr("Open the &Double-11 example"), this, &MainWindow::openBuiltInExample);
    file->addAction(tr("&Save"), QKeySequence::Save, this, [this] {
        if (m_document->filePath().isEmpty()) {
            const QString path = QFileDialog::getSaveFileName(this, tr("Save scenario"), QString(),
                tr("Scenarios (*.yaml *.yml)"));
            if (!path.isEmpty() && saveTo(path))
                openFile(path);
        } else {
            saveTo(m_document->filePath());
        }
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Rules"), this, [this] {
        QString text;
        for (const RuleInfo& info : ruleCatalog())
            text += QStringLiteral("<p><code>%1</code><br>%2</p>")
                        .arg(QString::fromStdString(info.synopsis).toHtmlEscaped(),
                            QString::fromStdString(info.summary).toHtmlEscaped());
        QMessageBox::information(this, tr("Shard rules"), text);
    });
    help->addAction(tr("&About shardsim"), this, [this] {
        QMessageBox::about(this, tr("About shardsim"),
            tr("<b>shardsim %1</b><p>Simulates sharded databases and plans their capacity.</p>")
                .arg(QStringLiteral(SHARDSIM_VERSION)));
    });
}

bool MainWindow::openFile(const QString& path)
{
    QString error;
    if (!m_document->openFile(path, &error)) {
        statusBar()->showMessage(error);
        m_problems->clear();
        m_problems->addItem(error);
        return false;
    }
    return true;
}

void MainWindow::openBuiltInExample()
{
    QFile file(kBuiltInExample);
    file.open(QIODevice::ReadOnly);
    m_document->setText(QString::fromUtf8(file.readAll()), QStringLiteral("double-11-orders.yaml"));
}

bool MainWindow::saveTo(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(m_editor->toPlainText().toUtf8()) < 0) {
        QMessageBox::warning(this, tr("Save failed"), tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    setWindowModified(false);
    statusBar()->showMessage(tr("Saved %1").arg(path), 3000);
    return true;
}

void MainWindow::updateTitle()
{
    setWindowTitle(tr("%1[*] — shardsim").arg(m_document->displayName()));
}

void MainWindow::showValidation()
{
    const ScenarioLoad& load = m_document->load();
    m_outline->showLoad(load);
    m_problems->clear();
    for (const Diagnostic& diagnostic : load.diagnostics) {
        auto* item = new QListWidgetItem(QString::fromStdString(diagnostic.format()), m_problems);
        item->setData(kLineRole, diagnostic.line);
        item->setData(kColumnRole, diagnostic.column);
        item->setIcon(style()->standardIcon(QStyle::SP_MessageBoxCritical));
    }
    underlineErrors();
    if (load.ok()) {
        auto rule = makeRule(load.config->sharding.rule);
        statusBar()->showMessage(rule ? tr("Valid — %1 logical shards on %2 nodes")
                                            .arg((*rule)->shardCount())
                                            .arg(load.config->cluster.nodes)
                                      : tr("Valid"));
    } else {
        statusBar()->showMessage(tr("%n error(s)", nullptr, static_cast<int>(load.diagnostics.size())));
    }
}

void MainWindow::underlineErrors()
{
    QList<QTextEdit::ExtraSelection> selections;
    for (const Diagnostic& diagnostic : m_document->load().diagnostics) {
        if (diagnostic.line <= 0)
            continue;
        const QTextBlock block = m_editor->document()->findBlockByNumber(diagnostic.line - 1);
        if (!block.isValid())
            continue;
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(block);
        selection.cursor.movePosition(QTextCursor::StartOfBlock);
        selection.cursor.movePosition(
            QTextCursor::Right, QTextCursor::MoveAnchor, std::max(0, diagnostic.column - 1));
        selection.cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        selection.format.setUnderlineColor(QColor(0xd0, 0x30, 0x30));
        selection.format.setToolTip(QString::fromStdString(diagnostic.message));
        selections.append(selection);
    }
    m_editor->setExtraSelections(selections);
}

void MainWindow::jumpToProblem(QListWidgetItem* item)
{
    const int line = item->data(kLineRole).toInt();
    if (line <= 0)
        return;
    const QTextBlock block = m_editor->document()->findBlockByNumber(line - 1);
    QTextCursor cursor(block);
    cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor,
        std::min(std::max(0, item->data(kColumnRole).toInt() - 1), block.length() - 1));
    m_editor->setTextCursor(cursor);
    m_editor->setFocus();
}

} // namespace shardsim::ui
