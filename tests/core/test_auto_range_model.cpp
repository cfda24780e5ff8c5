// The model of ranges that split, merge and move (docs/engine-model.md, "Ranges that split, merge and move"), on
// its own: size splits of a uniformly filled table, load splits of a hot range, the key no split helps, merges after
// deletes, and moves at the snapshot rate. Every expected number is worked out by hand in the test.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engine/key_mass.h"
#include "engine/migration_process.h"
#include "engine/range_balancer.h"

using namespace shardsim;
using namespace shardsim::engine;

namespace {

AutoRangeSettings fixedSettings(double splitBytes, double targetBytes = 0)
{
    AutoRangeSettings settings;
    settings.preset = "test";
    settings.splitPolicy = SplitSizePolicy::Fixed;
    settings.splitBytes = splitBytes;
    settings.splitTargetBytes = targetBytes;
    settings.movesPerNode = 1;
    settings.snapshotBytesPerSecond = 10;
    settings.replicas = 1;
    return settings;
}

// Keys 1..n drawn evenly.
KeyLaw uniformLaw(uint64_t n)
{
    KeyLaw law;
    law.keyCount = n;
    law.segments.push_back(KeySegment { 1, n, 1.0, SegmentShape::Uniform });
    return law;
}

RangeLoad loadOf(const KeyLaw& law, double requestsPerSecond)
{
    RangeLoad load;
    load.laws.emplace_back(law);
    load.shares.push_back(1.0);
    load.requestsPerSecond = requestsPerSecond;
    return load;
}

RangeWindowInput window(double t, uint64_t keys, const RangeLoad* load = nullptr, double bytesPerRow = 1)
{
    RangeWindowInput input;
    input.t = t;
    input.keyCount = keys;
    input.bytesPerRow = bytesPerRow;
    input.load = load;
    return input;
}

} // namespace

TEST(AutoRangeModel, KeyMassOfRangesAndTheKeyThatHalvesThem)
{
    KeyLaw law = uniformLaw(1000);
    const KeyMass mass(law);
    EXPECT_DOUBLE_EQ(mass.ofRange(1, 500), 0.5);
    EXPECT_DOUBLE_EQ(mass.ofRange(251, 350), 0.1);
    EXPECT_EQ(mass.halvingKey(1, 1000), 500u);
    EXPECT_EQ(mass.halvingKey(101, 200), 150u);
}

TEST(AutoRangeModel, AUniformTableHalvesUntilEveryRangeIsUnderTheSplitSize)
{
    // 1000 rows of 1 byte in one range, split at 100 bytes into halves: 1000 / 2^4 = 62.5 <= 100 < 125 = 1000 / 2^3,
    // so four rounds of halving: 16 ranges of 62.5 bytes and 62.5 keys on average, 15 splits.
    RangeBalancer balancer(fixedSettings(100), 1, { 0 }, 1000, 1000);
    const RangeWindowStats stats = balancer.runWindow(window(1, 1000));
    EXPECT_EQ(stats.splits, 15);
    ASSERT_EQ(balancer.map().size(), 16u);
    for (size_t i = 0; i < 16; ++i) {
        EXPECT_NEAR(balancer.map()[i].rows, 62.5, 0.5) << i;
        EXPECT_LE(balancer.map()[i].rows, 100);
    }
    EXPECT_EQ(balancer.runWindow(window(2, 1000)).splits, 0);
}

TEST(AutoRangeModel, ARangeAboveTheMaximumIsCutIntoPiecesOfTheSplitSize)
{
    // TiKV's shape: above 144 bytes a range is cut into pieces of at most 96: ceil(1000 / 96) = 11 pieces of
    // 1000 / 11 = 90.9 bytes (90 or 91 whole keys).
    RangeBalancer balancer(fixedSettings(144, 96), 1, { 0 }, 1000, 1000);
    EXPECT_EQ(balancer.runWindow(window(1, 1000)).splits, 10);
    ASSERT_EQ(balancer.map().size(), 11u);
    for (const Range& range : balancer.map().ranges())
        EXPECT_NEAR(range.rows, 1000.0 / 11, 1.0);
}

TEST(AutoRangeModel, ABillionKeyTableKeepsAsManyRangesAsItsBytesCallFor)
{
    // 10^9 rows of 1 KB = 10^12 bytes; pieces of 96 MB: ceil(10^12 / 96e6) = 10'417 ranges, whatever the key count.
    RangeBalancer balancer(fixedSettings(144e6, 96e6), 1, { 0 }, 1'000'000'000, 1e9);
    balancer.runWindow(window(1, 1'000'000'000, nullptr, 1000));
    EXPECT_EQ(balancer.map().size(), 10'417u);
    EXPECT_LT(balancer.map().ranges().capacity() * sizeof(Range), 1'000'000u); // bytes: per range, not per key
}

TEST(AutoRangeModel, AHotRangeSplitsByLoadUntilEveryPieceIsUnderTheThreshold)
{
    // 1000 requests/s spread evenly over 1024 keys, hot above 300/s for 2 windows in a row: 1000 -> 2 x 500 ->
    // 4 x 250, and 250 <= 300 stops. The first split comes at window 2, the next two at window 4 (each piece waits
    // two windows of its own): 3 splits, 4 ranges of 256 keys.
    AutoRangeSettings settings = fixedSettings(1e18);
    settings.splitQps = 300;
    settings.splitWindows = 2;
    RangeBalancer balancer(settings, 1, { 0 }, 1024, 1024);
    const KeyLaw law = uniformLaw(1024);
    const RangeLoad load = loadOf(law, 1000);
    const std::vector<int> expected { 0, 1, 0, 2, 0, 0 };
    for (size_t w = 0; w < expected.size(); ++w)
        EXPECT_EQ(balancer.runWindow(window(static_cast<double>(w + 1), 1024, &load)).splits, expected[w]) << w;
    EXPECT_EQ(balancer.splits(), 3);
    ASSERT_EQ(balancer.map().size(), 4u);
    for (size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(balancer.map()[i].first, 1 + 256 * i);
        EXPECT_DOUBLE_EQ(balancer.map()[i].rate, 250);
    }
    EXPECT_TRUE(balancer.unsplittable().empty());
}

TEST(AutoRangeModel, ASingleHotKeyEndsAloneAndIsReportedUnsplittable)
{
    // Key 42 takes 90% of 10'000 requests/s, the other 999 keys share 10% evenly; hot above 2'000/s.
    // Window 1: keys 1..42 carry more than half, so the cut is after 42: 1..42 (9'004/s) and 43..1000 (996/s).
    // Window 2: in 1..42 the half is reached at 42, its last key, so the cut is before it: 1..41 and 42 alone.
    // Window 3: 42 alone is still hot at 0.9 x 10'000 = 9'000/s: unsplittable, on node-1 (node 0).
    KeyLaw law;
    law.keyCount = 1000;
    law.points.push_back(KeyPoint { 42, 0.9 });
    law.segments.push_back(KeySegment { 1, 41, 0.1 * 41 / 999, SegmentShape::Uniform });
    law.segments.push_back(KeySegment { 43, 1000, 0.1 * 958 / 999, SegmentShape::Uniform });
    AutoRangeSettings settings = fixedSettings(1e18);
    settings.splitQps = 2000;
    RangeBalancer balancer(settings, 1, { 0 }, 1000, 1000);
    const RangeLoad load = loadOf(law, 10'000);
    EXPECT_EQ(balancer.runWindow(window(1, 1000, &load)).splits, 1);
    EXPECT_EQ(balancer.map()[1].first, 43u);
    EXPECT_EQ(balancer.runWindow(window(2, 1000, &load)).splits, 1);
    EXPECT_EQ(balancer.map()[1].first, 42u);
    EXPECT_EQ(balancer.runWindow(window(3, 1000, &load)).splits, 0);
    const auto unsplittable = balancer.unsplittable();
    ASSERT_EQ(unsplittable.size(), 1u);
    EXPECT_EQ(unsplittable[0].key, 42u);
    EXPECT_NEAR(unsplittable[0].rate, 9000, 1e-6);
    EXPECT_EQ(unsplittable[0].node, 0);
}

TEST(AutoRangeModel, RangesMergeAfterDeletesOnceOldEnough)
{
    // Four ranges of 1'000 rows of 1 byte; 90% of the rows are deleted: 100 bytes each, under the merge size of 150.
    // Younger than 60 s nothing merges; at 60 s ranges 1+2 and 3+4 merge (each pair 200 bytes, under the split size
    // of 2'000); the merged ranges are born at 60 s and, at 200 bytes, no longer small: two merges in all.
    AutoRangeSettings settings = fixedSettings(2000);
    settings.mergeBytes = 150;
    settings.splitMergeIntervalSeconds = 60;
    RangeBalancer balancer(settings, 1, { 0 }, 4000, 4000, 4);
    EXPECT_EQ(balancer.runWindow(window(30, 4000)).merges, 0);
    balancer.map().scaleRows(0.1);
    EXPECT_EQ(balancer.runWindow(window(59, 4000)).merges, 0);
    EXPECT_EQ(balancer.runWindow(window(60, 4000)).merges, 2);
    ASSERT_EQ(balancer.map().size(), 2u);
    EXPECT_NEAR(balancer.map()[0].rows, 200, 1e-9);
    EXPECT_EQ(balancer.map()[1].first, 2001u);
    EXPECT_EQ(balancer.runWindow(window(200, 4000)).merges, 0);
}

TEST(AutoRangeModel, MovesCopyAtTheSnapshotRateAndChargeBothNodes)
{
    // Eight ranges of 100 bytes on node 0; node 1 joins. One move per node at a time at 10 bytes/s: the counts go
    // 8/0 -> 4/4 in four moves of 10 s each, one after the other; never more than 10 bytes/s.
    AutoRangeSettings settings = fixedSettings(1e18);
    RangeBalancer balancer(settings, 2, { 0 }, 800, 800, 8);
    balancer.addNode(1);
    double copied = 0;
    int moves = 0;
    for (int t = 0; t < 60; ++t) {
        moves += balancer.runWindow(window(t, 800)).moves;
        std::vector<double> background(2, 0.0);
        const double before = balancer.bytesMoved();
        balancer.advanceMoves(t, t + 1, background);
        const double bytes = balancer.bytesMoved() - before;
        EXPECT_LE(bytes, 10 + 1e-9) << t;
        EXPECT_NEAR(background[0], bytes / MigrationProcess::kCopyPacketBytes, 1e-15) << t;
        EXPECT_NEAR(background[1], bytes / MigrationProcess::kCopyPacketBytes, 1e-15) << t;
        copied += bytes;
    }
    EXPECT_EQ(moves, 4);
    EXPECT_NEAR(copied, 400, 1e-9);
    EXPECT_EQ(balancer.rangesPerNode(), (std::vector<int> { 4, 4 }));
    // The fourth move ends at 40 s; the window at 40 s finds nothing left to do.
    ASSERT_TRUE(balancer.balancedAt().has_value());
    EXPECT_DOUBLE_EQ(*balancer.balancedAt(), 40);
}

TEST(AutoRangeModel, ARemovedNodeIsDrainedAndAFailedNodesLeadersPassToTheNextMember)
{
    AutoRangeSettings settings = fixedSettings(1e18);
    settings.movesPerNode = 4;
    RangeBalancer balancer(settings, 3, { 0, 1, 2 }, 600, 600, 6); // ranges on nodes 0 1 2 0 1 2
    balancer.drainNode(2);
    for (int t = 0; t < 30; ++t) {
        std::vector<double> background(3, 0.0);
        balancer.runWindow(window(t, 600));
        balancer.advanceMoves(t, t + 1, background);
    }
    EXPECT_EQ(balancer.rangesPerNode(), (std::vector<int> { 3, 3, 0 }));
    EXPECT_EQ(balancer.members(), (std::vector<NodeId> { 0, 1 }));

    settings.replicas = 3;
    RangeBalancer failing(settings, 3, { 0, 1, 2 }, 600, 600, 6);
    EXPECT_TRUE(failing.failNode(1));
    // Node 1's two ranges lead on node 2 at once; their lost copies are rebuilt by moves that keep the leader.
    EXPECT_EQ(failing.leaders(), (std::vector<NodeId> { 0, 2, 2, 0, 2, 2 }));
    const RangeWindowStats stats = failing.runWindow(window(1, 600));
    EXPECT_GE(stats.moves, 1);
}
