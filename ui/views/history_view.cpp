#include "views/history_view.h"

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>

#include <filesystem>

#include "charts/chart_style.h"
#include "models/run_comparison.h"
#include "models/run_history_model.h"
#include "views/view_context.h"

namespace shardsim::ui {

HistoryView::HistoryView(ViewContext* context, QWidget* parent)
    : AnalysisView(context, parent)
    , m_model(new RunHistoryModel(this))
    , m_table(new QTableView(this))
    , m_details(new QTextBrowser(this))
    , m_location(new QLabel(this))
{
    setObjectName(QStringLiteral("history"));
    setWindowTitle(tr("History"));
    QAction* first = toolBar()->actions().constFirst();
    m_reopen = new QAction(tr("Reopen"), this);
    m_reopen->setToolTip(tr("Show the selected run in every view and its scenario in the editor"));
    m_delete = new QAction(tr("Delete"), this);
    m_delete->setToolTip(tr("Remove the selected runs from the history"));
    auto* refreshAction = new QAction(tr("Refresh"), this);
    toolBar()->insertAction(first, m_reopen);
    toolBar()->insertAction(first, m_delete);
    toolBar()->insertAction(first, refreshAction);
    m_location->setContentsMargins(8, 0, 8, 0);
    m_location->setForegroundRole(QPalette::PlaceholderText);
    toolBar()->insertWidget(first, m_location);

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_details->setFrameShape(QFrame::NoFrame);
    m_details->document()->setDocumentMargin(10);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    m_page = splitter;
    setContent(splitter);

    connect(m_reopen, &QAction::triggered, this, [this] {
        const auto runs = selectedRuns();
        if (!runs.empty())
            this->context()->requestReopen(runs.front());
    });
    connect(m_table, &QTableView::doubleClicked, m_reopen, &QAction::trigger);
    connect(m_delete, &QAction::triggered, this, [this] { deleteSelected(true); });
    connect(refreshAction, &QAction::triggered, this, &HistoryView::refresh);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryView::showSelection);
    // Reading the file waits until the view is looked at: a run that just ended must not stall the window.
    connect(context, &ViewContext::historyChanged, this, &HistoryView::requestRefresh);
}

void HistoryView::refresh()
{
    const QString path = context()->historyPath();
    if (path.isEmpty()) {
        m_history.reset();
        m_model->setRecords({});
        m_location->setText(QString());
        setNotice(tr("Runs are not being recorded: there is no run history file."));
        showSelection();
        return;
    }
    if (!m_history || m_openPath != path) {
        m_history.reset();
        // Read-only, so a history this user may not write still lists; a missing one is created to record into.
        const std::filesystem::path file = path.toStdString();
        auto history = std::filesystem::exists(file) ? RunHistory::openReadOnly(file) : RunHistory::open(file);
        if (!history) {
            m_model->setRecords({});
            setNotice(QString::fromStdString(history.error()));
            showSelection();
            return;
        }
        m_history.emplace(std::move(history.value()));
        m_openPath = path;
    }
    auto runs = m_history->list();
    if (!runs) {
        setNotice(QString::fromStdString(runs.error()));
        return;
    }
    auto previous = selectedRuns();
    // A run that was just recorded is what the user wants to see.
    if (const auto& snapshot = context()->snapshot(); snapshot && snapshot->historyRunId != m_shownRecordedRun) {
        m_shownRecordedRun = snapshot->historyRunId;
        if (m_shownRecordedRun != 0)
            previous = { m_shownRecordedRun };
    }
    m_model->setRecords(std::move(runs.value()));
    m_location->setText(path);
    setNotice(m_model->rowCount() == 0 ? tr("No runs yet. Every run you make (F5) is kept here to reopen and compare.")
                                       : QString());
    // Keep the selection across a refresh; a new history starts with its newest run selected.
    QItemSelection selection;
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (std::find(previous.begin(), previous.end(), m_model->record(row)->id) != previous.end())
            selection.select(m_model->index(row, 0), m_model->index(row, RunHistoryModel::ColumnCount - 1));
    if (selection.isEmpty() && m_model->rowCount() > 0)
        selection.select(m_model->index(0, 0), m_model->index(0, RunHistoryModel::ColumnCount - 1));
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    m_table->resizeColumnsToContents();
    showSelection();
}

std::vector<int64_t> HistoryView::selectedRuns() const
{
    std::vector<int64_t> runs;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        if (const RunRecord* record = m_model->record(index.row()))
            runs.push_back(record->id);
    std::sort(runs.begin(), runs.end());
    return runs;
}

void HistoryView::showSelection()
{
    const auto runs = selectedRuns();
    m_reopen->setEnabled(runs.size() == 1);
    m_delete->setEnabled(!runs.empty());
    const QString muted = palette().color(QPalette::PlaceholderText).name();
    if (!m_history || runs.empty() || runs.size() > 2) {
        m_details->setHtml(
            runs.size() > 2 ? tr("<p>Select one run to read it, or two to compare them.</p>") : QString());
        return;
    }
    auto a = m_history->get(runs[0]);
    if (!a || !a->has_value()) {
        m_details->setPlainText(a ? tr("That run is no longer in the history.") : QString::fromStdString(a.error()));
        return;
    }
    if (runs.size() == 1) {
        m_details->setHtml(describeRunHtml(**a, muted));
        return;
    }
    auto b = m_history->get(runs[1]);
    if (!b || !b->has_value()) {
        m_details->setPlainText(b ? tr("That run is no longer in the history.") : QString::fromStdString(b.error()));
        return;
    }
    m_details->setHtml(compareRunsHtml(**a, **b, muted));
}

void HistoryView::deleteSelected(bool confirm)
{
    const auto runs = selectedRuns();
    if (runs.empty() || !m_history)
        return;
    if (confirm
        && QMessageBox::question(this, tr("Delete runs"),
               tr("Delete %1 from the history? This cannot be undone.")
                   .arg(countText(static_cast<qint64>(runs.size()), tr("run"), tr("runs"))))
            != QMessageBox::Yes)
        return;
    // The view reads through a read-only connection; deleting needs one that writes.
    auto writable = RunHistory::open(m_openPath.toStdString());
    if (!writable) {
        QMessageBox::warning(this, tr("Delete failed"), QString::fromStdString(writable.error()));
        return;
    }
    for (int64_t id : runs) {
        auto removed = writable->remove(id);
        if (!removed) {
            QMessageBox::warning(this, tr("Delete failed"), QString::fromStdString(removed.error()));
            break;
        }
    }
    m_table->clearSelection();
    context()->notifyHistoryChanged();
}

QString HistoryView::csv() const { return m_model->rowCount() > 0 ? m_model->csv() : QString(); }

} // namespace shardsim::ui
