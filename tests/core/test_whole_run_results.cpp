// What a run reports covers the whole run and only the nodes that can serve: shards[] sums to the run's shard
// requests across reshards and re-replications, the imbalance of every tick leaves out nodes the layout gives no
// data, and the rows per shard `describe` reports are those the run stores.

#include <gtest/gtest.h>

#include <string>

#include "shardsim/engine/shard_rows.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/scenario/scenario_reader.h"

using namespace shardsim;

namespace {

ScenarioConfig mustLoad(const std::string& file)
{
    ScenarioLoad load = loadScenarioFile(std::string(SHARDSIM_SCENARIOS) + "/" + file);
    EXPECT_TRUE(load.ok()) << load.errorText();
    return load.config.value_or(ScenarioConfig {});
}

ScenarioConfig mustLoadText(const std::string& text)
{
    ScenarioLoad load = loadScenarioText(text, "inline.yaml", "");
    EXPECT_TRUE(load.ok()) << load.errorText();
    return load.config.value_or(ScenarioConfig {});
}

RunResult mustRun(const ScenarioConfig& config)
{
    RunOptions options;
    options.engine = EngineMode::Expected;
    auto result = runSimulation(config, std::move(options));
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
    return result.ok() ? *result : RunResult {};
}

double shardRequests(const RunResult& result)
{
    double sum = 0;
    for (const ShardSummary& shard : result.shards)
        sum += shard.requests;
    return sum;
}

// The operations' shard requests: counted per call, apart from the per-shard counts.
double queryShardRequests(const RunResult& result)
{
    double sum = 0;
    for (const QuerySummary& query : result.queries)
        sum += query.shardRequests;
    return sum;
}

} // namespace

TEST(WholeRunResults, ShardsOfEveryLayoutAddUpToTheRunsShardRequests)
{
    // mod 8 -> mod 16 at 5m, then a node fails and its copies are rebuilt: three layouts, two cutovers.
    const RunResult result = mustRun(mustLoad("events/grow-8-to-16.yaml"));
    ASSERT_EQ(result.migrations.size(), 2u);
    EXPECT_DOUBLE_EQ(queryShardRequests(result), 40'000.0 * 1800); // one shard per call, 40K calls/s for 30 minutes
    EXPECT_NEAR(shardRequests(result), queryShardRequests(result), 1e-9 * queryShardRequests(result));

    // The final rule's 16 shards first (counting their requests before the re-replication too), then mod 8's.
    ASSERT_EQ(result.shards.size(), 24u);
    EXPECT_EQ(result.shards[0].name, "shard-0");
    EXPECT_GE(result.shards[0].node, 0);
    EXPECT_EQ(result.shards[16].name, "shard-0 (mod:n=8)");
    EXPECT_EQ(result.shards[16].node, -1); // its rows moved away at the cutover
    EXPECT_EQ(result.shards[16].rows, 0);
    double shares = 0;
    for (const ShardSummary& shard : result.shards)
        shares += shard.share;
    EXPECT_NEAR(shares, shardRequests(result) / result.requests, 1e-9);
}

TEST(WholeRunResults, ARunWithoutReshardListsItsRulesShards)
{
    // East 60%, north 40% of 1,728M requests (the scenario's own expectation), and no cutover.
    const RunResult result = mustRun(mustLoad("rules/geo-east-north.yaml"));
    ASSERT_EQ(result.shards.size(), 2u);
    EXPECT_EQ(result.shards[0].name, "east");
    EXPECT_EQ(result.shards[1].name, "north");
    EXPECT_NEAR(result.shards[0].requests, 0.6 * 1728e6, 1e-3);
    EXPECT_NEAR(result.shards[1].requests, 0.4 * 1728e6, 1e-3);
    EXPECT_NEAR(result.shards[0].share, 0.6, 1e-12);
}

TEST(WholeRunResults, TickImbalanceLeavesOutNodesWithoutData)
{
    // Three nodes, two databases: node-3 never holds data. Uniform keys on mod 2 load node-1 and node-2 evenly,
    // so every tick is balanced over the nodes that can serve (over all three it would read 1.5).
    const RunResult result = mustRun(mustLoadText("name: idle-third\nduration: 1m\ntick: 1s\nseed: 3\n"
                                                  "cluster: { nodes: 3, node: { max_qps: 10K } }\n"
                                                  "data: { tables: [ { name: t, rows: 1000 } ] }\n"
                                                  "sharding: { rule: \"mod:n=2\" }\n"
                                                  "workload: { rate: 1K/s, keys: { distribution: uniform } }\n"));
    ASSERT_FALSE(result.cluster.empty());
    for (const ClusterTick& tick : result.cluster)
        EXPECT_NEAR(tick.imbalance.maxOverMean, 1.0, 1e-9) << "at " << tick.time;
    EXPECT_NEAR(result.imbalance.maxOverMean, 1.0, 1e-9);
}

TEST(WholeRunResults, RowsPerShardAtStartAreTheRunsRows)
{
    // The geo rule stores each region's share of the rows on its shard: 6M east, 4M north of 10M.
    const ScenarioConfig config = mustLoad("rules/geo-east-north.yaml");
    auto tables = shardRowsAtStart(config);
    ASSERT_TRUE(tables.ok()) << tables.error();
    ASSERT_EQ(tables->size(), 1u);
    const TableShardRows& table = tables->front();
    EXPECT_EQ(table.table, "t_user");
    ASSERT_EQ(table.shards, (std::vector<std::string> { "east", "north" }));
    EXPECT_NEAR(table.rows[0], 6e6, 1e-6);
    EXPECT_NEAR(table.rows[1], 4e6, 1e-6);
    const RunResult result = mustRun(config); // no growth: the run ends with the rows it started with
    EXPECT_NEAR(result.shards[0].rows, table.rows[0], 1e-6);
}
