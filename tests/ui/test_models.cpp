// Every model of the UI under QAbstractItemModelTester, filled, changed in place and reset.
#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <cmath>
#include <gtest/gtest.h>

#include "models/node_table_model.h"
#include "models/problems_model.h"
#include "models/run_history_model.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/report/scenario_run.h"
#include "shardsim/scenario/scenario_reader.h"
#include "views/overview_text.h"
#include "workers/run_snapshot.h"

using namespace shardsim;
using namespace shardsim::ui;

namespace {
constexpr auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

std::vector<NodeRow> nodeRows(int count, double scale)
{
    std::vector<NodeRow> rows;
    for (int i = 0; i < count; ++i)
    {
        NodeTick values;
        values.qps = 1000.0 * i * scale;
        values.utilization = 0.1 * i * scale;
        values.p99LatencyMs = 2.0;
        values.rows = 1e6;
        values.bytes = 1e9;
        rows.push_back(NodeRow { QStringLiteral("node-%1").arg(i + 1), i % 2 ? "east" : "west", 10, values });
    }
    return rows;
}
} // namespace

TEST(Models, ProblemsModelListsEveryDiagnosticWithItsPlace)
{
    ProblemsModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    Diagnostic a { "f.yaml", 5, 10, "cluster.nodes", "must be at least 1 (got 0)" };
    Diagnostic b { "f.yaml", 11, 3, "sharding", "unknown key 'placment'; did you mean 'placement'?" };
    model.setDiagnostics({ a, b });
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.index(0).data().toString(), "Line 5:10  cluster.nodes: must be at least 1 (got 0)");
    EXPECT_EQ(model.index(1).data(ProblemsModel::LineRole).toInt(), 11);
    EXPECT_EQ(model.index(1).data(ProblemsModel::ColumnRole).toInt(), 3);
    model.setMessage("Cannot open x.yaml");
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.index(0).data().toString(), "Cannot open x.yaml");
    EXPECT_EQ(model.index(0).data(ProblemsModel::LineRole).toInt(), 0);
    model.setDiagnostics({});
    EXPECT_EQ(model.rowCount(), 0);
}

TEST(Models, NodeTableModelUpdatesInPlaceAndSortsByNumbers)
{
    NodeTableModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    model.setRows(nodeRows(12, 1.0));
    EXPECT_EQ(model.index(0, NodeTableModel::Qps).data().toString(), "–") << "no run yet: no numbers";
    model.setHasValues(true);
    model.setRows(nodeRows(12, 2.0)); // same rows: dataChanged, not a reset
    EXPECT_EQ(model.rowCount(), 12);
    EXPECT_EQ(model.index(3, NodeTableModel::Qps).data().toString(), "6K/s");
    EXPECT_EQ(model.index(3, NodeTableModel::Utilization).data().toString(), "60.0%");
    EXPECT_DOUBLE_EQ(model.index(3, NodeTableModel::Qps).data(NodeTableModel::kSortRole).toDouble(), 6000.0);
    EXPECT_EQ(model.index(10, NodeTableModel::Name).data(NodeTableModel::kSortRole).toInt(), 10)
        << "node-11 sorts after node-2";
    model.setRows(nodeRows(1024, 1.0)); // a bigger cluster: reset
    EXPECT_EQ(model.rowCount(), 1024);
    EXPECT_TRUE(model.csv().startsWith("node,region,shards,qps,utilization"));
    EXPECT_EQ(model.csv().count(QLatin1Char('\n')), 1025);
}

TEST(Models, RunHistoryModelShowsRunsNewestFirst)
{
    RunHistoryModel model;
    QAbstractItemModelTester tester(&model, kFatal);
    RunRecord first;
    first.id = 1;
    first.scenario = "double-11-orders";
    first.startedAt = "2024-05-01T12:00:00Z";
    first.ticks = 10800;
    first.tickSeconds = 1;
    first.nodes = 8;
    first.requests = 4.69e9;
    first.engine = "expected";
    first.expectations = 2;
    first.expectationsFailed = 1;
    RunRecord second = first;
    second.id = 2;
    second.scenario = "a, comma";
    second.cancelled = true;
    model.setRecords({ second, first });
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.index(0, RunHistoryModel::Id).data().toLongLong(), 2);
    EXPECT_EQ(model.index(0, RunHistoryModel::Status).data().toString(), "stopped early");
    EXPECT_EQ(model.index(1, RunHistoryModel::Expectations).data().toString(), "1 of 2 failed");
    EXPECT_EQ(model.index(1, RunHistoryModel::Ticks).data().toString(), "3h");
    EXPECT_EQ(model.index(1, 0).data(RunHistoryModel::kRunIdRole).toLongLong(), 1);
    EXPECT_TRUE(model.csv().contains("\"a, comma\"")) << "fields with commas are quoted";
    model.setRecords({});
    EXPECT_EQ(model.rowCount(), 0);
}

TEST(Models, TheOverviewListsEveryTableWithItsRowSizeAndRowsPerPage)
{
    ScenarioLoad load = loadScenarioFile(SHARDSIM_SOURCE "/scenarios/tables/hot-cold-split.yaml");
    ASSERT_TRUE(load.ok()) << load.errorText();
    auto result = runSimulation(*load.config, RunOptions {});
    ASSERT_TRUE(result.ok()) << result.error();
    RunSnapshot snapshot;
    snapshot.phase = RunPhase::Finished;
    snapshot.result = std::make_shared<const RunResult>(*result);
    const QString html = overviewHtml(&*load.config, &snapshot, {}, QStringLiteral("gray"));
    EXPECT_TRUE(html.contains("rows per 16 KiB page")) << html.toStdString();
    // The split's core row: 1,000 - 708 = 292 B, 56 to a page; its extension table's 716 B rows, 22.
    EXPECT_TRUE(html.contains("<code>t_user</code></td><td align='right'>1M</td><td align='right'>292 B</td>"
                              "<td align='right'>56</td>"))
        << html.toStdString();
    EXPECT_TRUE(html.contains("<code>t_user_ext</code>")) << html.toStdString();
}

TEST(Models, TheOverviewOfTheDefaultScenarioMeasuresThePeakAgainstTheNodesPresentThen)
{
    ScenarioLoad load = loadScenarioFile(SHARDSIM_SOURCE "/resources/scenarios/double-11-orders.yaml");
    ASSERT_TRUE(load.ok()) << load.errorText();
    auto result = runScenario(*load.config, RunOptions {}); // with its expectations judged, as the app runs it
    ASSERT_TRUE(result.ok()) << result.error();
    RunSnapshot snapshot;
    snapshot.phase = RunPhase::Finished;
    snapshot.nodeMaxQps = load.config->cluster.node.maxQps;
    snapshot.result = std::make_shared<const RunResult>(*result);
    const QString html = overviewHtml(&*load.config, &snapshot, {}, QStringLiteral("gray"));
    // The peak at 2h2m against the 12 nodes present then (240K/s; 4 of them joined at 1h40m), more than they serve.
    const double percent = std::round(100 * result->peak.qps / (12 * 20'000));
    EXPECT_GT(percent, 100);
    EXPECT_TRUE(html.contains(QStringLiteral("%1% of what its 12 nodes together can serve").arg(percent)))
        << html.toStdString();
    // Expectations in the unit of their metric, and one of three failed.
    EXPECT_TRUE(html.contains("peak.utilization &lt;= 70%")) << html.toStdString();
    EXPECT_TRUE(html.contains("was 33.38%")) << html.toStdString();
    EXPECT_TRUE(html.contains("1 of 3 expectations failed")) << html.toStdString();
}
