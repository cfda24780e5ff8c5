// The fan-out view on a real run of the 8-shard query scenario: the operations' numbers in its table, a
// histogram per operation, the operations' load on every node, and the CSV behind them.
#include <QAbstractItemModelTester>
#include <QTableView>
#include <QTest>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QStackedBarSeries>
#include <QtCharts/QValueAxis>
#include <gtest/gtest.h>

#include "models/query_table_model.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/scenario/scenario_reader.h"
#include "view_test_support.h"
#include "views/fanout_view.h"
#include "views/view_context.h"

using namespace shardsim;
using namespace shardsim::ui;

namespace {

RunSnapshotPtr finishedRun(std::vector<std::string> overrides = {})
{
    overrides.insert(overrides.begin(), "duration=5s");
    ScenarioLoad load = loadScenarioFile(
        SHARDSIM_TEST_DATA "/scenarios/valid/queries-8-shards.yaml", ScenarioReadOptions { overrides });
    EXPECT_TRUE(load.ok()) << load.errorText();
    RunOptions options;
    options.engine = EngineMode::Expected;
    auto result = runSimulation(*load.config, options);
    EXPECT_TRUE(result.ok());
    auto snapshot = std::make_shared<RunSnapshot>();
    snapshot->phase = RunPhase::Finished;
    snapshot->tickCount = result->ticks;
    snapshot->ticksDone = result->ticks;
    for (const NodeSummary& node : result->nodes)
        snapshot->nodes.push_back(NodeInfo { node.name, node.region });
    snapshot->result = std::make_shared<const RunResult>(*result);
    return snapshot;
}

int rowOf(const QueryTableModel& model, const QString& op)
{
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.index(row, QueryTableModel::Operation).data().toString() == op)
            return row;
    return -1;
}

} // namespace

TEST(FanoutView, ShowsEachOperationsFanoutAmplificationRowsAndNodeLoad)
{
    ViewContext context;
    FanoutView view(&context);
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    view.resize(1200, 900);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    EXPECT_EQ(view.model()->rowCount(), 0) << "no run yet";

    context.setSnapshot(finishedRun());
    view.ensureFresh();
    QTest::qWait(50);
    const QueryTableModel& model = *view.model();
    ASSERT_EQ(model.rowCount(), 15);
    const int report = rowOf(model, "report");
    ASSERT_GE(report, 0);
    EXPECT_EQ(model.index(report, QueryTableModel::RowsRead).data().toString(), "8160");
    EXPECT_EQ(model.index(report, QueryTableModel::MaxFanout).data().toInt(), 8);
    const int transfer = rowOf(model, "transfer");
    EXPECT_EQ(model.index(transfer, QueryTableModel::CrossShard).data().toString(), "87.5%");
    EXPECT_EQ(model.index(transfer, QueryTableModel::MeanFanout).data().toString(), "1.875");
    const int login = rowOf(model, "login");
    EXPECT_EQ(model.index(login, QueryTableModel::Lookups).data().toString(), "1");
    EXPECT_NEAR(
        model.index(login, QueryTableModel::Amplification).data(QueryTableModel::kSortRole).toDouble(), 2, 1e-12);

    // One histogram bar set per drawn operation, at most kMaxSeries; fan-outs 0..8 on the axis.
    const auto histogramSeries = view.histogram()->chart()->series();
    ASSERT_EQ(histogramSeries.size(), 1);
    auto* bars = qobject_cast<QBarSeries*>(histogramSeries.front());
    ASSERT_NE(bars, nullptr);
    EXPECT_EQ(bars->count(), FanoutView::kMaxSeries);
    EXPECT_EQ(bars->barSets().front()->count(), 9);
    // The stacked node load: 8 nodes, the busiest operations plus "others", adding up to each node's requests.
    auto* stacked = qobject_cast<QStackedBarSeries*>(view.nodeLoad()->chart()->series().front());
    ASSERT_NE(stacked, nullptr);
    EXPECT_EQ(stacked->count(), FanoutView::kMaxSeries + 1);
    // Requests over 5 s at 20K/s, about 20K shard requests a node: counted in K on the axis, never as an exponent.
    const auto* y = qobject_cast<QValueAxis*>(view.nodeLoad()->chart()->axes(Qt::Vertical).constFirst());
    ASSERT_NE(y, nullptr);
    EXPECT_EQ(y->titleText(), QStringLiteral("shard requests (K)"));
    const RunResult& result = *context.snapshot()->result;
    for (int node = 0; node < 8; ++node) {
        double sum = 0;
        for (QBarSet* set : stacked->barSets())
            sum += set->at(node);
        EXPECT_NEAR(sum * 1e3, result.nodes[static_cast<size_t>(node)].requests, 1e-6 * sum * 1e3);
    }

    const QImage picture = view.exportWidget()->grab().toImage();
    EXPECT_GT(test::contentFraction(picture), 0.04);
    const QString csv = view.csv();
    EXPECT_TRUE(csv.startsWith("op,kind,calls,mean_fanout,max_fanout,amplification,rows_read_per_call"));
    EXPECT_TRUE(csv.contains("\nreport,page,")) << csv.toStdString();
    EXPECT_EQ(csv.count('\n'), 16);
}

TEST(FanoutView, TheHistogramReachesTheLargestFanoutAndCountsReadAsPeopleSayThem)
{
    ViewContext context;
    FanoutView view(&context);
    view.resize(1200, 900);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    // 80 shards on 80 nodes: a report by created_at asks every one of them.
    context.setSnapshot(finishedRun({ "cluster.nodes=80", "sharding.rule=mod:n=80" }));
    view.ensureFresh();
    const QueryTableModel& model = *view.model();
    const int report = rowOf(model, "report");
    ASSERT_GE(report, 0);
    ASSERT_EQ(model.index(report, QueryTableModel::MaxFanout).data().toInt(), 80);
    EXPECT_EQ(view.histogramTop(), 80);
    // The last bar ends at 80 (12 ranges of 7: 0-6 .. 77-80), so the report's calls are on the chart.
    auto* x = qobject_cast<QBarCategoryAxis*>(view.histogram()->chart()->axes(Qt::Horizontal).constFirst());
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->categories().size(), 12);
    EXPECT_EQ(x->categories().constLast(), QStringLiteral("77–80"));
    auto* bars = qobject_cast<QBarSeries*>(view.histogram()->chart()->series().front());
    for (QBarSet* set : bars->barSets()) {
        if (set->label() == QStringLiteral("report")) {
            EXPECT_DOUBLE_EQ(set->at(set->count() - 1), 100.0) << "every report call touches all 80 shards";
        }
    }
    // 5 s at 20K/s: 100K calls, shown as people say them, sorted by the number.
    const int get = rowOf(model, "get_user");
    const QString calls = model.index(get, QueryTableModel::Calls).data().toString();
    EXPECT_TRUE(calls.endsWith(QLatin1Char('K'))) << calls.toStdString();
    EXPECT_FALSE(calls.contains(QLatin1Char('e')));
    EXPECT_GT(model.index(get, QueryTableModel::Calls).data(QueryTableModel::kSortRole).toDouble(), 1e4);
}
