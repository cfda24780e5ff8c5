// Range rules move what physically moves (docs/migration-model.md, section 1): a split moves the part of the range
// that leaves, a renumbered range moves nothing, and optimumFraction is a true lower bound. References: a
// brute-force best pairing of old and new ranges, key counts by hand, and whole runs of a scenario.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "shardsim/engine/simulation.h"
#include "shardsim/migration/scenario_movement.h"
#include "shardsim/movement/key_movement.h"
#include "shardsim/migration/rule_comparison.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/scenario/scenario_reader.h"

using namespace shardsim;

namespace {

std::string rangeSpec(const std::set<int64_t>& bounds)
{
    std::string spec = "range:bounds=";
    const char* separator = "";
    for (const int64_t bound : bounds) {
        spec += separator;
        spec += std::to_string(bound);
        separator = "|";
    }
    return spec;
}

KeyMovement measured(const std::string& from, const std::string& to, uint64_t keys)
{
    auto movement = measureKeyMovement(*parseRuleSpec(from), *parseRuleSpec(to), keys, RuleContext {});
    EXPECT_TRUE(movement) << movement.error();
    return movement ? *movement : KeyMovement {};
}

// The most keys any one-to-one pairing of old and new ranges keeps in place, by trying every pairing: new range
// by new range, each takes a free old range or none (old ranges as a bit mask).
uint64_t bestKept(const std::set<int64_t>& from, const std::set<int64_t>& to, uint64_t keys)
{
    const std::vector<int64_t> a(from.begin(), from.end()), b(to.begin(), to.end());
    const size_t olds = a.size() + 1, news = b.size() + 1;
    const auto shardOf = [](const std::vector<int64_t>& bounds, int64_t key) {
        return static_cast<size_t>(std::upper_bound(bounds.begin(), bounds.end(), key) - bounds.begin());
    };
    std::vector<std::vector<uint64_t>> overlap(olds, std::vector<uint64_t>(news, 0));
    for (int64_t key = 1; key <= static_cast<int64_t>(keys); ++key)
        ++overlap[shardOf(a, key)][shardOf(b, key)];
    std::vector<uint64_t> best(size_t(1) << olds, 0); // by the set of old ranges already taken
    for (size_t t = 0; t < news; ++t) {
        std::vector<uint64_t> next = best;
        for (size_t mask = 0; mask < best.size(); ++mask)
            for (size_t f = 0; f < olds; ++f)
                if (!(mask & (size_t(1) << f)))
                    next[mask | (size_t(1) << f)] = std::max(next[mask | (size_t(1) << f)], best[mask] + overlap[f][t]);
        best = next;
    }
    return *std::max_element(best.begin(), best.end());
}

std::set<int64_t> randomBounds(std::mt19937_64& random, int64_t low, int64_t high)
{
    std::uniform_int_distribution<int> count(1, 5);
    std::uniform_int_distribution<int64_t> bound(low, high);
    std::set<int64_t> bounds;
    for (int n = count(random); static_cast<int>(bounds.size()) < n;)
        bounds.insert(bound(random));
    return bounds;
}

// Keys 1..keys in [lo, hi).
uint64_t keysIn(int64_t lo, int64_t hi, uint64_t keys)
{
    const int64_t first = std::max<int64_t>(lo, 1);
    const int64_t last = std::min<int64_t>(hi - 1, static_cast<int64_t>(keys));
    return last >= first ? static_cast<uint64_t>(last - first + 1) : 0;
}

ScenarioConfig scenario(const std::string& rule, int nodes, const std::string& events = "")
{
    const std::string text = R"(
name: ranges
duration: 20s
tick: 1s
cluster: { nodes: )"
        + std::to_string(nodes) + R"(, node: { max_qps: 20K } }
data:
  tables:
    - { name: t_user, key: uid, rows: 1M, row_size: 1KB }
sharding: { rule: ")"
        + rule + R"(" }
workload:
  rate: { shape: constant, base: 1K/s }
  keys: { distribution: uniform }
  mix:
    - { op: get, kind: point, table: t_user, by: uid, weight: 1 }
)" + events;
    ScenarioLoad load = loadScenarioText(text, "ranges.yaml", "");
    EXPECT_TRUE(load.ok()) << load.errorText();
    return load.config.value_or(ScenarioConfig {});
}

constexpr const char* kBefore = "range:bounds=250K|500K|750K";
constexpr const char* kSplit = "range:bounds=250K|375K|500K|750K";

} // namespace

TEST(RangeMovement, EveryChangeOfRangesMovesAtLeastItsOptimum)
{
    std::mt19937_64 random(14);
    constexpr uint64_t kKeys = 2000;
    for (int trial = 0; trial < 300; ++trial) {
        const auto from = randomBounds(random, -100, 2100);
        const auto to = randomBounds(random, -100, 2100);
        SCOPED_TRACE(rangeSpec(from) + " -> " + rangeSpec(to));
        const KeyMovement movement = measured(rangeSpec(from), rangeSpec(to), kKeys);
        EXPECT_NEAR(movement.optimumFraction, 1.0 - static_cast<double>(bestKept(from, to, kKeys)) / kKeys, 1e-12);
        EXPECT_GE(movement.movedFraction, movement.optimumFraction - 1e-12);
    }
}

TEST(RangeMovement, ASingleSplitMovesTheUpperPartAndItsOptimumIsTheSmallerPart)
{
    std::mt19937_64 random(41);
    constexpr uint64_t kKeys = 2000;
    int reached = 0;
    for (int trial = 0; trial < 300; ++trial) {
        const auto from = randomBounds(random, 2, 2000);
        auto to = from;
        const int64_t cut = std::uniform_int_distribution<int64_t>(2, 2000)(random);
        if (!to.insert(cut).second)
            continue;
        SCOPED_TRACE(rangeSpec(from) + " -> " + rangeSpec(to));
        // The range [lo, hi) that holds the cut: its keys from the cut up leave, the others stay.
        const auto above = from.upper_bound(cut);
        const int64_t hi = above == from.end() ? INT64_MAX : *above;
        const int64_t lo = above == from.begin() ? INT64_MIN : *std::prev(above);
        const uint64_t lower = keysIn(lo, cut, kKeys), upper = keysIn(cut, hi, kKeys);
        const KeyMovement movement = measured(rangeSpec(from), rangeSpec(to), kKeys);
        EXPECT_EQ(movement.movedKeys, upper);
        EXPECT_DOUBLE_EQ(movement.optimumFraction, static_cast<double>(std::min(lower, upper)) / kKeys);
        if (upper <= lower) {
            EXPECT_DOUBLE_EQ(movement.movedFraction, movement.optimumFraction);
            ++reached;
        }
    }
    EXPECT_GT(reached, 50);
}

TEST(RangeMovement, ASplitOntoAnEmptyNodeMovesOnlyTheNewRange)
{
    // Five nodes, four ranges: node-5 holds nothing. The split's new range [375K,500K) goes there; the renumbered
    // ranges keep their nodes.
    auto movement = measureScenarioMovement(scenario(kBefore, 5), *parseRuleSpec(kBefore), *parseRuleSpec(kSplit));
    ASSERT_TRUE(movement) << movement.error();
    const DataMovement& data = movement->data;
    EXPECT_DOUBLE_EQ(data.movedFraction, 0.125);
    EXPECT_DOUBLE_EQ(data.optimumFraction, 0.125);
    EXPECT_DOUBLE_EQ(data.movedBytes, 125'000.0 * 1000);
    EXPECT_DOUBLE_EQ(data.nodeOut[1], 125'000.0 * 1000); // [250K,500K) lives on node-2
    EXPECT_DOUBLE_EQ(data.nodeIn[4], 125'000.0 * 1000);
    for (size_t node : { 0, 2, 3 })
        EXPECT_EQ(data.nodeOut[node] + data.nodeIn[node] + data.nodeLocal[node], 0.0) << "node-" << node + 1;
}

TEST(RangeMovement, TheEngineKeepsRenumberedRangesOnTheirNodes)
{
    const RunResult result = [] {
        auto run = runSimulation(
            scenario(kBefore, 4, "events:\n  - { at: 5s, reshard: \"range:bounds=250K|375K|500K|750K\" }\n"),
            RunOptions {});
        EXPECT_TRUE(run.ok()) << (run.ok() ? "" : run.error());
        return run.ok() ? *run : RunResult {};
    }();
    ASSERT_EQ(result.migrations.size(), 1u);
    const MigrationSummary& split = result.migrations.front();
    EXPECT_DOUBLE_EQ(split.movedFraction, 0.125);
    EXPECT_DOUBLE_EQ(split.optimumFraction, 0.125);
    EXPECT_DOUBLE_EQ(split.movedRows, 125'000.0);
    // Round-robin would put the renumbered [500K,750K) and [750K,...) on node-4 and node-1; they stay on node-3
    // and node-4, and nothing leaves them.
    EXPECT_EQ(split.nodeOutBytes[2], 0.0);
    EXPECT_EQ(split.nodeOutBytes[3], 0.0);
}

TEST(RangeMovement, CompareGrowsARangeRuleByHalfOfEachSplitRange)
{
    // The next growth step splits [1,250K), [250K,500K) and [500K,750K) at their middles (125K, 375K, 625K): the
    // upper halves leave, 125,000 keys each; [750K,1M] is unbounded and not split.
    RunOptions options;
    auto rows = compareRules(scenario(kBefore, 4), { *parseRuleSpec(kBefore) }, options);
    ASSERT_TRUE(rows) << rows.error();
    const RuleComparison& row = rows->front();
    EXPECT_EQ(row.growthSpec, "range:bounds=125K|250K|375K|500K|625K|750K");
    EXPECT_DOUBLE_EQ(row.growthMovedFraction, 3 * 125'000.0 / 1e6);
    // The smaller half of [1,250K) is its lower one, 1..124,999.
    EXPECT_DOUBLE_EQ(row.growthOptimumFraction, (124'999.0 + 2 * 125'000.0) / 1e6);
}
