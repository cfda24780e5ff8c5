// Runs with events (docs/migration-model.md): growing 8 -> 16 nodes moves exactly half of the data in
// bytes / bandwidth; a node lost half-way without replicas fails exactly 1/16 of the requests, with two replicas
// none; catch-up, re-replication, node removal and the fold's whole-database moves.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "shardsim/engine/simulation.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    ScenarioConfig mustLoad(const std::string& text)
    {
        ScenarioLoad load = loadScenarioText(text, "events.yaml", "");
        EXPECT_TRUE(load.ok()) << load.errorText() << "\n" << text;
        return load.config.value_or(ScenarioConfig {});
    }

    RunResult mustRun(const std::string& text, EngineMode engine = EngineMode::Expected, int threads = 1)
    {
        RunOptions options;
        options.engine = engine;
        options.threads = threads;
        auto result = runSimulation(mustLoad(text), std::move(options));
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
        return result.ok() ? *result : RunResult {};
    }

    bool hasWarning(const RunResult& result, const std::string& part)
    {
        return std::any_of(result.warnings.begin(), result.warnings.end(),
            [&](const std::string& warning) { return warning.find(part) != std::string::npos; });
    }

    // 100 GB on 8 nodes (100M rows of 1 KB), read only, grown to 16 nodes and mod 16 at 100 MB/s.
    const char* kGrow = R"(
name: grow
duration: 1000s
tick: 1s
cluster: { nodes: 8, node: { max_qps: 20K } }
data:
  tables:
    - { name: t_user, key: uid, rows: 100M, row_size: 1KB }
sharding: { rule: "mod:n=8" }
workload:
  rate: { shape: constant, base: 8K/s }
  keys: { distribution: uniform }
  mix:
    - { op: get, kind: point, table: t_user, by: uid, weight: 1 }
events:
  - { at: 100s, add_nodes: 8, reshard: "mod:n=16", migration: { bandwidth: 100MB/s } }
)";

    std::string failScenario(int replication, const std::string& engineExtras = "")
    {
        return R"(
name: lose-one
duration: 1000s
tick: 1s
cluster: { nodes: 8, replication: )"
            + std::to_string(replication) + R"( }
data:
  tables:
    - { name: t_user, key: uid, rows: 8M, row_size: 1KB }
sharding: { rule: "mod:n=8" }
workload:
  rate: { shape: constant, base: 8K/s }
  keys: { distribution: uniform }
  mix:
    - { op: get, kind: point, table: t_user, by: uid, weight: 1 }
events:
  - { at: 500s, fail_node: 3 }
)" + engineExtras;
    }

} // namespace

TEST(EngineEvents, GrowingEightToSixteenMovesHalfOfHundredGigabytesInFiveHundredSeconds)
{
    const RunResult result = mustRun(kGrow);
    ASSERT_EQ(result.migrations.size(), 1u);
    const MigrationSummary& migration = result.migrations.front();
    EXPECT_EQ(migration.movedBytes, 50e9);
    EXPECT_EQ(migration.movedRows, 50e6);
    EXPECT_EQ(migration.movedFraction, 0.5);
    EXPECT_EQ(migration.optimumFraction, 0.5);
    EXPECT_EQ(migration.copyS, 500.0);
    EXPECT_EQ(migration.catchUpS, 0.0); // nothing is written
    EXPECT_EQ(migration.durationS, 500.0);
    EXPECT_EQ(migration.atS, 100.0);
    EXPECT_TRUE(migration.finished);
    EXPECT_TRUE(migration.exact);
    // Each old node sends an eighth of the moved bytes, each new node receives one.
    ASSERT_EQ(migration.nodeOutBytes.size(), 16u);
    for (size_t n = 0; n < 8; ++n) {
        EXPECT_EQ(migration.nodeOutBytes[n], 6.25e9);
        EXPECT_EQ(migration.nodeInBytes[n], 0.0);
        EXPECT_EQ(migration.nodeOutBytes[n + 8], 0.0);
        EXPECT_EQ(migration.nodeInBytes[n + 8], 6.25e9);
    }
    EXPECT_GT(migration.peakExtraUtilization, 0.0);
    // The copy's bytes per tick add up to the moved bytes; reads stay on the old layout until the cutover at 600 s.
    double copied = 0;
    for (const ClusterTick& tick : result.cluster)
        copied += tick.migrationBytesPerSecond * result.tickSeconds;
    EXPECT_NEAR(copied, 50e9, 1e-3);
    EXPECT_EQ(result.cluster[599].migrationBytesPerSecond, 100e6);
    EXPECT_EQ(result.cluster[600].migrationBytesPerSecond, 0.0);
    EXPECT_DOUBLE_EQ(result.cluster[599].imbalance.maxOverMean, 1.0); // 8 nodes, evenly
    EXPECT_DOUBLE_EQ(result.cluster[600].imbalance.maxOverMean, 1.0); // 16 nodes, evenly
    // New nodes served the 400 s after the cutover: 8K/s / 16 each.
    EXPECT_NEAR(result.nodes[8].requests, 400.0 * 500.0, 1e-6);
    EXPECT_NEAR(result.nodes[0].requests, 600.0 * 1000.0 + 400.0 * 500.0, 1e-6);
    // The summary carries it.
    const auto json = summaryJson(result);
    EXPECT_EQ(json["migrations"][0]["duration_s"], 500.0);
    EXPECT_EQ(json["migrations"][0]["moved_bytes"], 50e9);
    EXPECT_FALSE(hasWarning(result, "not simulated"));
}

TEST(EngineEvents, WritesDuringTheCopyAreCaughtUpBeforeTheCutover)
{
    std::string text = kGrow;
    // A tenth of the requests write one 1 KB row: 800 KB/s, half of it to moved rows (400 KB/s).
    text.replace(text.find("weight: 1 }"), 11, "weight: 9 }\n    - { op: put, kind: insert, table: t_user, weight: 1 }");
    const RunResult result = mustRun(text);
    ASSERT_EQ(result.migrations.size(), 1u);
    const MigrationSummary& migration = result.migrations.front();
    const double written = 8000 * 0.1 * 1000 * 0.5; // bytes/s to moved rows
    EXPECT_NEAR(migration.catchUpBytes, written * 500, 1e-3);
    // The backlog drains at the bandwidth while writes keep coming: backlog / (bandwidth - w).
    EXPECT_NEAR(migration.catchUpS, written * 500 / (100e6 - written), 1e-9);
    EXPECT_NEAR(migration.durationS, 500 + written * 500 / (100e6 - written), 1e-9);
}

TEST(EngineEvents, LosingOneOfEightUnreplicatedNodesHalfWayFailsASixteenth)
{
    const RunResult result = mustRun(failScenario(1));
    EXPECT_DOUBLE_EQ(result.availability.failedRequests / result.requests, 1.0 / 16.0);
    EXPECT_DOUBLE_EQ(result.availability.failedFraction, 1.0 / 16.0);
    EXPECT_DOUBLE_EQ(result.failedRequests, result.availability.failedRequests);
    EXPECT_DOUBLE_EQ(result.availability.affectedUsersFraction, 1.0 / 8.0);
    EXPECT_DOUBLE_EQ(result.availability.unavailableSeconds, 500.0);
    EXPECT_TRUE(result.migrations.empty()); // nothing to rebuild from
    EXPECT_FALSE(hasWarning(result, "not simulated"));
    EXPECT_EQ(result.cluster[500].downNodes, 1);
    EXPECT_EQ(result.cluster[499].downNodes, 0);
}

TEST(EngineEvents, SampledEngineFailsAboutASixteenth)
{
    const RunResult result = mustRun(failScenario(1), EngineMode::Sampled);
    EXPECT_NEAR(result.availability.failedFraction, 1.0 / 16.0, 0.001);
}

TEST(EngineEvents, WithTwoReplicasNothingFailsAndTheLoadFailsOver)
{
    const RunResult result = mustRun(failScenario(2));
    EXPECT_EQ(result.availability.failedRequests, 0.0);
    EXPECT_EQ(result.failedRequests, 0.0);
    EXPECT_EQ(result.availability.unavailableSeconds, 0.0);
    // node-3 served only the first half; its replica (node-4) took its load after the failure.
    EXPECT_NEAR(result.nodes[2].requests, 500.0 * 1000.0, 1e-6);
    EXPECT_NEAR(result.nodes[3].requests, 1000.0 * 1000.0 + 500.0 * 1000.0, 1e-6);
    // Its copies are rebuilt on other nodes: a migration of the two databases it held (2 GB at 100 MB/s).
    ASSERT_EQ(result.migrations.size(), 1u);
    const MigrationSummary& rebuild = result.migrations.front();
    EXPECT_EQ(rebuild.kind, "re-replication");
    EXPECT_EQ(rebuild.movedBytes, 2e9);
    EXPECT_EQ(rebuild.durationS, 20.0);
    EXPECT_TRUE(rebuild.finished);
}

TEST(EngineEvents, RecoveryEndsTheOutage)
{
    const RunResult result = mustRun(failScenario(1, "  - { at: 750s, recover_node: 3 }\n"));
    EXPECT_DOUBLE_EQ(result.availability.failedFraction, 1.0 / 32.0);
    EXPECT_DOUBLE_EQ(result.availability.unavailableSeconds, 250.0);
}

TEST(EngineEvents, RemovingANodeMovesOnlyItsDatabases)
{
    const RunResult result = mustRun(R"(
name: remove
duration: 600s
tick: 1s
cluster: { nodes: 8 }
data:
  tables:
    - { name: t_user, key: uid, rows: 64M, row_size: 100B }
sharding: { rule: "db-table:dbs=64,tables=1" }
workload:
  rate: { shape: constant, base: 1K/s }
  keys: { distribution: uniform }
  mix:
    - { op: get, kind: point, table: t_user, by: uid, weight: 1 }
events:
  - { at: 60s, remove_node: 8, migration: { bandwidth: 10MB/s } }
)");
    ASSERT_EQ(result.migrations.size(), 1u);
    const MigrationSummary& migration = result.migrations.front();
    // node-8 held 8 of the 64 databases: an eighth of the rows, the optimum for 8 -> 7 nodes.
    EXPECT_DOUBLE_EQ(migration.movedFraction, 1.0 / 8.0);
    EXPECT_DOUBLE_EQ(migration.optimumFraction, 1.0 / 8.0);
    EXPECT_DOUBLE_EQ(migration.movedBytes, 8e6 * 100);
    EXPECT_DOUBLE_EQ(migration.durationS, 80.0);
    EXPECT_EQ(migration.nodeOutBytes[7], 8e8);
    EXPECT_NEAR(result.nodes[7].rows, 0.0, 1e-6);
}

TEST(EngineEvents, FoldChangeMovesWholeDatabases)
{
    const RunResult result = mustRun(R"(
name: fold
duration: 600s
tick: 1s
cluster: { nodes: 8 }
data:
  tables:
    - { name: t_user, key: uid, rows: 6_400_000, row_size: 100B }
sharding: { rule: "db-table:dbs=64,tables=10,fold=8" }
workload:
  rate: { shape: constant, base: 1K/s }
  mix:
    - { op: get, kind: point, table: t_user, by: uid, weight: 1 }
events:
  - { at: 0s, add_nodes: 8, reshard: "db-table:dbs=64,tables=10,fold=16" }
)");
    ASSERT_EQ(result.migrations.size(), 1u);
    EXPECT_DOUBLE_EQ(result.migrations.front().movedFraction, 0.5);
    EXPECT_DOUBLE_EQ(result.migrations.front().optimumFraction, 0.5);
    EXPECT_DOUBLE_EQ(result.migrations.front().movedBytes, 3'200'000.0 * 100);
}

TEST(EngineEvents, DeterministicAcrossThreads)
{
    std::string text = failScenario(2, "  - { at: 600s, add_nodes: 8, reshard: \"mod:n=16\" }\n");
    const RunResult one = mustRun(text, EngineMode::Sampled, 1);
    const RunResult four = mustRun(text, EngineMode::Sampled, 4);
    EXPECT_EQ(summaryJson(one).dump(), summaryJson(four).dump());
}

} // namespace shardsim

namespace shardsim {

TEST(EngineEvents, PlacementChangeMovesTheDatabasesThatChangeNode)
{
    const RunResult result = mustRun(R"(
name: placement
duration: 300s
tick: 1s
cluster: { nodes: 4 }
data:
  tables:
    - { name: t_user, key: uid, rows: 4M, row_size: 250B }
sharding: { rule: "mod:n=4" }
workload:
  rate: { shape: constant, base: 4K/s }
  keys: { distribution: uniform }
events:
  - { at: 100s, placement: { explicit: [1, 1, 3, 4] }, migration: { bandwidth: 25MB/s } }
)");
    ASSERT_EQ(result.migrations.size(), 1u);
    const MigrationSummary& migration = result.migrations.front();
    // Database 2 (a quarter of the rows, 250 MB) moves from node-2 to node-1: 10 s at 25 MB/s.
    EXPECT_DOUBLE_EQ(migration.movedFraction, 0.25);
    EXPECT_DOUBLE_EQ(migration.movedBytes, 250e6);
    EXPECT_DOUBLE_EQ(migration.durationS, 10.0);
    EXPECT_DOUBLE_EQ(migration.nodeOutBytes[1], 250e6);
    EXPECT_DOUBLE_EQ(migration.nodeInBytes[0], 250e6);
    // After the cutover node-1 serves half the requests and node-2 none.
    EXPECT_NEAR(result.nodes[1].requests, 110.0 * 1000.0, 1e-6);
    EXPECT_NEAR(result.nodes[0].requests, 110.0 * 1000.0 + 190.0 * 2000.0, 1e-6);
}

} // namespace shardsim
