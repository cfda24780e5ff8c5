// The headline numbers a run's reports open with: the capacity of the nodes present at a moment, what the
// cluster costs, and values printed in their metric's unit.

#include <gtest/gtest.h>

#include "shardsim/engine/cluster_cost.h"
#include "shardsim/report/expectations.h"
#include "shardsim/engine/idle_nodes.h"
#include "shardsim/scenario/scenario_reader.h"

using namespace shardsim;

namespace {

ScenarioConfig scenarioWithEvents()
{
    ScenarioConfig config;
    config.duration = 3 * 3600;
    config.cluster.nodes = 8;
    config.cluster.node.costPerMonth = 900;
    EventConfig add;
    add.at = 6000;
    add.addNodes = 4;
    EventConfig remove;
    remove.at = 9000;
    remove.removeNode = NodeId { 2 };
    config.events = { add, remove };
    return config;
}

} // namespace

TEST(Headlines, CapacityCountsTheNodesPresentAtTheMoment)
{
    const ScenarioConfig config = scenarioWithEvents();
    EXPECT_EQ(nodesPresentAt(config, 0), 8);
    EXPECT_EQ(nodesPresentAt(config, 5999), 8); // before the nodes join: 8, not the 12 the run ends with
    EXPECT_EQ(nodesPresentAt(config, 6000), 12);
    EXPECT_EQ(nodesPresentAt(config, 9000), 11);
}

TEST(Headlines, CostIsNodesTimesThePricePerNode)
{
    const ClusterCost cost = clusterCost(scenarioWithEvents());
    EXPECT_EQ(cost.nodesAtStart, 8);
    EXPECT_EQ(cost.nodesAtEnd, 11);
    EXPECT_DOUBLE_EQ(cost.monthlyAtStart, 7200);
    EXPECT_DOUBLE_EQ(cost.monthlyAtEnd, 9900);
    EXPECT_DOUBLE_EQ(monthlyCost(20, 900), 18000);
}

TEST(Headlines, ValuesAndBoundsPrintInTheirMetricsUnit)
{
    EXPECT_EQ(formatMetricValue("peak.utilization", 4.833), "483.3%");
    EXPECT_EQ(formatMetricValue("requests.shed_fraction", 0.09348), "9.348%");
    EXPECT_EQ(formatMetricValue("latency.p99_ms", 1003.4), "1003 ms");
    EXPECT_EQ(formatMetricValue("imbalance.max_over_mean", 1.30149), "1.301");
    EXPECT_EQ(formatMetricValue("requests.total", 1.08e9), "1.08B");
    ExpectConfig expect;
    expect.metric = "peak.utilization";
    expect.atMost = 0.7;
    EXPECT_EQ(describeBound(expect), "<= 70%"); // not 70.00000000000001%
    expect.metric = "requests.total";
    expect.atMost.reset();
    expect.atLeast = 1'234'567;
    EXPECT_EQ(describeBound(expect), ">= 1234567"); // a bound keeps every digit it was written with
}

TEST(Headlines, AWindowedBoundSaysItsWindowOnTheScenariosClock)
{
    ExpectConfig expect;
    expect.metric = "peak.utilization";
    expect.atMost = 1.0;
    expect.from = 15 * 60;
    expect.to = 20 * 60;
    // A run from 23:50 for 30 minutes: the window is 00:05 to 00:10, not the run's peak.
    EXPECT_EQ(describeBound(expect, RunClock(23 * 3600 + 50 * 60, 1800)), "<= 100% from 00:05 to 00:10");
    EXPECT_EQ(describeBound(expect), "<= 100% from 15m to 20m"); // no clock: time since the start
    expect.from.reset();
    EXPECT_EQ(describeBound(expect), "<= 100% until 20m");
}

TEST(Headlines, NodesBeyondTheRulesDatabasesHoldNoDataFromTheStart)
{
    ScenarioLoad load = loadScenarioText("name: idle\nduration: 10s\ncluster: { nodes: 6, replication: 1 }\n"
                                         "data: { tables: [ { name: t, rows: 1000 } ] }\n"
                                         "sharding: { rule: \"mod:n=4\" }\nworkload: { rate: 1K/s }\n",
        "idle.yaml", "");
    ASSERT_TRUE(load.ok()) << load.errorText();
    EXPECT_EQ(nodesWithoutDataAtStart(*load.config), (std::vector<int> { 4, 5 }));
    // Two copies on the next node: the fourth database's replica lands on node-5, so only node-6 stays empty.
    load = loadScenarioText("name: idle\nduration: 10s\ncluster: { nodes: 6, replication: 2 }\n"
                            "data: { tables: [ { name: t, rows: 1000 } ] }\n"
                            "sharding: { rule: \"mod:n=4\" }\nworkload: { rate: 1K/s }\n",
        "idle.yaml", "");
    ASSERT_TRUE(load.ok()) << load.errorText();
    EXPECT_EQ(nodesWithoutDataAtStart(*load.config), (std::vector<int> { 5 }));
    EXPECT_EQ(nodeNameList({ "node-5" }), "node-5");
    EXPECT_EQ(nodeNameList({ "node-4", "node-5", "node-6" }), "node-4, node-5 and node-6");
    EXPECT_EQ(nodeNameList({ "a", "b", "c" }, 2), "a, b and 1 more");
}
