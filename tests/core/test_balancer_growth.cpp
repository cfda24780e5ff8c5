// The next growth of an auto-range cluster: the ranges the balancer moves onto a node that joins, derived by hand
// from each preset's tolerance band, and compare's growth columns that report them.

#include <gtest/gtest.h>

#include "shardsim/migration/balancer_growth.h"
#include "shardsim/migration/rule_comparison.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    constexpr double kMiB = 1024.0 * 1024.0;

    // One table of `rows` rows whose bytes are `bytes` in all, on `nodes` nodes.
    ScenarioConfig table(int64_t rows, double bytes, int nodes)
    {
        ScenarioLoad loaded = loadScenarioText(R"(
name: growth
duration: 1m
cluster: { nodes: 4, node: { max_qps: 10K, storage: 10TB } }
data:
  tables:
    - { name: t_item, key: item_id, rows: 1M }
sharding:
  rule: auto-range:preset=tikv
workload:
  rate: 1K/s
)",
            "growth.yaml", "");
        EXPECT_TRUE(loaded.ok()) << loaded.errorText();
        ScenarioConfig config = *loaded.config;
        config.cluster.nodes = nodes;
        config.data.tables[0].rows = rows;
        config.data.tables[0].rowSize = bytes / double(rows);
        return config;
    }

    BalancerGrowth grow(const ScenarioConfig& config, const std::string& spec, int from, int to)
    {
        auto rule = makeRule(spec);
        EXPECT_TRUE(rule) << rule.error();
        auto growth = measureBalancerGrowth(config, *asAutoRange(**rule), from, to);
        EXPECT_TRUE(growth) << growth.error();
        return growth ? *growth : BalancerGrowth {};
    }

    // TiKV: 40 regions of 256 MiB (2^20 rows of 256 B each), 10 on each of 4 nodes; a fifth joins. PD moves a region while the fuller store
    // holds more than 2 region sizes above the emptier: the new store takes regions until the fullest old one is at
    // most 2 ahead of it. After 7 (old stores 9, 8, 8, 8) the gap is 2: 7 of 40 regions move, 17.5% of the bytes,
    // where an even spread would need 1/5. The store limit lets one region in per 4 s (15 a minute), so the seventh
    // starts at 25 s and its 2.56 s copy at 100 MiB/s ends in the window that closes at 28 s.
    TEST(BalancerGrowth, TikvMovesRegionsUntilTheGapIsTwoRegionSizes)
    {
        const BalancerGrowth growth = grow(table(41'943'040, 40 * 256 * kMiB, 4), "auto-range:preset=tikv", 4, 5);
        EXPECT_EQ(growth.ranges, 40);
        EXPECT_EQ(growth.moves, 7);
        EXPECT_NEAR(growth.movedBytes, 7 * 256 * kMiB, 1);
        EXPECT_NEAR(growth.movedFraction, 7.0 / 40, 1e-12);
        EXPECT_NEAR(growth.optimumFraction, 1.0 / 5, 1e-12);
        EXPECT_DOUBLE_EQ(growth.seconds, 28);
    }

    // CockroachDB: 12,800 MiB (2^25 rows of 400 B) halves down to 32 ranges of 400 MiB (under range_max_bytes, 512 MiB), 8 on each of 4
    // nodes; a fifth joins. The mean is 6.4 ranges and the band max(5% x 6.4, 2) = 2: the new node takes ranges until
    // it is within 2 of the mean, 5 of them (6.4 - 5 = 1.4), 5/32 of the bytes. One snapshot at a time and a
    // rebalance pass a minute: the fifth starts at 241 s and copies 400 MiB at 32 MiB/s for 12.5 s.
    TEST(BalancerGrowth, CockroachdbMovesRangesUntilTheNewNodeIsWithinTheBand)
    {
        const BalancerGrowth growth = grow(table(33'554'432, 12'800 * kMiB, 4), "auto-range:preset=cockroachdb", 4, 5);
        EXPECT_EQ(growth.ranges, 32);
        EXPECT_EQ(growth.moves, 5);
        EXPECT_NEAR(growth.movedFraction, 5.0 / 32, 1e-12);
        EXPECT_NEAR(growth.optimumFraction, 1.0 / 5, 1e-12);
        EXPECT_DOUBLE_EQ(growth.seconds, 254);
    }

    // Four regions on five nodes doubled to ten: no two stores differ by more than one region, inside TiKV's band of
    // two, so nothing moves although an even spread would give the new half of the nodes half of the data.
    TEST(BalancerGrowth, AFewRegionsInsideTheBandDoNotMove)
    {
        const BalancerGrowth growth = grow(table(1'000'000, 1e9, 5), "auto-range:preset=tikv", 5, 10);
        EXPECT_EQ(growth.ranges, 4); // ceil(1e9 / 256 MiB)
        EXPECT_EQ(growth.moves, 0);
        EXPECT_EQ(growth.movedFraction, 0);
        EXPECT_NEAR(growth.optimumFraction, 0.5, 1e-12);
    }

    TEST(BalancerGrowth, CompareFillsTheGrowthColumnsForAutoRange)
    {
        const ScenarioConfig config = table(41'943'040, 40 * 256 * kMiB, 4);
        auto rows = compareRules(config, { *parseRuleSpec("auto-range:preset=tikv"), *parseRuleSpec("jump:buckets=4") },
            RunOptions {}, GrowthChoice::PlusOne);
        ASSERT_TRUE(rows) << rows.error();
        ASSERT_EQ(rows->size(), 2u);
        const RuleComparison& ranges = (*rows)[0];
        EXPECT_TRUE(ranges.autoRange);
        EXPECT_EQ(ranges.growthSpec, "5 nodes: 7 of 40 ranges moved in 28s");
        EXPECT_NEAR(ranges.growthMovedFraction, 7.0 / 40, 1e-12);
        EXPECT_NEAR(ranges.growthOptimumFraction, 1.0 / 5, 1e-12);
        EXPECT_NEAR(ranges.growthMovedBytes, 7 * 256 * kMiB, 1);
        EXPECT_FALSE((*rows)[1].autoRange);
        EXPECT_EQ((*rows)[1].growthSpec, "jump:buckets=5");
    }

} // namespace
} // namespace shardsim
