// The hot-range scheduler beside the balance (docs/engine-model.md, "Ranges that split, merge and move", phase 6): the
// pieces of a hot range leave the node they split on, leaders first to a node holding a follower copy (nothing
// copied), then by moves that copy; with hot_schedule=off they stay. Every expected placement is worked out by hand.

#include <gtest/gtest.h>

#include <vector>

#include "engine/key_mass.h"
#include "engine/range_balancer.h"

using namespace shardsim;
using namespace shardsim::engine;

namespace {

// Four nodes, three copies of every range (followers on the next two members), no size split and a byte balance
// whose band no table here leaves: only the hot scheduler moves anything. A range is hot from its first window at
// 10 requests/s or more; the band is 5% of the mean load; four operations per round.
AutoRangeSettings hotSettings(bool on)
{
    AutoRangeSettings settings;
    settings.preset = "test";
    settings.splitPolicy = SplitSizePolicy::Fixed;
    settings.score = BalanceScore::Bytes;
    settings.tolerance = 1e9;
    settings.movesPerNode = 1;
    settings.snapshotBytesPerSecond = 10;
    settings.replicas = 3;
    settings.hotSchedule = on;
    settings.hotIntervalSeconds = 1;
    settings.hotMinRate = 10;
    settings.hotWindows = 1;
    settings.hotTolerance = 0.05;
    settings.hotMovesAtOnce = 4;
    return settings;
}

// 400 requests/s spread evenly over keys 1..400.
RangeLoad evenLoad(const KeyLaw& law)
{
    RangeLoad load;
    load.laws.emplace_back(law);
    load.shares.push_back(1.0);
    load.requestsPerSecond = 400;
    return load;
}

KeyLaw uniformLaw()
{
    KeyLaw law;
    law.keyCount = 400;
    law.segments.push_back(KeySegment { 1, 400, 1.0, SegmentShape::Uniform });
    return law;
}

RangeWindowInput window(double t, const RangeLoad& load)
{
    RangeWindowInput input;
    input.t = t;
    input.keyCount = 400;
    input.bytesPerRow = 1;
    input.load = &load;
    return input;
}

// A table of 400 keys and 400 one-byte rows on node 0 of four, split by load above 150 requests/s.
RangeBalancer splittingTable(bool on)
{
    AutoRangeSettings settings = hotSettings(on);
    settings.splitQps = 150;
    settings.splitWindows = 1;
    return RangeBalancer(settings, 4, { 0, 1, 2, 3 }, 400, 400);
}

} // namespace

TEST(HotRangeScheduler, TheSplitPiecesOfAHotRangeSpreadByLeaderTransfersWithoutCopyingAByte)
{
    // Window 1: 400/s > 150 splits the range into 1..200 and 201..400, 200/s each, on node 0. Loads 400/0/0/0, mean
    // 100, band 5: node 0 is a source (400 > 105). Its followers are nodes 1 and 2; 1..200 passes to node 1 (0 < 95,
    // 0 + 200 < 400). Then node 0 has 200: node 1 (200) is no target and node 2 would reach 200, not below what node
    // 0 has, and neither would node 3 by a move: the round ends with leaders 1, 0.
    RangeBalancer balancer = splittingTable(true);
    const KeyLaw law = uniformLaw();
    const RangeLoad load = evenLoad(law);
    const RangeWindowStats first = balancer.runWindow(window(1, load));
    EXPECT_EQ(first.splits, 1);
    EXPECT_EQ(first.leaderTransfers, 1);
    EXPECT_EQ(first.moves, 0);
    EXPECT_EQ(balancer.leaders(), (std::vector<NodeId> { 1, 0 }));
    // Window 2: both halves split, into four pieces of 100/s: 1..100 and 101..200 on node 1, 201..300 and 301..400
    // on node 0. Loads 200/200/0/0. Node 0 (the first of the busiest) passes 201..300 to its follower node 2 (0 < 95,
    // 100 < 200); then node 1 passes 1..100 to its follower node 3 (its other, node 2, now has 100): 100 each.
    const RangeWindowStats second = balancer.runWindow(window(2, load));
    EXPECT_EQ(second.splits, 2);
    EXPECT_EQ(second.leaderTransfers, 2);
    EXPECT_EQ(second.moves, 0);
    EXPECT_EQ(balancer.leaders(), (std::vector<NodeId> { 3, 1, 2, 0 }));
    // k = 4 pieces on n = 4 nodes: at most ceil(4 / 4) = 1 each, and nothing copied.
    EXPECT_EQ(balancer.rangesPerNode(), (std::vector<int> { 1, 1, 1, 1 }));
    std::vector<double> background(4, 0.0);
    balancer.advanceMoves(2, 3, background);
    const RangeWindowStats third = balancer.runWindow(window(3, load));
    EXPECT_EQ(third.leaderTransfers + third.moves + third.splits, 0);
    EXPECT_EQ(balancer.leaderTransfers(), 3);
    EXPECT_EQ(balancer.movesDone(), 0);
    EXPECT_DOUBLE_EQ(balancer.bytesMoved(), 0);
}

TEST(HotRangeScheduler, WithTheSchedulerOffThePiecesStayWhereTheySplit)
{
    RangeBalancer balancer = splittingTable(false);
    const KeyLaw law = uniformLaw();
    const RangeLoad load = evenLoad(law);
    for (int t = 1; t <= 3; ++t)
        EXPECT_EQ(balancer.runWindow(window(t, load)).leaderTransfers, 0) << t;
    EXPECT_EQ(balancer.splits(), 3);
    EXPECT_EQ(balancer.leaders(), (std::vector<NodeId> { 0, 0, 0, 0 }));
    EXPECT_EQ(balancer.leaderTransfers(), 0);
    EXPECT_EQ(balancer.movesDone(), 0);
}

TEST(HotRangeScheduler, ARangeNoFollowerCanTakeMovesAndCopiesItsBytes)
{
    // Four ranges of 100 keys (100 bytes, 100/s each), all led from node 0. Loads 400/0/0/0, mean 100, band 5.
    // 1..100 passes to follower node 1, 101..200 to follower node 2 (node 1 has 100, not below 95). Node 0 has 200:
    // both followers have 100, so 201..300 moves to node 3 (0 + 100 < 200), copying 100 bytes at 10 bytes/s; counted
    // as done, every node has 100 and the round ends.
    RangeBalancer balancer(hotSettings(true), 4, { 0, 1, 2, 3 }, 400, 400, 4);
    for (size_t i = 0; i < 4; ++i)
        balancer.map()[i].leader = 0;
    const KeyLaw law = uniformLaw();
    const RangeLoad load = evenLoad(law);
    const RangeWindowStats stats = balancer.runWindow(window(1, load));
    EXPECT_EQ(stats.leaderTransfers, 2);
    EXPECT_EQ(stats.moves, 1);
    EXPECT_EQ(balancer.leaders(), (std::vector<NodeId> { 1, 2, 0, 0 }));
    std::vector<double> background(4, 0.0);
    EXPECT_TRUE(balancer.advanceMoves(1, 11, background));
    EXPECT_EQ(balancer.leaders(), (std::vector<NodeId> { 1, 2, 3, 0 }));
    EXPECT_DOUBLE_EQ(balancer.bytesMoved(), 100);
    EXPECT_EQ(balancer.runWindow(window(11, load)).leaderTransfers, 0);
    EXPECT_EQ(balancer.movesDone(), 1);
}

TEST(HotRangeScheduler, NothingMovesWhileTheBusiestNodeIsWithinTheMinimumDifference)
{
    // The same four ranges with a band of at least 400/s (CockroachDB's MinQPSThresholdDifference, raised): node 0's
    // 400/s is 300 above the mean of 100, inside the band.
    AutoRangeSettings settings = hotSettings(true);
    settings.hotMinDifference = 400;
    RangeBalancer balancer(settings, 4, { 0, 1, 2, 3 }, 400, 400, 4);
    for (size_t i = 0; i < 4; ++i)
        balancer.map()[i].leader = 0;
    const KeyLaw law = uniformLaw();
    const RangeLoad load = evenLoad(law);
    const RangeWindowStats stats = balancer.runWindow(window(1, load));
    EXPECT_EQ(stats.leaderTransfers + stats.moves, 0);
    EXPECT_EQ(balancer.leaders(), (std::vector<NodeId> { 0, 0, 0, 0 }));
}
