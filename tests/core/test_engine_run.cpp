// Whole runs: timing of the Double-11 peak, determinism across threads, conservation of requests, storage with
// replicas, big clusters in the expected engine, and the run's plumbing. Latency and overload: test_node_latency.cpp.

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <numeric>
#include <sstream>

#include "engine/imbalance_meter.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/report/scenario_run.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/scenario/scenario_reader.h"
#include "shardsim/workload/harmonic.h"

namespace shardsim {
namespace {

    ScenarioConfig mustLoad(const std::string& text)
    {
        ScenarioLoad load = loadScenarioText(text, "run.yaml", "");
        EXPECT_TRUE(load.ok()) << load.errorText() << "\n" << text;
        return load.config.value_or(ScenarioConfig {});
    }

    RunResult mustRun(const ScenarioConfig& config, RunOptions options = {})
    {
        auto result = runScenario(config, std::move(options));
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
        return result.ok() ? *result : RunResult {};
    }

    RunOptions engineOptions(EngineMode engine, int threads = 1)
    {
        RunOptions options;
        options.engine = engine;
        options.threads = threads;
        return options;
    }

    bool hasWarning(const RunResult& result, const std::string& part)
    {
        return std::any_of(result.warnings.begin(), result.warnings.end(),
            [&](const std::string& warning) { return warning.find(part) != std::string::npos; });
    }

    // Every number of a result, printed exactly, in a fixed order.
    std::string serialise(const RunResult& result)
    {
        std::ostringstream out;
        out.precision(17);
        out << result.requests << ' ' << result.servedRequests << ' ' << result.shedRequests << ' '
            << result.failedRequests << ' ' << result.latency.p50Ms << ' ' << result.latency.p999Ms << '\n';
        for (const NodeSummary& node : result.nodes)
            out << node.requests << ' ' << node.peakQps << ' ' << node.p99LatencyMs << ' ' << node.p999LatencyMs << ' '
                << node.shedRequests << ' ' << node.rows << '\n';
        for (const ShardSummary& shard : result.shards)
            out << shard.name << ' ' << shard.requests << '\n';
        for (const OperationSummary& op : result.operations)
            out << op.name << ' ' << op.requests << '\n';
        for (const ClusterTick& tick : result.cluster)
            out << tick.qps << ' ' << tick.maxUtilization << ' ' << tick.p50LatencyMs << ' ' << tick.p99LatencyMs << ' '
                << tick.imbalance.gini << '\n';
        for (double rate : result.heatmap.rate)
            out << rate << ' ';
        out << '\n' << result.peak.tick << ' ' << result.imbalance.cv << '\n';
        return out.str();
    }

    // ---- The example scenario -----------------------------------------------------------------------------------

    // The default scenario's story: 22:00 to 01:00, base 40K/s and 5x at midnight (2h) after a 2 min ramp, held
    // 15 min; 4 nodes join at 23:40 with a reshard from 8 to 12 databases whose copy is still running at midnight.
    TEST(EngineRun, DoubleElevenMeltsAtMidnightWhileTheReshardCopies)
    {
        ScenarioLoad load = loadScenarioFile(std::string(SHARDSIM_RESOURCES) + "/scenarios/double-11-orders.yaml");
        ASSERT_TRUE(load.ok()) << load.errorText();
        const RunResult result = mustRun(*load.config);
        EXPECT_EQ(result.engine, EngineMode::Expected); // a billion requests: auto does not draw them
        EXPECT_GE(result.peak.time, 7200 + 120);
        EXPECT_LE(result.peak.time, 7200 + 1020);
        // Cluster qps counts shard requests: the client rate times the mix's amplification. The peak is 5x the
        // evening's first tick, give or take the copy's writes.
        const double amplification = result.requests / result.clientRequests;
        EXPECT_GT(amplification, 1.1);
        EXPECT_NEAR(result.peak.qps / result.cluster[0].qps, 5.0, 5.0 * 1e-2);
        // The evening is a third of the 8 nodes' 160K/s; the peak is more than all of them serve.
        EXPECT_LT(result.cluster[0].qps, 0.4 * 8 * 20'000);
        EXPECT_GT(result.peak.qps, 8 * 20'000);
        ASSERT_EQ(result.cluster.size(), 1'800u);
        EXPECT_EQ(result.nodes.size(), 12u); // 8, and the 4 that join at 23:40
        EXPECT_EQ(result.shards.size(), 200u); // 12 databases x 10 tables after the reshard, then the 8 x 10 before
        EXPECT_GT(result.shedRequests, 0.05 * result.requests);
        EXPECT_FALSE(hasWarning(result, "hold no data")); // the reshard gives the new nodes their share
        // The copy takes data to the new nodes and cuts over only after the spike's hold (00:17).
        ASSERT_EQ(result.migrations.size(), 1u);
        const MigrationSummary& copy = result.migrations[0];
        EXPECT_GT(copy.movedBytes, 100e9);
        EXPECT_LT(copy.atS, 7200);
        EXPECT_GT(copy.atS + copy.durationS, 7200 + 1020);
        EXPECT_TRUE(copy.finished);
        for (size_t node = 8; node < 12; ++node)
            EXPECT_GT(result.nodes[node].bytes, 0) << result.nodes[node].name;
        // The expectations say the story: the evening copes, midnight sheds, and it is not skew.
        ASSERT_EQ(result.expectations.size(), 3u);
        EXPECT_TRUE(result.expectations[0].ok) << result.expectations[0].value;
        EXPECT_FALSE(result.expectations[1].ok) << result.expectations[1].value;
        EXPECT_TRUE(result.expectations[2].ok) << result.expectations[2].value;
    }

    // ---- Determinism --------------------------------------------------------------------------------------------

    const char* kSampledScenario = R"(
name: threads
seed: 5
duration: 6s
cluster: { nodes: 16, node: { max_qps: 25K } }
data:
  tables:
    - { name: t_user, key: uid, rows: 1M, growth: 1K/s }
    - { name: t_region, rows: 34, broadcast: true }
sharding: { rule: "jump:buckets=64" }
workload:
  rate: 300K/s
  keys: { distribution: zipf, theta: 0.99 }
  mix:
    - { op: get, kind: point, table: t_user, weight: 9 }
    - { op: region, kind: point, table: t_region, weight: 1 }
)";

    TEST(EngineRun, SampledResultsDoNotDependOnThreads)
    {
        const ScenarioConfig config = mustLoad(kSampledScenario);
        const RunResult one = mustRun(config, engineOptions(EngineMode::Sampled, 1));
        ASSERT_GT(one.requests, 1.7e6); // several chunks a tick
        const std::string expected = serialise(one);
        EXPECT_EQ(serialise(mustRun(config, engineOptions(EngineMode::Sampled, 2))), expected);
        EXPECT_EQ(serialise(mustRun(config, engineOptions(EngineMode::Sampled, 3))), expected);
        EXPECT_EQ(serialise(mustRun(config, engineOptions(EngineMode::Sampled, 1))), expected);
        RunOptions otherSeed = engineOptions(EngineMode::Sampled, 2);
        otherSeed.seed = 6;
        EXPECT_NE(serialise(mustRun(config, otherSeed)), expected);
    }

    // ---- Conservation -------------------------------------------------------------------------------------------

    // Overloaded nodes (shed), keys beyond range-mod's databases (failed), broadcast reads and writes: every request
    // is on exactly one node or failed, and shed requests stay in the totals.
    TEST(EngineRun, EveryRequestIsCountedOnceInBothEngines)
    {
        const ScenarioConfig config = mustLoad(R"(
name: conservation
duration: 20s
cluster: { nodes: 4, node: { max_qps: 5K } }
data:
  tables:
    - { name: t_user, key: uid, rows: 50K, growth: 100/s }
    - { name: t_region, rows: 34, broadcast: true }
sharding: { rule: "range-mod:span=10K,mod=2,dbs=4" }
workload:
  rate: 30K/s
  mix:
    - { op: get, kind: point, table: t_user, weight: 8 }
    - { op: regions, kind: point, table: t_region, weight: 1 }
    - { op: set_region, kind: insert, table: t_region, weight: 1 }
)");
        for (EngineMode mode : { EngineMode::Expected, EngineMode::Sampled }) {
            SCOPED_TRACE(std::string(engineModeName(mode)));
            const RunResult result = mustRun(config, engineOptions(mode));
            double onNodes = 0;
            double shed = 0;
            for (const NodeSummary& node : result.nodes) {
                onNodes += node.requests;
                shed += node.shedRequests;
                EXPECT_LE(node.shedRequests, node.requests);
            }
            double ops = 0;
            for (const OperationSummary& op : result.operations)
                ops += op.requests;
            double onShards = 0;
            for (const ShardSummary& shard : result.shards)
                onShards += shard.requests;
            const double tolerance = mode == EngineMode::Sampled ? 0 : 1e-9 * result.requests;
            EXPECT_NEAR(onNodes + result.failedRequests, result.requests, tolerance);
            EXPECT_NEAR(ops, result.requests, tolerance);
            EXPECT_NEAR(shed, result.shedRequests, tolerance);
            // Every offered request was served, shed, or is still queued; or it failed before reaching a node.
            EXPECT_NEAR(result.servedRequests + result.shedRequests + result.queuedRequests + result.failedRequests,
                result.requests, 1e-9 * result.requests);
            EXPECT_GT(result.shedRequests, 0.2 * result.requests);
            // Keys 40,000..n have no database: (n - 39,999) / n of the point reads, with n = 50,000 + 100 t at tick t.
            double refused = 0;
            for (int t = 0; t < 20; ++t)
                refused += (10'001.0 + 100 * t) / (50'000 + 100 * t) / 20;
            const double sampling = mode == EngineMode::Sampled ? 5 * std::sqrt(0.2 / result.operations[0].requests) : 0;
            EXPECT_NEAR(result.failedRequests / result.operations[0].requests, refused, 1e-9 + sampling);
            // The shards carry the point reads that found a database.
            EXPECT_NEAR(onShards, result.operations[0].requests - result.failedRequests, tolerance);
            // A broadcast write counts once on each of the 4 databases.
            EXPECT_NEAR(result.operations[2].requests / result.operations[1].requests, 4.0, 0.05);
            EXPECT_TRUE(hasWarning(result, "cannot route"));
            EXPECT_TRUE(hasWarning(result, "broadcast table t_region"));
        }
    }

    // ---- Scale --------------------------------------------------------------------------------------------------

    // 10^9 keys on 1,024 nodes: the expected engine has no per-key memory; key 1 alone draws 1/H(10^9, 0.99).
    TEST(EngineRun, BillionKeysOnThousandNodesRunInTheExpectedEngine)
    {
        const ScenarioConfig config = mustLoad(R"(
name: scale
duration: 1h
cluster: { nodes: 1024, node: { max_qps: 50K } }
data:
  tables:
    - { name: t_user, key: uid, rows: 1B, growth: 2M/day }
sharding: { rule: "jump:buckets=1024" }
workload:
  rate: { shape: diurnal, base: 1M/s, peak: 2x }
  keys: { distribution: zipf, theta: 0.99 }
)");
        RunOptions options;
        const RunResult result = mustRun(config, options);
        EXPECT_EQ(result.engine, EngineMode::Expected);
        ASSERT_EQ(result.nodes.size(), 1024u);
        ASSERT_EQ(result.shards.size(), 1024u);
        ASSERT_EQ(result.cluster.size(), 1'800u); // 3,600 ticks in windows of 2
        double shares = 0;
        for (const ShardSummary& shard : result.shards)
            shares += shard.share;
        EXPECT_NEAR(shares, 1.0, 1e-9);
        const double keyOne = 1 / workload::harmonicNumber(1'000'000'000, 0.99);
        EXPECT_NEAR(keyOne, 0.042367, 1e-6);
        const auto rule = makeRule("jump:buckets=1024");
        const int hot = (*rule)->shardOfInteger(1);
        EXPECT_GT(result.shards[static_cast<size_t>(hot)].share, keyOne);
        EXPECT_LT(result.shards[static_cast<size_t>(hot)].share, keyOne + 0.01);
        EXPECT_GT(result.imbalance.maxOverMean, 1024 * keyOne);
        // The heat map's first key bucket holds keys 1..10^9/64 (and a little growth).
        const double firstBucket = workload::harmonicSum(1, static_cast<uint64_t>(result.heatmap.keyMax / 64), 0.99)
            / workload::harmonicNumber(1'000'000'000, 0.99);
        EXPECT_NEAR(result.heatmap.rate[0] / result.cluster[0].qps, firstBucket, 1e-4);
    }

    // ---- Storage ------------------------------------------------------------------------------------------------

    // mod:n=4 on 4 nodes, two copies: every node holds its own shard and the next one's copy.
    TEST(EngineRun, StorageCountsEveryReplica)
    {
        const ScenarioConfig config = mustLoad(R"(
name: replicas
duration: 2s
cluster: { nodes: 4, node: { storage: 1MB }, replication: 2 }
data:
  tables:
    - { name: t_user, rows: 1000, row_size: 100B }
    - { name: t_region, rows: 10, row_size: 50B, broadcast: true }
sharding: { rule: "mod:n=4" }
workload: { rate: 100/s }
)");
        const RunResult result = mustRun(config, engineOptions(EngineMode::Expected));
        for (const NodeSummary& node : result.nodes) {
            EXPECT_NEAR(node.rows, 2 * 250 + 2 * 10, 1e-9) << node.name;
            EXPECT_NEAR(node.bytes, 2 * 250 * 100 + 2 * 10 * 50, 1e-6) << node.name;
            EXPECT_NEAR(node.storageUtilization, node.bytes / 1e6, 1e-12) << node.name;
        }
        for (const ShardSummary& shard : result.shards)
            EXPECT_NEAR(shard.rows, 250, 1e-9) << shard.name; // one copy
        ASSERT_EQ(result.tables.size(), 2u);
        EXPECT_EQ(result.tables[0].physicalTables, 4);
        EXPECT_NEAR(result.tables[0].maxRowsPerTable, 250, 1e-9);
        EXPECT_EQ(result.tables[1].physicalTables, 4);
        EXPECT_EQ(result.tables[0].overLimit, 0);
    }

    // With regions a replica goes to the next region without a copy, on that region's nodes in turn: east's four
    // databases put their copies on north's two nodes alternately, north's on south's, south's back on east's.
    TEST(EngineRun, ReplicasSpreadOverOtherRegions)
    {
        const ScenarioConfig config = mustLoad(R"(
name: regions
duration: 1s
cluster: { nodes: 8, regions: { east: 4, north: 2, south: 2 }, replication: 2 }
data: { tables: [ { name: t, rows: 800 } ] }
sharding: { rule: "mod:n=8" }
workload: { rate: 100/s }
)");
        const RunResult result = mustRun(config, engineOptions(EngineMode::Expected));
        const double expected[8] = { 200, 200, 100, 100, 300, 300, 200, 200 };
        double total = 0;
        for (size_t n = 0; n < 8; ++n) {
            EXPECT_NEAR(result.nodes[n].rows, expected[n], 1e-9) << result.nodes[n].name;
            total += result.nodes[n].rows;
        }
        EXPECT_NEAR(total, 2 * 800, 1e-9);
    }

    // Sequential ids: rows 1..1500 and 10 inserts/s for 100 s are keys 1..2500, so the range shards end with
    // keys 1..999, 1000..1999 and 2000..2500: the last range took every insert once the keys reached it.
    TEST(EngineRun, SequentialInsertsLandOnTheNewestRange)
    {
        const ScenarioConfig config = mustLoad(R"(
name: growth
duration: 100s
cluster: { nodes: 3 }
data: { tables: [ { name: t, rows: 1500, growth: 10/s } ] }
sharding: { rule: "range:bounds=1000|2000" }
workload: { rate: 10/s }
limits: { max_rows_per_table: 1000 }
)");
        const RunResult result = mustRun(config, engineOptions(EngineMode::Expected));
        ASSERT_EQ(result.shards.size(), 3u);
        EXPECT_NEAR(result.shards[0].rows, 999, 1e-6);
        EXPECT_NEAR(result.shards[1].rows, 1000, 1e-6);
        EXPECT_NEAR(result.shards[2].rows, 501, 1e-6);
        EXPECT_NEAR(result.nodes[2].rows, 501, 1e-6);
        EXPECT_EQ(result.tables[0].overLimit, 0);
        EXPECT_EQ(result.tables[0].largest, "[1K,2K)");
    }

    TEST(EngineRun, RowsAboveTheTableLimitAreReported)
    {
        const ScenarioConfig config = mustLoad(R"(
name: limit
duration: 1s
cluster: { nodes: 2 }
data: { tables: [ { name: t_order, rows: 30M } ] }
sharding: { rule: "mod:n=2" }
workload: { rate: 10/s }
)");
        const RunResult result = mustRun(config);
        ASSERT_EQ(result.tables.size(), 1u);
        EXPECT_EQ(result.tables[0].overLimit, 2);
        EXPECT_NEAR(result.tables[0].maxRowsPerTable, 15e6, 1);
        EXPECT_TRUE(hasWarning(result, "t_order: 2 of 2 physical tables end above limits.max_rows_per_table (10M)"));
    }

    // ---- Regions ------------------------------------------------------------------------------------------------

    TEST(EngineRun, GeoRuleRoutesByTheRequestsRegion)
    {
        const ScenarioConfig config = mustLoad(R"(
name: geo
duration: 10s
cluster: { nodes: 4, regions: { east: 2, west: 2 } }
data: { tables: [ { name: t_user, rows: 10K } ] }
sharding: { rule: "geo:map=east:0|west:1", placement: by-region }
workload:
  rate: 100K/s
  geo: { east: 0.7, west: 0.3 }
)");
        for (EngineMode mode : { EngineMode::Expected, EngineMode::Sampled }) {
            const RunResult result = mustRun(config, engineOptions(mode));
            ASSERT_EQ(result.shards.size(), 2u);
            const double tolerance = mode == EngineMode::Expected ? 1e-12 : 5 * std::sqrt(0.21 / result.requests);
            EXPECT_NEAR(result.shards[0].share, 0.7, tolerance) << engineModeName(mode);
            EXPECT_NEAR(result.shards[1].share, 0.3, tolerance) << engineModeName(mode);
            EXPECT_EQ(result.nodes[static_cast<size_t>(result.shards[0].node)].region, "east");
            EXPECT_EQ(result.nodes[static_cast<size_t>(result.shards[1].node)].region, "west");
            // Rows follow the regions too.
            EXPECT_NEAR(result.shards[0].rows, 7'000, 1e-6);
        }
    }

    // ---- Plumbing -----------------------------------------------------------------------------------------------

    struct RecordingSink final : MetricsSink {
        int starts = 0;
        int finishes = 0;
        size_t nodes = 0;
        std::vector<ClusterTick> cluster;
        std::vector<std::vector<NodeTick>> nodeTicks;
        void onStart(const RunStart& start) override
        {
            ++starts;
            nodes = start.nodes.size();
        }
        void onTick(int64_t, const ClusterTick& tick, std::span<const NodeTick> ticks) override
        {
            cluster.push_back(tick);
            nodeTicks.emplace_back(ticks.begin(), ticks.end());
        }
        void onFinish(const RunResult&) override { ++finishes; }
    };

    TEST(EngineRun, AutoDrawsSmallRunsAndComputesLargeOnes)
    {
        const std::string small = "name: a\nduration: 10s\ncluster: { nodes: 2 }\ndata: { tables: [ { name: t, rows: "
                                  "1K } ] }\nsharding: { rule: \"mod:n=2\" }\nworkload: { rate: 100K/s }\n";
        auto simulation = Simulation::create(mustLoad(small), {});
        ASSERT_TRUE(simulation.ok());
        EXPECT_EQ(simulation->engine(), EngineMode::Sampled);
        std::string large = small;
        large.replace(large.find("100K/s"), 6, "2M/s");
        auto bigger = Simulation::create(mustLoad(large), {});
        ASSERT_TRUE(bigger.ok());
        EXPECT_EQ(bigger->engine(), EngineMode::Expected);
        auto forced = Simulation::create(mustLoad(large), engineOptions(EngineMode::Sampled));
        EXPECT_EQ(forced->engine(), EngineMode::Sampled);
        EXPECT_EQ(engineModeName(EngineMode::Auto), "auto");
        EXPECT_EQ(engineModeName(EngineMode::Sampled), "sampled");
        EXPECT_EQ(engineModeName(EngineMode::Expected), "expected");
    }

    TEST(EngineRun, StepsCancelAndFinish)
    {
        const ScenarioConfig config = mustLoad(R"(
name: steps
duration: 10s
cluster: { nodes: 2 }
data: { tables: [ { name: t, rows: 1K } ] }
sharding: { rule: "mod:n=2" }
workload: { rate: 1K/s }
events:
  - { at: 5s, add_nodes: 2 }
  - { at: 6s, reshard: "mod:n=4" }
expect:
  - { metric: requests.total, at_least: 1 }
)");
        std::atomic<bool> cancel { false };
        RecordingSink sink;
        RunOptions options = engineOptions(EngineMode::Sampled);
        options.cancel = &cancel;
        options.sinks.push_back(&sink);
        int progressCalls = 0;
        options.progress = [&](int64_t tick, int64_t ticks) {
            ++progressCalls;
            EXPECT_EQ(ticks, 10);
            if (tick == 3)
                cancel = true;
        };
        const RunResult result = mustRun(config, options);
        EXPECT_TRUE(result.cancelled);
        EXPECT_EQ(result.ticks, 3);
        EXPECT_EQ(result.cluster.size(), 3u);
        EXPECT_EQ(progressCalls, 3);
        EXPECT_EQ(sink.starts, 1);
        EXPECT_EQ(sink.finishes, 1);
        EXPECT_EQ(sink.nodes, 4u); // the two that join at 5 s are known from the start
        EXPECT_EQ(sink.cluster.size(), 3u);
        EXPECT_TRUE(result.migrations.empty()); // cancelled before the events' time
        EXPECT_FALSE(hasWarning(result, "was not simulated"));
        ASSERT_EQ(result.expectations.size(), 1u);
        EXPECT_TRUE(result.expectationsHeld());

        auto simulation = Simulation::create(config, engineOptions(EngineMode::Expected));
        ASSERT_TRUE(simulation.ok());
        EXPECT_EQ(simulation->tickCount(), 10);
        int steps = 0;
        while (simulation->step())
            ++steps;
        EXPECT_EQ(steps, 10);
        EXPECT_EQ(simulation->tick(), 10);
        const RunResult finished = simulation->finish();
        EXPECT_FALSE(finished.cancelled);
        EXPECT_NEAR(finished.requests, 10'000, 1e-6);
        EXPECT_FALSE(simulation->step());
    }

    // ---- Formulas -----------------------------------------------------------------------------------------------

    TEST(EngineFormulas, ImbalanceDefinitions)
    {
        const std::vector<double> even = { 5, 5, 5, 5 };
        const Imbalance flat = engine::imbalanceOf(even);
        EXPECT_DOUBLE_EQ(flat.maxOverMean, 1);
        EXPECT_DOUBLE_EQ(flat.cv, 0);
        EXPECT_DOUBLE_EQ(flat.gini, 0);
        const std::vector<double> one = { 0, 0, 0, 4 };
        const Imbalance all = engine::imbalanceOf(one);
        EXPECT_DOUBLE_EQ(all.maxOverMean, 4);
        EXPECT_NEAR(all.cv, std::sqrt(3.0), 1e-12);
        EXPECT_NEAR(all.gini, 0.75, 1e-12); // (n - 1) / n
        // Gini as the mean absolute difference over twice the mean, for an uneven vector in any order.
        const std::vector<double> uneven = { 3, 1, 7, 2, 2, 9 };
        double pairs = 0;
        for (double a : uneven)
            for (double b : uneven)
                pairs += std::fabs(a - b);
        const double mean = std::accumulate(uneven.begin(), uneven.end(), 0.0) / 6;
        engine::ImbalanceMeter meter;
        EXPECT_NEAR(meter.measure(uneven).gini, pairs / (2 * 36 * mean), 1e-12);
        const std::vector<double> shuffled = { 9, 2, 2, 7, 1, 3 };
        EXPECT_NEAR(meter.measure(shuffled).gini, pairs / (2 * 36 * mean), 1e-12);
    }

} // namespace
} // namespace shardsim
