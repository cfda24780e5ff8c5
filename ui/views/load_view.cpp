#include "views/load_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QToolBar>
#include <QtCharts/QChart>
#include <QtCharts/QLegend>

#include "charts/chart_builder.h"
#include "charts/chart_style.h"
#include "charts/cluster_series.h"
#include "charts/node_bar_chart.h"
#include "charts/series_legend.h"
#include "charts/time_series_chart.h"
#include "views/view_context.h"

namespace shardsim::ui {

LoadView::LoadView(ViewContext* context, QWidget* parent)
    : AnalysisView(context, parent)
    , m_bars(new NodeBarChart(this))
    , m_lines(new TimeSeriesChart(this))
    , m_legend(new SeriesLegend(SeriesLegend::Flow::Column, this))
    , m_time(new QLabel(this))
{
    setObjectName(QStringLiteral("load"));
    setWindowTitle(tr("Load"));
    m_time->setContentsMargins(6, 0, 6, 0);
    toolBar()->insertWidget(toolBar()->actions().constFirst(), m_time);
    m_bars->chart()->setTitle(tr("Requests/s offered to each node at the selected time: served, queued, shed"));
    m_lines->chart()->setTitle(tr("Requests/s offered to each node over time"));
    m_lines->setAxisTitles(tr("offered requests/s"));
    // A line per node and what one node served and shed: a column of whole names beside the chart, where Qt's own
    // legend would cut them to "nod…".
    m_lines->chart()->legend()->hide();
    auto* lines = new QWidget(this);
    auto* linesLayout = new QHBoxLayout(lines);
    linesLayout->setContentsMargins(0, 0, 0, 0);
    linesLayout->addWidget(m_lines, 1);
    linesLayout->addWidget(m_legend, 0, Qt::AlignTop);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_bars);
    splitter->addWidget(lines);
    splitter->setChildrenCollapsible(false);
    // The bars get as much room as the lines: their axis titles and node labels need it.
    m_bars->setMinimumHeight(260);
    splitter->setSizes({ 500, 500 });
    m_page = splitter;
    setContent(splitter);

    connect(context, &ViewContext::scenarioChanged, this, &LoadView::requestRefresh);
    connect(context, &ViewContext::snapshotChanged, this, &LoadView::requestRefresh);
    connect(context, &ViewContext::tickChanged, this, &LoadView::requestRefresh);
    connect(context, &ViewContext::selectedNodeChanged, this, &LoadView::requestRefresh);
    connect(m_bars, &NodeBarChart::nodeClicked, context, &ViewContext::setSelectedNode);
    connect(m_lines, &TimeSeriesChart::timeClicked, this, [this](double seconds) {
        if (const auto& snapshot = this->context()->snapshot())
            this->context()->setTick(static_cast<int64_t>(seconds / snapshot->tickSeconds));
    });
    connect(m_lines->chart(), &QChart::plotAreaChanged, this,
        [this](const QRectF& area) { this->context()->reportPlotWidth(m_lines, static_cast<int>(area.width())); });
}

void LoadView::refresh()
{
    refreshBars();
    refreshLines();
}

void LoadView::refreshBars()
{
    const ViewContext& ctx = *context();
    const std::vector<NodeInfo>& nodes = ctx.nodes();
    const TickWindow* window = ctx.window();
    const RunSnapshotPtr& snapshot = ctx.snapshot();
    QStringList names;
    std::vector<NodeTick> loads(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i) {
        names.append(QString::fromStdString(nodes[i].name));
        if (window)
            loads[i] = window->node(i);
    }
    const double capacity = snapshot ? snapshot->nodeMaxQps
        : ctx.scenario()             ? ctx.scenario()->cluster.node.maxQps
                                     : 0.0;
    m_bars->setLoads(names, loads, capacity, ctx.selectedNode());
    if (window && snapshot)
        m_time->setText(
            tr("At %1 of %2")
                .arg(formatMoment(snapshot->clock, static_cast<double>(ctx.tick()) * snapshot->tickSeconds),
                    formatMoment(snapshot->clock, static_cast<double>(snapshot->tickCount) * snapshot->tickSeconds)));
    else
        m_time->setText(QString());
    setNotice(window ? QString() : tr("Run the scenario (F5) to see how the load spreads over the nodes."));
}

void LoadView::refreshLines()
{
    const ViewContext& ctx = *context();
    const RunSnapshotPtr& snapshot = ctx.snapshot();
    double duration = ctx.scenario() ? ctx.scenario()->duration : 1.0;
    std::vector<SeriesSpec> series;
    if (snapshot && snapshot->charts) {
        duration = static_cast<double>(snapshot->tickCount) * snapshot->tickSeconds;
        // Colours (and past the palette, dash patterns) by position among the lines, so none repeats on screen.
        int colour = 0;
        for (const ChartLine& line : snapshot->charts->nodeLines) {
            const bool selected = line.node >= 0 && line.node == ctx.selectedNode();
            SeriesSpec spec { line.name, palette().color(QPalette::PlaceholderText), line.points, selected ? 3.2 : 1.4,
                Qt::DotLine };
            if (line.node >= 0) {
                spec.color = seriesColor(colour);
                spec.style = seriesStyle(colour++);
            }
            series.push_back(std::move(spec));
        }
        // What became of one node's requests: the selected node's, or the busiest node's when none is selected.
        const ChartData& charts = *snapshot->charts;
        if (charts.detailNode >= 0 && static_cast<size_t>(charts.detailNode) < snapshot->nodes.size()) {
            const QString name = QString::fromStdString(snapshot->nodes[size_t(charts.detailNode)].name);
            series.push_back(
                SeriesSpec { tr("%1 served").arg(name), seriesColor(0).darker(170), charts.detailServedQps, 2.4 });
            series.push_back(
                SeriesSpec { tr("%1 shed").arg(name), shedColor(), charts.detailShedQps, 2.4 });
        }
        if (!snapshot->charts->clusterQps.isEmpty()) {
            SeriesSpec capacity { tr("capacity of a node (max_qps)"), QColor(0xd6, 0x3a, 0x2f), {}, 1.4, Qt::DashLine };
            capacity.points = { QPointF(0, snapshot->nodeMaxQps), QPointF(duration, snapshot->nodeMaxQps) };
            series.push_back(std::move(capacity));
        }
    }
    m_lines->setDuration(duration, ctx.clock());
    m_lines->setSeries(series);
    m_legend->setEntries(series);
    m_lines->setMarker(snapshot ? static_cast<double>(ctx.tick()) * snapshot->tickSeconds : -1.0);
    m_lines->setEvents(eventMarks(ctx.scenario()));
}

QString LoadView::csv() const
{
    const RunSnapshotPtr& snapshot = context()->snapshot();
    if (!snapshot || snapshot->windows.empty())
        return {};
    // Every window at full resolution, one column per node: what the charts were decimated from.
    QString csv = QStringLiteral("time_s");
    static const char* const suffixes[] = { "_qps", "_served_qps", "_shed_qps", "_queued" };
    for (const NodeInfo& node : snapshot->nodes)
        for (const char* suffix : suffixes)
            csv += QLatin1Char(',') + QString::fromStdString(node.name) + QString::fromLatin1(suffix);
    csv += QLatin1Char('\n');
    for (const auto& window : snapshot->windows) {
        csv += QString::number(window->time, 'g', 10);
        for (size_t i = 0; i < snapshot->nodes.size(); ++i) {
            const NodeTick load = window->node(i);
            for (double value : { load.qps, load.servedQps, load.shedQps, load.queued })
                csv += QLatin1Char(',') + QString::number(static_cast<float>(value), 'g', 8);
        }
        csv += QLatin1Char('\n');
    }
    return csv;
}

} // namespace shardsim::ui
