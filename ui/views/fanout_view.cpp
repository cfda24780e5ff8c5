#include "views/fanout_view.h"

#include <QEvent>
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChartView>
#include <QtCharts/QStackedBarSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <numeric>

#include "charts/chart_style.h"
#include "models/query_table_model.h"
#include "views/view_context.h"

namespace shardsim::ui {

namespace {

    QChartView* makeChartView(QWidget* parent, const QString& title)
    {
        auto* view = new QChartView(makeChart(), parent);
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(240);
        view->chart()->setTitle(title);
        return view;
    }

    void clearChart(QChart* chart)
    {
        chart->removeAllSeries();
        for (QAbstractAxis* axis : chart->axes()) {
            chart->removeAxis(axis);
            delete axis;
        }
    }

    // The operations with the most shard requests first, at most `limit` of them.
    std::vector<size_t> busiestOperations(const std::vector<QuerySummary>& queries, size_t limit)
    {
        std::vector<size_t> order(queries.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return queries[a].shardRequests > queries[b].shardRequests; });
        if (order.size() > limit)
            order.resize(limit);
        return order;
    }

    // Fan-outs 0..maxFanout in at most `bars` bins of equal width; bin b covers [b * width, (b + 1) * width - 1],
    // the last one ending at maxFanout.
    struct FanoutBins {
        int width = 1;
        int count = 1;
        int of(int fanout) const { return std::min(fanout / width, count - 1); }
        QString label(int bin, int maxFanout) const
        {
            const int from = bin * width;
            const int to = std::min(maxFanout, from + width - 1);
            return from == to ? QString::number(from) : QStringLiteral("%1–%2").arg(from).arg(to);
        }
    };

    FanoutBins fanoutBins(int maxFanout, int bars)
    {
        FanoutBins bins;
        bins.width = std::max(1, (maxFanout + bars) / bars); // ceil((maxFanout + 1) / bars)
        bins.count = maxFanout / bins.width + 1;
        return bins;
    }

} // namespace

FanoutView::FanoutView(ViewContext* context, QWidget* parent)
    : AnalysisView(context, parent)
    , m_model(new QueryTableModel(this))
    , m_table(new QTableView(this))
    , m_histogram(makeChartView(this, tr("Fan-out: share of each operation's calls by the shards they touch")))
    , m_nodeLoad(makeChartView(this, tr("Which operations load each node (requests over the run)")))
{
    setObjectName(QStringLiteral("fanout"));
    setWindowTitle(tr("Fan-out"));
    auto* sorted = new QSortFilterProxyModel(this);
    sorted->setSourceModel(m_model);
    sorted->setSortRole(QueryTableModel::kSortRole);
    m_table->setModel(sorted);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(QueryTableModel::Calls, Qt::DescendingOrder);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setMinimumHeight(120);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_histogram);
    splitter->addWidget(m_nodeLoad);
    splitter->setChildrenCollapsible(false);
    // A table of a few operations; the charts' labels and axis titles need the height.
    splitter->setSizes({ 200, 400, 400 });
    m_page = splitter;
    setContent(splitter);
    connect(context, &ViewContext::snapshotChanged, this, &FanoutView::requestRefresh);
    for (QChart* chart : { m_histogram->chart(), m_nodeLoad->chart() })
        applyPalette(chart, palette());
}

void FanoutView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        for (QChart* chart : { m_histogram->chart(), m_nodeLoad->chart() })
            applyPalette(chart, palette());
    }
    AnalysisView::changeEvent(event);
}

void FanoutView::refresh()
{
    const RunSnapshotPtr& snapshot = context()->snapshot();
    const RunResult* result = snapshot ? snapshot->result.get() : nullptr;
    if (!result || result->queries.empty()) {
        m_model->setQueries({});
        clearChart(m_histogram->chart());
        clearChart(m_nodeLoad->chart());
        setNotice(result ? tr("This run has no per-operation numbers (a trace replay, or a run from an older "
                              "version): run the scenario again to see them.")
                         : tr("Run the scenario (F5) to see how many shards each operation touches."));
        return;
    }
    setNotice(QString());
    m_model->setQueries(result->queries);
    refreshHistogram(*result);
    refreshNodeLoad(*result);
    for (QChart* chart : { m_histogram->chart(), m_nodeLoad->chart() })
        applyPalette(chart, palette());
}

void FanoutView::refreshHistogram(const RunResult& result)
{
    QChart* chart = m_histogram->chart();
    clearChart(chart);
    int maxFanout = 0;
    for (const QuerySummary& query : result.queries)
        maxFanout = std::max(maxFanout, query.maxFanout);
    const FanoutBins bins = fanoutBins(maxFanout, maxFanout < kMaxFanoutBars ? kMaxFanoutBars : kMaxFanoutBins);
    const int bars = bins.count;
    m_histogramTop = maxFanout;
    auto* series = new QBarSeries();
    const std::vector<size_t> shown = busiestOperations(result.queries, kMaxSeries);
    int colour = 0;
    for (size_t o : shown) {
        const QuerySummary& query = result.queries[o];
        auto* set = new QBarSet(QString::fromStdString(query.op));
        set->setColor(seriesColor(colour++));
        QList<qreal> values(bars, 0.0);
        for (size_t d = 0; d < query.fanoutHistogram.size(); ++d) {
            const int bar = bins.of(static_cast<int>(d));
            values[bar] += query.calls > 0 ? 100 * query.fanoutHistogram[d] / query.calls : 0;
        }
        set->append(values);
        series->append(set);
    }
    chart->addSeries(series);
    QStringList categories;
    for (int bin = 0; bin < bars; ++bin)
        categories.append(bins.label(bin, maxFanout));
    auto* x = new QBarCategoryAxis();
    x->append(categories);
    x->setTitleText(
        bins.width == 1 ? tr("shards touched per call") : tr("shards touched per call (ranges of %1)").arg(bins.width));
    auto* y = new QValueAxis();
    y->setRange(0, 100);
    y->setLabelFormat(QStringLiteral("%d%%"));
    y->setTitleText(tr("calls"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
}

void FanoutView::refreshNodeLoad(const RunResult& result)
{
    QChart* chart = m_nodeLoad->chart();
    clearChart(chart);
    const size_t nodes = result.nodes.size();
    std::vector<size_t> nodeOrder(nodes);
    std::iota(nodeOrder.begin(), nodeOrder.end(), 0);
    if (nodes > static_cast<size_t>(kMaxNodes)) {
        std::stable_sort(nodeOrder.begin(), nodeOrder.end(),
            [&](size_t a, size_t b) { return result.nodes[a].requests > result.nodes[b].requests; });
        nodeOrder.resize(static_cast<size_t>(kMaxNodes));
        std::sort(nodeOrder.begin(), nodeOrder.end());
    }
    auto* series = new QStackedBarSeries();
    const std::vector<size_t> shown = busiestOperations(result.queries, kMaxSeries);
    std::vector<double> others(nodeOrder.size(), 0.0);
    for (size_t i = 0; i < nodeOrder.size(); ++i) {
        double rest = result.nodes[nodeOrder[i]].requests;
        for (size_t o : shown) {
            const auto& load = result.queries[o].nodeLoad;
            rest -= nodeOrder[i] < load.size() ? load[nodeOrder[i]] : 0;
        }
        others[i] = std::max(0.0, rest);
    }
    int colour = 0;
    for (size_t o : shown) {
        const QuerySummary& query = result.queries[o];
        auto* set = new QBarSet(QString::fromStdString(query.op));
        set->setColor(seriesColor(colour++));
        for (size_t n : nodeOrder)
            set->append(n < query.nodeLoad.size() ? query.nodeLoad[n] : 0.0);
        series->append(set);
    }
    if (std::any_of(others.begin(), others.end(), [](double value) { return value > 0.5; })) {
        auto* set = new QBarSet(tr("others"));
        set->setColor(palette().color(QPalette::PlaceholderText));
        for (double value : others)
            set->append(value);
        series->append(set);
    }
    // Requests in K, M or B on the axis (2.81 B, not 2811889637 or 2.81e+09).
    double largest = 0;
    for (size_t i = 0; i < nodeOrder.size(); ++i)
        largest = std::max(largest, result.nodes[nodeOrder[i]].requests);
    const AxisScale scale = axisScale(largest);
    for (QBarSet* set : series->barSets())
        for (int i = 0; i < set->count(); ++i)
            set->replace(i, set->at(i) / scale.divisor);
    chart->addSeries(series);
    QStringList names;
    for (size_t n : nodeOrder) // the number alone fits under a bar; the axis title says they are nodes
        names.append(nodeOrder.size() > 16 ? QString::number(n + 1) : QString::fromStdString(result.nodes[n].name));
    auto* x = new QBarCategoryAxis();
    x->append(names);
    if (nodeOrder.size() > 16)
        x->setTitleText(
            nodes > nodeOrder.size() ? tr("node (the %1 busiest of %2)").arg(nodeOrder.size()).arg(nodes) : tr("node"));
    auto* y = new QValueAxis();
    y->setRange(0, std::max(1e-9, largest * 1.05 / scale.divisor));
    y->applyNiceNumbers();
    y->setLabelFormat(QStringLiteral("%.4g"));
    y->setTitleText(tr("shard requests") + scale.suffix);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
}

QString FanoutView::csv() const
{
    const RunSnapshotPtr& snapshot = context()->snapshot();
    if (!snapshot || !snapshot->result || snapshot->result->queries.empty())
        return {};
    const RunResult& result = *snapshot->result;
    QString csv
        = QStringLiteral("op,kind,calls,mean_fanout,max_fanout,amplification,rows_read_per_call,extra_lookups_per_call,"
                         "cross_shard_fraction");
    for (const NodeSummary& node : result.nodes)
        csv += QLatin1Char(',') + QString::fromStdString(node.name) + QStringLiteral("_requests");
    csv += QLatin1Char('\n');
    for (const QuerySummary& query : result.queries) {
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9")
                   .arg(QString::fromStdString(query.op), QString::fromStdString(query.kind),
                       QString::number(query.calls, 'g', 12), QString::number(query.meanFanout, 'g', 10),
                       QString::number(query.maxFanout), QString::number(query.amplification, 'g', 10),
                       QString::number(query.rowsReadPerCall, 'g', 10),
                       QString::number(query.extraLookupsPerCall, 'g', 10),
                       QString::number(query.crossShardFraction, 'g', 10));
        for (size_t n = 0; n < result.nodes.size(); ++n)
            csv += QLatin1Char(',') + QString::number(n < query.nodeLoad.size() ? query.nodeLoad[n] : 0.0, 'g', 10);
        csv += QLatin1Char('\n');
    }
    return csv;
}

} // namespace shardsim::ui
