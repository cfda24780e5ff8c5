// measureKeyMovement against brute force: every key of 1..N routed through both rules with route(), the
// textbook numbers where the issue states them (mod 8 -> 16 moves exactly half; jump n -> n+1 moves 1/(n+1) of the
// keys, all into the new bucket; a fold 8 -> 16 moves half the databases), and a ring within its expected spread.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "shardsim/movement/key_movement.h"
#include "shardsim/rules/rule_factory.h"

using namespace shardsim;

namespace {

ShardRulePtr rule(const std::string& spec)
{
    auto made = makeRule(spec);
    EXPECT_TRUE(made) << spec << ": " << made.error();
    return made ? *made : nullptr;
}

KeyMovement measured(const std::string& from, const std::string& to, uint64_t keys)
{
    auto movement = measureKeyMovement(*parseRuleSpec(from), *parseRuleSpec(to), keys, RuleContext {});
    EXPECT_TRUE(movement) << movement.error();
    return movement ? *movement : KeyMovement {};
}

// Every key through route() (not the fast path the measurement uses), the matrix and the moved count built
// from the definition: between two range rules, the lowest key of each new range keeps the place of the old
// range it lies in unless a lower new range already kept it, and a key moves unless its new range kept its old
// range's place; between any other rules a key moves when its shard index or its shard's database differs.
struct BruteForce {
    uint64_t moved = 0;
    std::vector<uint64_t> matrix;
};

bool isRange(const ShardRule& rule) { return rule.spec().rfind("range:", 0) == 0; }

BruteForce bruteForce(const ShardRule& from, const ShardRule& to, uint64_t keys)
{
    BruteForce out;
    out.matrix.assign(static_cast<size_t>(from.shardCount() * to.shardCount()), 0);
    const bool ranges = isRange(from) && isRange(to);
    std::vector<int> keeps(static_cast<size_t>(to.shardCount()), -2); // -2: range not reached yet
    std::vector<bool> kept(static_cast<size_t>(from.shardCount()), false);
    for (uint64_t key = 1; key <= keys; ++key) {
        const auto a = from.route(Key::int64(static_cast<int64_t>(key)));
        const auto b = to.route(Key::int64(static_cast<int64_t>(key)));
        if (!a || !b)
            continue;
        out.matrix[static_cast<size_t>(a->index * to.shardCount() + b->index)] += 1;
        if (!ranges) {
            if (a->index != b->index || from.databaseOf(a->index) != to.databaseOf(b->index))
                ++out.moved;
            continue;
        }
        int& keep = keeps[static_cast<size_t>(b->index)];
        if (keep == -2) {
            keep = kept[static_cast<size_t>(a->index)] ? -1 : a->index;
            kept[static_cast<size_t>(a->index)] = true;
        }
        if (keep != a->index)
            ++out.moved;
    }
    return out;
}

void expectExact(const std::string& from, const std::string& to, uint64_t keys)
{
    SCOPED_TRACE(from + " -> " + to);
    const auto movement = measured(from, to, keys);
    const auto truth = bruteForce(*rule(from), *rule(to), keys);
    EXPECT_TRUE(movement.exact);
    EXPECT_EQ(movement.keys, keys);
    EXPECT_EQ(movement.movedKeys, truth.moved);
    EXPECT_EQ(movement.matrix, truth.matrix);
    EXPECT_DOUBLE_EQ(movement.movedFraction, static_cast<double>(truth.moved) / static_cast<double>(keys));
}

constexpr uint64_t kMillion = 1'000'000;

} // namespace

TEST(KeyMovement, ModEightToSixteenMovesExactlyHalf)
{
    const auto movement = measured("mod:n=8", "mod:n=16", kMillion);
    EXPECT_EQ(movement.movedKeys, 500'000u);
    EXPECT_DOUBLE_EQ(movement.movedFraction, 0.5);
    EXPECT_DOUBLE_EQ(movement.optimumFraction, 0.5);
    ASSERT_EQ(movement.from.size(), 8u);
    ASSERT_EQ(movement.to.size(), 16u);
    // shard-3 keeps keys 3, 19, ... and sends 11, 27, ... to shard-11: 62,500 keys each.
    EXPECT_EQ(movement.cell(3, 3), 62'500u);
    EXPECT_EQ(movement.cell(3, 11), 62'500u);
    EXPECT_EQ(movement.cell(3, 4), 0u);
}

TEST(KeyMovement, ModNToNPlusOneMovesNOverNPlusOne)
{
    // Keys 1..N*(N+1)*k: exactly N/(N+1) of them change shard.
    const auto movement = measured("mod:n=10", "mod:n=11", 110 * 9091);
    EXPECT_EQ(movement.movedKeys, 100u * 9091u);
    EXPECT_NEAR(movement.optimumFraction, 1.0 / 11.0, 1e-15);
}

TEST(KeyMovement, ArithmeticRulesAgreeWithBruteForceOverAMillionKeys)
{
    expectExact("mod:n=8", "mod:n=16", kMillion);
    expectExact("mod:n=7", "mod:n=12", kMillion);
    expectExact("mod:n=16", "mod:n=12", kMillion + 7);
    expectExact("db-table:dbs=8,tables=10", "db-table:dbs=16,tables=10", kMillion);
    expectExact("db-table:dbs=64,tables=10,fold=8", "db-table:dbs=64,tables=10,fold=16", kMillion);
    expectExact("range:bounds=250K|500K|750K", "range:bounds=250K|375K|500K|750K", kMillion);
    expectExact("range:bounds=250K|500K|750K", "range:bounds=100K|300K|310K|900K", kMillion);
    expectExact("range:bounds=0|250K|500K", "range:bounds=250K|400K", kMillion);
    expectExact("range:bounds=100K|200K", "mod:n=3", kMillion);
    expectExact("range-mod:span=200K,mod=4,dbs=4,overflow=clamp", "range-mod:span=200K,mod=4,dbs=8", kMillion);
    expectExact("hash-mod:n=8,hash=murmur3", "hash-mod:n=16,hash=murmur3", 200'000);
}

TEST(KeyMovement, JumpMovesOnlyIntoTheNewBuckets)
{
    expectExact("jump:buckets=8", "jump:buckets=9", kMillion);
    const auto movement = measured("jump:buckets=8", "jump:buckets=16", kMillion);
    // Every moved key lands in one of the new buckets 8..15 (the jump hash movement property).
    uint64_t intoNew = 0;
    for (size_t f = 0; f < 8; ++f)
        for (size_t t = 0; t < 16; ++t) {
            if (t < 8 && t != f) {
                EXPECT_EQ(movement.cell(f, t), 0u);
            }
            if (t >= 8)
                intoNew += movement.cell(f, t);
        }
    EXPECT_EQ(intoNew, movement.movedKeys);
    EXPECT_NEAR(movement.movedFraction, 0.5, 0.003); // binomial: sd 0.0005 at a million keys
}

// Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm" (2014), Figure 1.
int32_t jumpBucket(uint64_t key, int32_t buckets)
{
    int64_t b = -1, j = 0;
    while (j < buckets) {
        b = j;
        key = key * 2862933555777941757ULL + 1;
        j = static_cast<int64_t>(static_cast<double>(b + 1) * (double(1LL << 31) / double((key >> 33) + 1)));
    }
    return static_cast<int32_t>(b);
}

// The optimum is what the shards' real counts force, not the even split's 2/23, which a real assignment can
// undercut: a bucket keeps at most min(keys before, keys after), and jump moves keys only into new buckets, so it
// meets that bound exactly.
TEST(KeyMovement, TheOptimumOfAHashedGrowthIsBoundByTheRealCounts)
{
    std::vector<uint64_t> before(21, 0), after(23, 0);
    for (uint64_t key = 1; key <= kMillion; ++key) {
        ++before[static_cast<size_t>(jumpBucket(key, 21))];
        ++after[static_cast<size_t>(jumpBucket(key, 23))];
    }
    uint64_t kept = 0;
    for (size_t b = 0; b < 21; ++b)
        kept += std::min(before[b], after[b]);
    const double bound = 1 - static_cast<double>(kept) / double(kMillion);

    const auto movement = measured("jump:buckets=21", "jump:buckets=23", kMillion);
    EXPECT_DOUBLE_EQ(movement.optimumFraction, bound);
    EXPECT_DOUBLE_EQ(movement.movedFraction, bound);
    // A rule that moves keys between old shards too stays above its bound.
    const auto ring = measured("hash-mod:n=21,hash=murmur3", "hash-mod:n=23,hash=murmur3", kMillion);
    EXPECT_GT(ring.movedFraction, ring.optimumFraction + 0.5);
}

TEST(KeyMovement, FoldChangeMovesWholeDatabases)
{
    const auto movement = measured("db-table:dbs=64,tables=10,fold=8", "db-table:dbs=64,tables=10,fold=16", kMillion);
    // Logical databases 9..16, 25..32, ... change physical database: half of them, half of the keys.
    EXPECT_EQ(movement.movedKeys, 500'000u);
    EXPECT_DOUBLE_EQ(movement.optimumFraction, 0.5);
    // No key changes its logical table.
    for (size_t f = 0; f < movement.from.size(); ++f)
        for (size_t t = 0; t < movement.to.size(); ++t)
            if (f != t) {
                EXPECT_EQ(movement.cell(f, t), 0u);
            }
}

TEST(KeyMovement, RangeSplitMovesOnlyThePartThatLeaves)
{
    // Splitting [250K,500K) at 375K: keys 375,000..499,999 go to the new range; [500K,750K) and [750K,...) are
    // renumbered (shard 2 -> 3, 3 -> 4) but keep their place.
    const auto movement = measured("range:bounds=250K|500K|750K", "range:bounds=250K|375K|500K|750K", kMillion);
    EXPECT_EQ(movement.movedKeys, 125'000u);
    EXPECT_DOUBLE_EQ(movement.movedFraction, 0.125);
    EXPECT_EQ(movement.continued, (std::vector<int> { 0, 1, -1, 2, 3 }));
    EXPECT_EQ(movement.cell(1, 2), 125'000u);
    EXPECT_EQ(movement.cell(2, 3), 250'000u);
    // Both halves hold 125,000 keys: one of them must leave.
    EXPECT_DOUBLE_EQ(movement.optimumFraction, 0.125);
}

TEST(KeyMovement, RenumberedRangesMoveNothing)
{
    // A bound below the first key adds an empty range and renumbers every other one.
    const auto movement = measured("range:bounds=250K|500K|750K", "range:bounds=-1M|250K|500K|750K", kMillion);
    EXPECT_EQ(movement.movedKeys, 0u);
    EXPECT_EQ(movement.optimumFraction, 0.0);
    EXPECT_EQ(movement.continued, (std::vector<int> { -1, 0, 1, 2, 3 }));
}

TEST(KeyMovement, RangeMergeMovesTheUpperRange)
{
    // [1,250K) and [250K,500K) merge; the merged range keeps the lower one's place, so 250,000 keys move; the
    // least any layout must move is the smaller of the two, 249,999 keys (1..249,999).
    const auto movement = measured("range:bounds=250K|500K|750K", "range:bounds=500K|750K", kMillion);
    EXPECT_EQ(movement.movedKeys, 250'000u);
    EXPECT_DOUBLE_EQ(movement.optimumFraction, 249'999.0 / 1e6);
}

TEST(KeyMovement, RingGainingNodesStaysWithinItsSpread)
{
    const auto movement = measured("ring:nodes=8,vnodes=256", "ring:nodes=16,vnodes=256", kMillion);
    // Ideal 1/2; the new nodes' share spreads about 1/sqrt(V) per node, over 8 nodes about 1/sqrt(8 V) in total.
    EXPECT_NEAR(movement.movedFraction, 0.5, 3.0 / std::sqrt(8.0 * 256.0));
    // A ring moves keys only onto the new nodes.
    for (size_t f = 0; f < 8; ++f)
        for (size_t t = 0; t < 8; ++t)
            if (f != t) {
                EXPECT_EQ(movement.cell(f, t), 0u);
            }
}

TEST(KeyMovement, PeriodicCountsHoldForHugeKeySets)
{
    // 10^12 keys: one period routed, the rest multiplied.
    const auto movement = measured("mod:n=8", "mod:n=16", 1'000'000'000'000);
    EXPECT_EQ(movement.movedKeys, 500'000'000'000u);
    const auto fold = measured("db-table:dbs=8,tables=10", "db-table:dbs=16,tables=10", 1'000'000'000'003);
    // Period 160: the shard index stays when key mod 160 < 80.
    const uint64_t periods = 1'000'000'000'003 / 160;
    EXPECT_EQ(fold.movedKeys, periods * 80 + 0);
}

TEST(KeyMovement, BoundedMeasurementSamplesHashedRulesOnly)
{
    const auto sampled = *measureKeyMovementBounded(*rule("jump:buckets=8"), *rule("jump:buckets=16"), 1'000'000'000, 1 << 18);
    EXPECT_FALSE(sampled.exact);
    EXPECT_NEAR(sampled.movedFraction, 0.5, 0.01);
    const auto exact = *measureKeyMovementBounded(*rule("mod:n=8"), *rule("mod:n=16"), 1'000'000'000, 1 << 10);
    EXPECT_TRUE(exact.exact);
    EXPECT_EQ(exact.movedKeys, 500'000'000u);
}

TEST(KeyMovement, HugeMatricesAreRefusedWithTheReason)
{
    auto movement = measureKeyMovement(*parseRuleSpec("mod:n=5000"), *parseRuleSpec("mod:n=5001"), 10, RuleContext {});
    ASSERT_FALSE(movement);
    EXPECT_NE(movement.error().find("5000 x 5001 shards"), std::string::npos) << movement.error();
}

TEST(KeyMovement, BadSpecsAreNamed)
{
    auto movement = measureKeyMovement(*parseRuleSpec("mod:n=8"), *parseRuleSpec("mdo:n=16"), 10, RuleContext {});
    ASSERT_FALSE(movement);
    EXPECT_NE(movement.error().find("to rule"), std::string::npos) << movement.error();
}

TEST(KeyMovement, AnEstimateStatesItsStandardError)
{
    // hash-mod 8 -> 9 over 10^7 keys, counted exactly, then estimated from 10^5 evenly spaced keys.
    const auto exact = measured("hash-mod:n=8", "hash-mod:n=9", 10'000'000);
    ASSERT_TRUE(exact.exact);
    EXPECT_EQ(exact.standardError, 0);
    auto estimate = measureKeyMovement(
        *parseRuleSpec("hash-mod:n=8"), *parseRuleSpec("hash-mod:n=9"), 10'000'000, RuleContext {}, 100'000);
    ASSERT_TRUE(estimate) << estimate.error();
    EXPECT_FALSE(estimate->exact);
    EXPECT_EQ(estimate->sampledKeys, 100'000u);
    const double p = estimate->movedFraction;
    EXPECT_DOUBLE_EQ(estimate->standardError, std::sqrt(p * (1 - p) / 100'000));
    EXPECT_NEAR(estimate->movedFraction, exact.movedFraction, 5 * estimate->standardError);
    // A key stays when hash mod 8 = hash mod 9, i.e. hash mod 72 < 8: 1/9 stay.
    EXPECT_NEAR(exact.movedFraction, 8.0 / 9, 1e-3);
}

TEST(KeyMovement, TheCliBudgetNeverStartsAnHoursLongCount)
{
    // 10^13 keys of a hashed rule would route for hours one by one; within the budget they are sampled.
    auto estimate = measureKeyMovement(*parseRuleSpec("hash-mod:n=8"), *parseRuleSpec("hash-mod:n=9"),
        10'000'000'000'000, RuleContext {}, 1'000'000);
    ASSERT_TRUE(estimate) << estimate.error();
    EXPECT_FALSE(estimate->exact);
    EXPECT_EQ(estimate->keys, 10'000'000'000'000u);
    EXPECT_EQ(estimate->sampledKeys, 1'000'000u);
    EXPECT_NEAR(estimate->movedFraction, 8.0 / 9, 5 * estimate->standardError + 1e-9);
    EXPECT_NEAR(static_cast<double>(estimate->movedKeys), estimate->movedFraction * 1e13, 1e13 * 1e-9);
    // Periodic rules stay exact at any size: one period routed.
    auto periodic = measureKeyMovement(
        *parseRuleSpec("mod:n=8"), *parseRuleSpec("mod:n=16"), 10'000'000'000'000, RuleContext {}, 1'000'000);
    ASSERT_TRUE(periodic) << periodic.error();
    EXPECT_TRUE(periodic->exact);
    EXPECT_EQ(periodic->movedKeys, 5'000'000'000'000u);
}
