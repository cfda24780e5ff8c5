// Whole runs under an auto-range rule (docs/engine-model.md, "Ranges that split, merge and move"): moves never copy
// faster than the snapshot rate, a single hot key is reported unsplittable with its rate, a uniformly filled table
// starts split by size, and the expected and sampled engines agree. Expected numbers are worked out in each test.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "engine/key_domain.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    ScenarioConfig scenario(const std::string& body)
    {
        const std::string text = "name: auto-range\nseed: 5\ntick: 1s\n" + body;
        ScenarioLoad load = loadScenarioText(text, "auto-range.yaml", "");
        EXPECT_TRUE(load.ok()) << load.errorText() << "\n" << text;
        return load.config.value_or(ScenarioConfig {});
    }

    RunResult run(const ScenarioConfig& config, EngineMode engine = EngineMode::Expected)
    {
        RunOptions options;
        options.engine = engine;
        auto result = runSimulation(config, options);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
        return result.ok() ? *result : RunResult {};
    }

    // 1M rows of 1,000 bytes (10^9 bytes), halved while above 200 MB: 10^9 / 8 = 125 MB <= 200 MB < 250 MB, so eight
    // ranges of 125 MB, all on node-1 until node-2 joins at 10 s.
    const std::string kJoin = R"(duration: 2m
cluster: { nodes: 1, node: { max_qps: 100K } }
data:
  tables:
    - { name: t_item, key: item_id, rows: 1M, row_size: 1KB }
sharding:
  rule: "auto-range:preset=cockroachdb,split_size=200MB,merge_size=10MB,split_qps=1T,tolerance_ranges=0,balance_interval=1s,snapshot_rate=10MB/s"
workload: { rate: 1K/s, keys: uniform }
events:
  - { at: 10s, add_nodes: 1 }
)";

} // namespace

TEST(AutoRangeEngine, ALoadedTableStartsSplitBySizeAndAJoiningNodeFillsAtTheSnapshotRate)
{
    const RunResult result = run(scenario(kJoin));
    ASSERT_TRUE(result.ranges.has_value());
    const RangesSummary& ranges = *result.ranges;
    EXPECT_EQ(ranges.start, 8);
    EXPECT_EQ(ranges.end, 8);
    EXPECT_EQ(ranges.splits, 0); // the loaded table's splits happen before the run
    // Range counts 8/0 with a band of 5% of the mean of 4: moves until 4/4, one at a time per node (moves_per_node 1),
    // each 125 MB at 10 MB/s = 12.5 s: four moves, 500 MB, done by 10 + 4 x 12.5 = 60 s (window boundaries add a
    // second per move at most).
    EXPECT_EQ(ranges.moves, 4);
    EXPECT_NEAR(ranges.bytesMoved, 500e6, 1e3);
    EXPECT_EQ(ranges.maxRangesPerNode, 4);
    EXPECT_EQ(ranges.minRangesPerNode, 4);
    ASSERT_TRUE(ranges.balancedAtS.has_value());
    EXPECT_GE(*ranges.balancedAtS, 60);
    EXPECT_LE(*ranges.balancedAtS, 65);
    double fastest = 0;
    for (const ClusterTick& tick : result.cluster) {
        EXPECT_LE(tick.migrationBytesPerSecond, 10e6 * (1 + 1e-9)) << tick.time;
        fastest = std::max(fastest, tick.migrationBytesPerSecond);
    }
    EXPECT_NEAR(fastest, 10e6, 1); // and it copies at the limit while it moves
    EXPECT_TRUE(result.migrations.empty()); // no fixed migration: the balancer moved the ranges
}

TEST(AutoRangeEngine, ASingleHotKeyIsReportedUnsplittableWithItsRate)
{
    // Key 1 alone draws half of 10,000 requests/s: 5,000/s, above split_qps 2,500, and above the 4,000/s one node
    // serves. The other 999,999 keys share the rest: 5,000 / 999,999 each.
    const RunResult result = run(scenario(R"(duration: 1m
cluster: { nodes: 3, node: { max_qps: 4K } }
data:
  tables:
    - { name: t_item, key: item_id, rows: 1M, row_size: 1KB }
sharding:
  rule: "auto-range:preset=cockroachdb,split_windows=2"
workload:
  rate: 10K/s
  keys: { distribution: hotspot, hot_fraction: 0.0001%, hot_ops: 50%, at: start }
)"));
    ASSERT_TRUE(result.ranges.has_value());
    ASSERT_EQ(result.ranges->unsplittable.size(), 1u);
    const UnsplittableRange& key = result.ranges->unsplittable.front();
    EXPECT_EQ(key.key, 1);
    EXPECT_NEAR(key.rate, 5000, 0.01);
    EXPECT_GE(result.ranges->loadSplits, 1);
}

TEST(AutoRangeEngine, AFailedNodesRangesAreServedByTheirFollowersAndARemovedNodeIsDrained)
{
    // Eight ranges of 125 MB, two per node on 4 nodes, two copies each. node-2 fails at 10 s: its leaders pass to
    // node-3, where their followers live, and no request fails. node-4 is removed at 20 s: the balancer moves its
    // two ranges away and it leaves. node-2 is down, so the up members at the end are node-1 and node-3, with the
    // eight ranges evenly between them.
    const RunResult result = run(scenario(R"(duration: 2m
cluster: { nodes: 4, node: { max_qps: 100K }, replication: 2 }
data:
  tables:
    - { name: t_item, key: item_id, rows: 1M, row_size: 1KB }
sharding:
  rule: "auto-range:preset=cockroachdb,split_size=200MB,merge_size=10MB,split_qps=1T,tolerance_ranges=0,balance_interval=1s,snapshot_rate=100MB/s"
workload: { rate: 1K/s, keys: uniform }
events:
  - { at: 10s, fail_node: 2 }
  - { at: 20s, remove_node: 4 }
)"));
    ASSERT_TRUE(result.ranges.has_value());
    EXPECT_EQ(result.availability.failedRequests, 0);
    ASSERT_EQ(result.failovers.size(), 1u);
    EXPECT_EQ(result.failovers[0].takeoverNode, 2); // node-3
    EXPECT_TRUE(result.migrations.empty());
    EXPECT_EQ(result.ranges->end, 8);
    EXPECT_EQ(result.ranges->maxRangesPerNode, 4);
    EXPECT_EQ(result.ranges->minRangesPerNode, 4);
    EXPECT_GE(result.ranges->moves, 2); // node-4's two ranges, and node-2's lost copies rebuilt
}

TEST(AutoRangeEngine, TheExpectedAndSampledEnginesSplitAndMoveAlike)
{
    // A hot end (1% of the keys draw 90% of 12K requests/s) splits by load and spreads; the two engines route with
    // the rule of the moment, so they make the same decisions and their node shares agree within sampling error.
    const ScenarioConfig config = scenario(R"(duration: 2m
cluster: { nodes: 4, node: { max_qps: 1T } }
data:
  tables:
    - { name: t_item, key: item_id, rows: 1M, row_size: 1KB }
sharding:
  rule: "auto-range:preset=cockroachdb,split_size=256MB,merge_size=32MB,score=load,tolerance_ranges=0,tolerance=0.2,balance_interval=5s"
workload:
  rate: 12K/s
  keys: { distribution: hotspot, hot_fraction: 1%, hot_ops: 90%, at: end }
)");
    const RunResult expected = run(config, EngineMode::Expected);
    const RunResult sampled = run(config, EngineMode::Sampled);
    ASSERT_TRUE(expected.ranges && sampled.ranges);
    EXPECT_GT(expected.ranges->loadSplits, 0);
    EXPECT_EQ(expected.ranges->splits, sampled.ranges->splits);
    EXPECT_EQ(expected.ranges->end, sampled.ranges->end);
    EXPECT_EQ(expected.ranges->moves, sampled.ranges->moves);
    EXPECT_NEAR(expected.ranges->bytesMoved, sampled.ranges->bytesMoved, 1e-6 * expected.ranges->bytesMoved + 1);
    ASSERT_EQ(expected.nodes.size(), sampled.nodes.size());
    for (size_t n = 0; n < expected.nodes.size(); ++n)
        EXPECT_NEAR(expected.nodes[n].share, sampled.nodes[n].share, 0.01) << expected.nodes[n].name;
}

TEST(AutoRangeEngine, UnderTiKVsSettingsTheHotSchedulerSpreadsTheSplitPiecesAndBothEnginesAgree)
{
    // 1M rows of 1 KB load as four ranges of 250 MB (above region-max-size 384MiB, cut into pieces of at most 256MiB),
    // one per node, each with followers on the next two nodes; the newest 1% of the keys draw 90% of 12K reads/s, so
    // the last range, on node-4, serves 11.1K/s and splits by load (3K/s for 10 s) at 10 s and 20 s into four pieces
    // near 2.77K/s: [750001, 992300) with 2,300 hot keys and the cold ones (about 2,778/s), then three of 2,567 hot
    // keys (2,772/s each). Without the hot scheduler every piece stays on node-4. With it (PD's defaults), at 30 s the
    // pieces are hot: loads 303, 303, 303 and 11,094/s, mean 3,000, band 150. The first piece's leader passes to node-1
    // (a follower, 303 < 2,850), the next to node-2 (node-1 now has 3,081); node-4 still has 5,544 and no follower is
    // below 2,850, so a piece moves to node-3, copying its 2,567 rows of 1 KB; then the busiest has 3,081 <= 3,150 and
    // the round ends.
    const std::string body = R"(duration: 3m
cluster: { nodes: 4, replication: 3, node: { max_qps: 1T } }
data:
  tables:
    - { name: t_item, key: item_id, rows: 1M, row_size: 1KB }
workload:
  rate: 12K/s
  keys: { distribution: hotspot, hot_fraction: 1%, hot_ops: 90%, at: end }
sharding:
  rule: )";
    const RunResult off = run(scenario(body + "\"auto-range:preset=tikv,hot_schedule=off\"\n"));
    const ScenarioConfig on = scenario(body + "\"auto-range:preset=tikv\"\n");
    const RunResult expected = run(on, EngineMode::Expected);
    const RunResult sampled = run(on, EngineMode::Sampled);
    ASSERT_TRUE(off.ranges && expected.ranges && sampled.ranges);
    EXPECT_EQ(off.ranges->start, 4);
    EXPECT_GT(off.ranges->loadSplits, 0);
    EXPECT_EQ(off.ranges->leaderTransfers, 0);
    EXPECT_EQ(off.ranges->loadSplitNodes, 1);
    EXPECT_EQ(expected.ranges->loadSplits, off.ranges->loadSplits);
    EXPECT_EQ(expected.ranges->leaderTransfers, 2);
    EXPECT_EQ(expected.ranges->moves, 1);
    EXPECT_NEAR(expected.ranges->bytesMoved, 2567 * 1000.0, 1);
    EXPECT_EQ(expected.ranges->loadSplitNodes, 4);
    const auto busiest = [](const RunResult& result) {
        double share = 0;
        for (const NodeSummary& node : result.nodes)
            share = std::max(share, node.share);
        return share;
    };
    // Off, node-4 serves the hot end and its quarter of the rest the whole run: above 0.9.
    EXPECT_GT(busiest(off), 0.9);
    EXPECT_LT(busiest(expected), busiest(off) - 0.2);
    EXPECT_EQ(expected.ranges->leaderTransfers, sampled.ranges->leaderTransfers);
    EXPECT_EQ(expected.ranges->moves, sampled.ranges->moves);
    EXPECT_EQ(expected.ranges->splits, sampled.ranges->splits);
    EXPECT_NEAR(expected.ranges->bytesMoved, sampled.ranges->bytesMoved, 1e-6 * expected.ranges->bytesMoved + 1);
}

// A relayout builds the key domains anew, and the load window must weigh the new law (cut at the new bounds) even
// when the new domain lands where the old one was in memory. Told apart by its address, the same lesson gave
// different node shares depending on what the process had allocated before; a domain's serial tells them apart.
TEST(AutoRangeEngine, ADomainBuiltWhereAnotherWasIsToldApartFromIt)
{
    auto rule = makeRule("range:bounds=500|1000");
    ASSERT_TRUE(rule);
    KeyDistributionConfig keys;
    keys.kind = KeyDistributionKind::Uniform;
    const auto build = [&] {
        workload::RandomEngine placement(1);
        auto distribution = workload::makeKeyDistribution(keys, 2000, placement);
        EXPECT_TRUE(distribution);
        return std::make_unique<engine::KeyDomain>(
            engine::DomainPlan { 0, 0, 2000, 0 }, std::move(*distribution), keys, **rule, engine::KeyDomainSettings {});
    };
    auto domain = build();
    const void* address = domain.get();
    uint64_t serial = domain->serial();
    int reused = 0;
    for (int i = 0; i < 20; ++i) {
        domain.reset();
        domain = build();
        reused += domain.get() == address ? 1 : 0;
        EXPECT_NE(domain->serial(), serial);
        serial = domain->serial();
    }
    if (reused == 0)
        GTEST_SKIP() << "the allocator never reused the address (a sanitizer's quarantine): nothing to tell apart";
}

} // namespace shardsim
