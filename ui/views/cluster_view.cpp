#include "views/cluster_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QtCharts/QChart>
#include <QtCharts/QLegend>

#include "charts/chart_style.h"
#include "charts/cluster_series.h"
#include "charts/time_series_chart.h"
#include "models/node_table_model.h"
#include "models/range_timeline.h"
#include "views/node_tiles_widget.h"
#include "views/view_context.h"

namespace shardsim::ui {

namespace {
    // A header that keeps room for the sort arrow in the sorted column only. Qt keeps an arrow's width free in every
    // column of a sortable table; over fourteen columns that is what pushes the last ones out of the window.
    class CompactHeader : public QHeaderView {
    public:
        explicit CompactHeader(QWidget* parent)
            : QHeaderView(Qt::Horizontal, parent)
        {
            connect(this, &QHeaderView::sortIndicatorChanged, this, [this](int section) {
                if (section >= 0 && section < count())
                    resizeSection(section, std::max(sectionSize(section), sectionSizeHint(section)));
            });
        }

    protected:
        QSize sectionSizeFromContents(int section) const override
        {
            QSize size = QHeaderView::sectionSizeFromContents(section);
            if (isSortIndicatorShown() && section != sortIndicatorSection())
                size.rwidth() -= size.height() + style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, this);
            return size;
        }
    };
}

ClusterView::ClusterView(ViewContext* context, QWidget* parent)
    : AnalysisView(context, parent)
    , m_tiles(new NodeTilesWidget(this))
    , m_scroll(new QScrollArea(this))
    , m_requests(new TimeSeriesChart(this))
    , m_latency(new TimeSeriesChart(this))
    , m_model(new NodeTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_time(new QLabel(this))
{
    setObjectName(QStringLiteral("cluster"));
    setWindowTitle(tr("Cluster"));
    m_time->setContentsMargins(6, 0, 6, 0);
    toolBar()->insertWidget(toolBar()->actions().constFirst(), m_time);

    m_scroll->setWidget(m_tiles);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);

    m_table->setHorizontalHeader(new CompactHeader(m_table));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(NodeTableModel::kSortRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(NodeTableModel::Name, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // Fitting columns to 1,024 rows would measure every one of them.
    m_table->horizontalHeader()->setResizeContentsPrecision(64);

    m_requests->chart()->setTitle(tr("Cluster requests/s: offered, served, shed"));
    m_requests->setAxisTitles(tr("requests/s"));
    m_latency->chart()->setTitle(tr("Latency of served requests, all nodes"));
    m_latency->setAxisTitles(tr("ms"));
    m_latency->setLeftScaled(false);
    auto* charts = new QSplitter(Qt::Horizontal, this);
    charts->addWidget(m_requests);
    charts->addWidget(m_latency);
    charts->setChildrenCollapsible(false);
    for (TimeSeriesChart* chart : { m_requests, m_latency }) {
        chart->chart()->legend()->setAlignment(Qt::AlignRight);
        connect(chart->chart(), &QChart::plotAreaChanged, this,
            [this, chart](const QRectF& area) { this->context()->reportPlotWidth(chart, int(area.width())); });
        connect(chart, &TimeSeriesChart::timeClicked, this, [this](double seconds) {
            if (const auto& snapshot = this->context()->snapshot())
                this->context()->setTick(static_cast<int64_t>(seconds / snapshot->tickSeconds));
        });
    }

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_scroll);
    splitter->addWidget(charts);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(2, 2);
    splitter->setSizes({ 400, 240, 240 });
    splitter->setChildrenCollapsible(false);
    setContent(splitter);

    connect(context, &ViewContext::scenarioChanged, this, &ClusterView::requestRefresh);
    connect(context, &ViewContext::snapshotChanged, this, &ClusterView::requestRefresh);
    connect(context, &ViewContext::tickChanged, this, &ClusterView::requestRefresh);
    connect(context, &ViewContext::selectedNodeChanged, this, &ClusterView::showSelection);
    connect(m_tiles, &NodeTilesWidget::nodeClicked, context, &ViewContext::setSelectedNode);
    connect(
        m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
            if (current.isValid())
                this->context()->setSelectedNode(m_proxy->mapToSource(current).row());
        });
}

QWidget* ClusterView::exportWidget() { return m_tiles; }

void ClusterView::refresh()
{
    const ViewContext& ctx = *context();
    const std::vector<NodeInfo>& nodes = ctx.nodes();
    const TickWindow* window = ctx.window();
    const RunSnapshotPtr& snapshot = ctx.snapshot();

    // Shards per node: the run's final placement once it has one, else the scenario's starting one.
    std::vector<QStringList> shardNames(nodes.size());
    if (snapshot && snapshot->result && !snapshot->result->shards.empty()) {
        for (const ShardSummary& shard : snapshot->result->shards)
            if (shard.node >= 0 && static_cast<size_t>(shard.node) < shardNames.size())
                shardNames[size_t(shard.node)].append(QString::fromStdString(shard.name));
    } else {
        const ScenarioLayout& layout = ctx.layout();
        for (size_t node = 0; node < nodes.size(); ++node)
            for (int shard : layout.shardsOf(static_cast<int>(node)))
                shardNames[node].append(QString::fromStdString(layout.shardName(shard)));
    }

    // Tiles and rows are grouped by region, or by business database (the two never meet in one scenario).
    const RunResult* result = snapshot ? snapshot->result.get() : nullptr;
    const ScenarioConfig* scenario = ctx.scenario();
    const std::vector<int> databaseOf = scenario ? scenario->databaseOfNodes() : std::vector<int>();
    const auto groupOf = [&](size_t node) {
        if (!nodes[node].region.empty())
            return QString::fromStdString(nodes[node].region);
        if (result && node < result->nodes.size()) // a finished run, maybe from the history
            return QString::fromStdString(result->nodes[node].database);
        if (scenario && !scenario->data.databases.empty() && node < databaseOf.size())
            return QString::fromStdString(scenario->data.databases[static_cast<size_t>(databaseOf[node])].name);
        return QString();
    };
    const bool byDatabase = result ? std::any_of(result->nodes.begin(), result->nodes.end(),
                                         [](const NodeSummary& node) { return !node.database.empty(); })
                                   : scenario && !scenario->data.databases.empty();
    m_model->setGroupTitle(byDatabase ? tr("Database") : tr("Region"));

    // An auto-range run's ranges move: each node's count is the one at the selected moment, not the final placement.
    const RangeWindowSummary* ranges = result && result->ranges
        ? rangeWindowAt(*result->ranges, static_cast<double>(ctx.tick()) * snapshot->tickSeconds)
        : nullptr;
    if (ranges)
        shardNames.assign(nodes.size(), QStringList());
    std::vector<NodeRow> rows(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i) {
        NodeRow& row = rows[i];
        row.name = QString::fromStdString(nodes[i].name);
        row.region = groupOf(i);
        row.shards = ranges ? rangesOnNode(*ranges, i) : static_cast<int>(shardNames[i].size());
        if (window)
            row.values = window->node(i);
    }
    const bool firstRows = m_model->rowCount() == 0 && !rows.empty();
    m_model->setCountsRanges(ranges != nullptr);
    m_tiles->setCountsRanges(ranges != nullptr);
    m_model->setHasValues(window != nullptr);
    m_model->setRows(rows);
    if (firstRows || (window && !m_sized)) {
        m_table->resizeColumnsToContents();
        m_sized = window != nullptr;
    } else if (window && snapshot && snapshot->phase != RunPhase::Running) {
        widenColumns(); // measuring every column ten times a second would keep the GUI thread from a running run
    }
    m_tiles->setStatuses(nodeStatusesAt(scenario, result,
        snapshot ? static_cast<double>(ctx.tick()) * snapshot->tickSeconds : -1.0, rows.size()));
    m_tiles->setNodes(std::move(rows), window != nullptr, std::move(shardNames));
    m_tiles->setSelectedNode(ctx.selectedNode());
    refreshCharts();

    if (window && snapshot)
        m_time->setText(
            tr("At %1 of %2")
                .arg(formatMoment(snapshot->clock, static_cast<double>(ctx.tick()) * snapshot->tickSeconds),
                    formatMoment(snapshot->clock, static_cast<double>(snapshot->tickCount) * snapshot->tickSeconds)));
    else
        m_time->setText(
            tr("%1 before the run").arg(countText(static_cast<qint64>(nodes.size()), tr("node"), tr("nodes"))));
    if (!ctx.layout().error().empty() && !window)
        setNotice(tr("The rule cannot be laid out: %1").arg(QString::fromStdString(ctx.layout().error())));
    else
        setNotice(QString());
}

void ClusterView::refreshCharts()
{
    const ViewContext& ctx = *context();
    const RunSnapshotPtr& snapshot = ctx.snapshot();
    const double duration = snapshot && snapshot->charts ? static_cast<double>(snapshot->tickCount) * snapshot->tickSeconds
        : ctx.scenario()                                ? ctx.scenario()->duration
                                                        : 1.0;
    const double marker = snapshot ? static_cast<double>(ctx.tick()) * snapshot->tickSeconds : -1.0;
    const bool show = snapshot && snapshot->charts && snapshot->ticksDone > 0;
    m_requests->parentWidget()->setVisible(show);
    for (TimeSeriesChart* chart : { m_requests, m_latency }) {
        chart->setDuration(duration, ctx.clock());
        chart->setSeries(!show                 ? std::vector<SeriesSpec>()
                : chart == m_requests ? requestSeries(*snapshot->charts)
                                      : latencySeries(*snapshot->charts));
        chart->setMarker(marker);
        chart->setEvents(eventMarks(ctx.scenario()));
    }
}

void ClusterView::widenColumns()
{
    // Numbers grow as a run goes on (a queue fills, a latency passes 100 ms): a column widens to keep them whole, and
    // never narrows, so moving the time slider does not make the table jump. The last column stretches anyway.
    QHeaderView* header = m_table->horizontalHeader();
    for (int column = 0; column + 1 < NodeTableModel::ColumnCount; ++column) {
        const int shown = header->sectionSize(column);
        m_table->resizeColumnToContents(column);
        if (header->sectionSize(column) < shown)
            header->resizeSection(column, shown);
    }
}

void ClusterView::showSelection(int node)
{
    m_tiles->setSelectedNode(node);
    if (node < 0) {
        m_table->clearSelection();
        return;
    }
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(node, 0));
    if (index.isValid() && m_table->currentIndex().row() != index.row()) {
        m_table->setCurrentIndex(index);
        m_table->scrollTo(index);
    }
    m_scroll->ensureVisible(m_tiles->tileRect(node).center().x(), m_tiles->tileRect(node).center().y(), 20,
        m_tiles->tileRect(node).height());
}

QString ClusterView::csv() const { return m_model->rowCount() > 0 ? m_model->csv() : QString(); }

} // namespace shardsim::ui
