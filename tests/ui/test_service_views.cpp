// The served/shed/queued numbers and the latency percentiles in the Load, Cluster and Overview views, from a run
// built by hand: three nodes of 1K/s, the third one offered 2.5K/s from the sixth second on (it serves 1K/s, queues
// 100/s and sheds 1.4K/s), with latencies a bounded queue allows.
#include <QApplication>
#include <QHeaderView>
#include <QHelpEvent>
#include <QTableView>
#include <QTest>
#include <QToolTip>
#include <QtCharts/QBarSet>
#include <QtCharts/QLineSeries>
#include <gtest/gtest.h>

#include "charts/chart_builder.h"
#include "charts/node_bar_chart.h"
#include "charts/time_series_chart.h"
#include "models/node_table_model.h"
#include "views/cluster_view.h"
#include "views/load_view.h"
#include "views/node_tiles_widget.h"
#include "views/overview_text.h"
#include "views/overview_view.h"
#include "views/view_context.h"

using namespace shardsim;
using namespace shardsim::ui;

namespace {

constexpr int kWindows = 10;
constexpr int kOverloadFrom = 5; // the window node-3's overload starts in

NodeTick nodeAt(int node, int window)
{
    NodeTick v;
    if (node == 2 && window >= kOverloadFrom) {
        v.qps = 2500;
        v.servedQps = 1000;
        v.shedQps = 1400;
        v.queued = 100;
        v.p50LatencyMs = 120;
        v.p95LatencyMs = 900;
        v.p99LatencyMs = 990;
        v.p999LatencyMs = 1001;
    } else {
        v.qps = v.servedQps = 200.0 * (node + 1);
        v.p50LatencyMs = 1;
        v.p95LatencyMs = 1.3;
        v.p99LatencyMs = 1.6;
        v.p999LatencyMs = 2;
    }
    v.utilization = v.qps / 1000;
    v.rows = 1000;
    v.bytes = 1e5;
    return v;
}

RunSnapshotPtr handBuiltRun(const ServiceModel& service, int selectedNode = -1)
{
    auto snapshot = std::make_shared<RunSnapshot>();
    snapshot->phase = RunPhase::Finished;
    snapshot->scenario = "by-hand";
    snapshot->tickCount = kWindows;
    snapshot->ticksDone = kWindows;
    snapshot->nodeMaxQps = 1000;
    snapshot->nodes = { { "node-1", "east" }, { "node-2", "east" }, { "node-3", "west" } };
    for (int w = 0; w < kWindows; ++w) {
        auto window = std::make_shared<TickWindow>();
        window->firstTick = w;
        window->ticks = 1;
        window->time = w;
        window->resizeNodes(3);
        for (int n = 0; n < 3; ++n) {
            const NodeTick v = nodeAt(n, w);
            window->setNode(size_t(n), v);
            window->clusterQps += v.qps;
            window->clusterServedQps += v.servedQps;
            window->clusterShedQps += v.shedQps;
            window->clusterQueued += v.queued;
            window->maxUtilization = std::max(window->maxUtilization, v.utilization);
        }
        window->clusterQpsMin = window->clusterQpsMax = window->clusterQps;
        const bool overloaded = w >= kOverloadFrom;
        window->clusterP50LatencyMs = overloaded ? 1.1 : 1;
        window->clusterP95LatencyMs = overloaded ? 2 : 1.3;
        window->clusterP99LatencyMs = overloaded ? 600 : 1.6;
        window->clusterP999LatencyMs = overloaded ? 1000.5 : 2;
        snapshot->windows.push_back(std::move(window));
    }
    auto result = std::make_shared<RunResult>();
    result->scenario = "by-hand";
    result->ticks = kWindows;
    result->requests = 10 * 600 + 5 * 2500 + 5 * 600; // 21,500 offered
    result->servedRequests = 10 * 600 + 5 * 600 + 5 * 1000; // 14,000
    result->shedRequests = 5 * 1400; // 7,000
    result->queuedRequests = 500;
    result->latency = LatencySummary { 1.2, 4.8, 640, 1000.9 };
    result->service = service;
    result->peak = PeakMoment { 5, 5, 3100 };
    for (const NodeInfo& node : snapshot->nodes) {
        NodeSummary summary;
        summary.name = node.name;
        summary.region = node.region;
        result->nodes.push_back(summary);
    }
    snapshot->result = result;
    snapshot->charts = std::make_shared<const ChartData>(buildCharts(*snapshot, ChartRequest { 800, selectedNode }));
    return snapshot;
}

const ServiceModel kDerived { 10, false, 0.001, 1 }; // 10K/s x 1 ms: what the engine derives for these nodes

QStringList headers(const QAbstractItemModel& model)
{
    QStringList out;
    for (int c = 0; c < model.columnCount(); ++c)
        out.append(model.headerData(c, Qt::Horizontal).toString());
    return out;
}

double lastY(const TimeSeriesChart& chart, const QString& series)
{
    const QLineSeries* line = chart.series(series);
    return line && line->count() > 0 ? line->points().constLast().y() : -1.0;
}

} // namespace

TEST(ServiceViews, LoadBarsStackServedQueuedAndShedUpToTheOfferedLoad)
{
    ViewContext context;
    LoadView view(&context);
    view.resize(1000, 800);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    context.setSnapshot(handBuiltRun(kDerived));
    context.setTick(7);
    view.ensureFresh();

    const NodeBarChart& bars = *view.bars();
    EXPECT_EQ(bars.yTitle(), "offered requests/s (K)") << "the bars' height is the offered load";
    EXPECT_DOUBLE_EQ(bars.barSet()->at(2), 1.0) << "node-3 served 1K/s";
    EXPECT_DOUBLE_EQ(bars.queuedSet()->at(2), 0.1) << "queued 100/s";
    EXPECT_DOUBLE_EQ(bars.shedSet()->at(2), 1.4) << "shed 1.4K/s";
    EXPECT_DOUBLE_EQ(bars.barSet()->at(0), 0.2);
    EXPECT_DOUBLE_EQ(bars.shedSet()->at(0), 0.0);

    // Over time: every node's offered load, and what the busiest node (node-3) served and shed.
    const TimeSeriesChart& lines = *view.lines();
    EXPECT_TRUE(lines.leftTitle().startsWith("offered requests/s")) << lines.leftTitle().toStdString();
    EXPECT_EQ(lines.seriesNames(),
        QStringList({ "node-1", "node-2", "node-3", "node-3 served", "node-3 shed", "capacity of a node (max_qps)" }));
    EXPECT_NEAR(lastY(lines, "node-3"), 2.5, 1e-9);
    EXPECT_NEAR(lastY(lines, "node-3 served"), 1.0, 1e-9);
    EXPECT_NEAR(lastY(lines, "node-3 shed"), 1.4, 1e-9);

    // A selected node takes the busiest one's place.
    context.setSnapshot(handBuiltRun(kDerived, 0));
    view.ensureFresh();
    EXPECT_TRUE(view.lines()->seriesNames().contains("node-1 shed"));
    EXPECT_FALSE(view.lines()->seriesNames().contains("node-3 shed"));

    const QString csv = view.csv();
    EXPECT_TRUE(csv.startsWith("time_s,node-1_qps,node-1_served_qps,node-1_shed_qps,node-1_queued,node-2_qps"));
    EXPECT_TRUE(csv.contains("\n7,200,200,0,0,400,400,0,0,2500,1000,1400,100\n")) << csv.toStdString();
}

TEST(ServiceViews, ClusterTableTilesAndChartsShowServedShedQueuedAndPercentiles)
{
    ViewContext context;
    ClusterView view(&context);
    view.resize(1000, 900);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    context.setSnapshot(handBuiltRun(kDerived));
    context.setTick(2); // before the overload: the columns are fitted to small numbers first
    view.ensureFresh();
    context.setTick(7);
    view.ensureFresh();
    auto* table = view.findChild<QTableView*>();
    ASSERT_NE(table, nullptr);
    std::vector<int> shown;
    for (int column = 0; column < NodeTableModel::ColumnCount; ++column)
        shown.push_back(table->horizontalHeader()->sectionSize(column));
    table->resizeColumnsToContents();
    for (int column = 0; column + 1 < NodeTableModel::ColumnCount; ++column)
        EXPECT_GE(shown[size_t(column)], table->horizontalHeader()->sectionSize(column))
            << "column " << column << " clipped once the numbers grew";

    const NodeTableModel& model = *view.model();
    EXPECT_EQ(headers(model),
        QStringList({ "Node", "Region", "Shards", "Offered\nreq/s", "Offered\nload", "Served\nreq/s", "Shed\nreq/s",
            "Queued", "p50\nms", "p95\nms", "p99\nms", "p99.9\nms", "Rows", "Storage" }));
    const auto cell = [&model](int row, int column) { return model.index(row, column).data().toString(); };
    EXPECT_EQ(cell(2, NodeTableModel::Qps), "2.5K/s");
    EXPECT_EQ(cell(2, NodeTableModel::Utilization), "250.0%");
    EXPECT_EQ(cell(2, NodeTableModel::Served), "1K/s");
    EXPECT_EQ(cell(2, NodeTableModel::Shed), "1.4K/s");
    EXPECT_EQ(cell(2, NodeTableModel::Queued), "100");
    EXPECT_EQ(cell(2, NodeTableModel::P50), "120");
    EXPECT_EQ(cell(2, NodeTableModel::P99), "990");
    EXPECT_EQ(cell(2, NodeTableModel::P999), "1001");
    EXPECT_EQ(cell(0, NodeTableModel::P95), "1.30");
    EXPECT_EQ(cell(0, NodeTableModel::Shed), "0/s");
    EXPECT_DOUBLE_EQ(model.index(2, NodeTableModel::Shed).data(NodeTableModel::kSortRole).toDouble(), 1400.0);
    EXPECT_TRUE(model.headerData(NodeTableModel::Utilization, Qt::Horizontal, Qt::ToolTipRole)
                    .toString()
                    .contains("offered over max_qps"));
    EXPECT_TRUE(view.csv().startsWith("node,region,shards,qps,utilization,served_qps,shed_qps,queued,p50_latency_ms,"
                                      "p95_latency_ms,p99_latency_ms,p999_latency_ms,rows,bytes\n"));
    EXPECT_TRUE(view.csv().contains("\nnode-3,west,0,2500,2.5,1000,1400,100,120,900,990,1001,1000,100000\n"))
        << view.csv().toStdString();

    // The overloaded node's tile says its percentage is offered load.
    NodeTilesWidget* tiles = view.tiles();
    const QPoint third = tiles->tileRect(2).center();
    QHelpEvent hover(QEvent::ToolTip, third, tiles->mapToGlobal(third));
    QApplication::sendEvent(tiles, &hover);
    const QString tip = QToolTip::text();
    QToolTip::hideText();
    EXPECT_TRUE(tip.contains("Offered load (overloaded)")) << tip.toStdString();
    EXPECT_TRUE(tip.contains("250.0%"));
    EXPECT_TRUE(tip.contains("Requests/s served"));
    EXPECT_TRUE(tip.contains("1.4K/s"));
    EXPECT_TRUE(tip.contains("990 · 1001 ms")) << "p99 and p99.9";

    // Over time: the cluster's offered, served and shed requests, and its served requests' percentiles in ms.
    const TimeSeriesChart& requests = *view.requestsChart();
    EXPECT_EQ(requests.seriesNames(), QStringList({ "offered requests/s", "served", "shed" }));
    EXPECT_NEAR(lastY(requests, "offered requests/s"), 3.1, 1e-9);
    EXPECT_NEAR(lastY(requests, "served"), 1.6, 1e-9);
    EXPECT_NEAR(lastY(requests, "shed"), 1.4, 1e-9);
    const TimeSeriesChart& latency = *view.latencyChart();
    EXPECT_EQ(latency.seriesNames(), QStringList({ "p50", "p95", "p99", "p99.9" }));
    EXPECT_EQ(latency.leftTitle(), "ms") << "milliseconds as they are, never in K";
    EXPECT_NEAR(lastY(latency, "p50"), 1.1, 1e-9);
    EXPECT_NEAR(lastY(latency, "p99"), 600, 1e-9);
    EXPECT_NEAR(lastY(latency, "p99.9"), 1000.5, 1e-9);
}

TEST(ServiceViews, OverviewStatesPercentilesRequestsAndHowANodeServes)
{
    const RunSnapshotPtr run = handBuiltRun(kDerived);
    const QString html = overviewHtml(nullptr, run.get(), {}, "#777");
    for (const char* text : { "Offered", "21.5K", "Served", "14K", "65.12% of offered", "Shed", "7K",
             "32.56% of offered", "Queued at the end", "500", "Latency p50", "1.20 ms", "Latency p95", "4.80 ms",
             "Latency p99", "640 ms", "Latency p99.9", "1001 ms",
             "Each node serves <b>10 requests in parallel</b> (max_qps × base_latency = 1K/s × 1ms)",
             "its queue holds <b>1s</b> of work", "was offered <b>250%</b> of its capacity (offered load)" })
        EXPECT_TRUE(html.contains(QString::fromUtf8(text))) << text << "\n" << html.toStdString();

    ServiceModel given = kDerived;
    given.servers = 2.5;
    given.serversGiven = true;
    given.queueTimeoutS = 0.2;
    const QString stated = overviewHtml(nullptr, handBuiltRun(given).get(), {}, "#777");
    EXPECT_TRUE(stated.contains("<b>2.5 requests in parallel</b> (<code>cluster.node.concurrency</code>)"))
        << stated.toStdString();
    EXPECT_TRUE(stated.contains("holds <b>200ms</b> of work"));

    const QString csv = overviewCsv(run.get());
    for (const char* line : { "\nrequests,21500\n", "\nserved_requests,14000\n", "\nshed_requests,7000\n",
             "\nqueued_requests,500\n", "\nlatency.p50_ms,1.2\n", "\nlatency.p999_ms,1000.9\n",
             "\nservice.servers,10\n", "\nservice.queue_timeout_s,1\n" })
        EXPECT_TRUE(csv.contains(line)) << line << csv.toStdString();

    // The chart under the text: offered, served and shed, and the busiest node's offered load.
    ViewContext context;
    OverviewView view(&context);
    view.resize(1000, 800);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    context.setSnapshot(run);
    view.ensureFresh();
    auto* chart = view.findChild<TimeSeriesChart*>();
    ASSERT_NE(chart, nullptr);
    EXPECT_EQ(chart->seriesNames(),
        QStringList({ "offered requests/s", "served", "shed", "busiest node's offered load, % of max_qps" }));
    EXPECT_NEAR(lastY(*chart, "busiest node's offered load, % of max_qps"), 250, 1e-9);
}
