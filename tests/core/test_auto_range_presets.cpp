// The six auto-range presets: each system's defaults as its source gives them (the numbers below are worked out by
// hand from the systems' own constants, see docs/rules.md "auto-range presets"), and the split-size policies that
// depend on the table: HBase's stepping, YugabyteDB's phases and FoundationDB's square-root shard size.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "shardsim/rules/auto_range_preset.h"
#include "shardsim/rules/rule_factory.h"

using namespace shardsim;

namespace {

AutoRangeSettings preset(std::string_view name)
{
    auto settings = autoRangePreset(name);
    EXPECT_TRUE(settings) << name << ": " << settings.error();
    return settings ? *settings : AutoRangeSettings {};
}

} // namespace

TEST(AutoRangePresets, SixSystemsEachBuildARule)
{
    const std::vector<std::string> expected { "tikv", "cockroachdb", "mongodb", "hbase", "yugabyte", "foundationdb" };
    EXPECT_EQ(autoRangePresetNames(), expected);
    for (const std::string& name : expected) {
        const AutoRangeSettings settings = preset(name);
        EXPECT_EQ(settings.preset, name);
        EXPECT_FALSE(settings.version.empty()) << name;
        auto rule = makeRule("auto-range:preset=" + name);
        ASSERT_TRUE(rule) << name << ": " << rule.error();
        EXPECT_EQ((*rule)->spec(), "auto-range:preset=" + name);
    }
}

TEST(AutoRangePresets, AnUnknownPresetListsTheSix)
{
    auto missing = autoRangePreset("tidb");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("tikv, cockroachdb, mongodb, hbase, yugabyte, foundationdb"), std::string::npos)
        << missing.error();
    auto typo = autoRangePreset("fondationdb");
    ASSERT_FALSE(typo);
    EXPECT_NE(typo.error().find("did you mean 'foundationdb'"), std::string::npos) << typo.error();
}

TEST(AutoRangePresets, TikvFollowsRegionSplitSizeAndPd)
{
    const AutoRangeSettings s = preset("tikv");
    // region-split-size 256MiB = 268,435,456 B; region-max-size = 256 / 2 * 3 = 384MiB = 402,653,184 B.
    EXPECT_EQ(s.splitTargetBytes, 268'435'456.0);
    EXPECT_EQ(s.splitBytes, 402'653'184.0);
    // region-split-keys = 256 x 10,000; region-max-keys = that / 2 * 3.
    EXPECT_EQ(s.splitTargetKeys, 2'560'000.0);
    EXPECT_EQ(s.splitKeys, 3'840'000.0);
    EXPECT_EQ(s.splitQps, 3000.0);
    EXPECT_EQ(s.splitBytesPerSecond, 31'457'280.0); // 30MiB/s
    EXPECT_EQ(s.splitLoad, SplitLoad::Reads);
    EXPECT_EQ(s.splitWindows, 10);
    EXPECT_EQ(s.mergeBytes, 56'623'104.0); // max-merge-region-size 54MiB
    EXPECT_EQ(s.mergeKeys, 540'000.0); // 54 x 10,000
    EXPECT_EQ(s.splitMergeIntervalSeconds, 3600.0);
    EXPECT_EQ(s.movesAtOnce, 2048);
    EXPECT_DOUBLE_EQ(s.moveStartsPerNodePerSecond, 0.25); // 15 per minute
    EXPECT_EQ(s.snapshotBytesPerSecond, 104'857'600.0); // 100MiB/s
    EXPECT_EQ(s.score, BalanceScore::Bytes);
    // PD's balance-hot-region-scheduler: every 1 s, hot peers from 128 read queries/s, 3 hits of 10 s heartbeats,
    // 1.05 tolerance ratios, hot-region-schedule-limit 4.
    EXPECT_TRUE(s.hotSchedule);
    EXPECT_EQ(s.hotIntervalSeconds, 1.0);
    EXPECT_EQ(s.hotMinRate, 128.0);
    EXPECT_EQ(s.hotWindows, 30);
    EXPECT_DOUBLE_EQ(s.hotTolerance, 0.05);
    EXPECT_EQ(s.hotMinDifference, 0.0);
    EXPECT_EQ(s.hotMovesAtOnce, 4);
    // A fixed split size, whatever the table.
    EXPECT_EQ(splitThresholdBytes(s, 1e15, 500), 402'653'184.0);
    EXPECT_EQ(mergeThresholdBytes(s, 1e15, 500), 56'623'104.0);
}

TEST(AutoRangePresets, CockroachdbFollowsTheZoneConfigAndClusterSettings)
{
    const AutoRangeSettings s = preset("cockroachdb");
    EXPECT_EQ(s.splitBytes, 536'870'912.0); // range_max_bytes 512MiB
    EXPECT_EQ(s.splitTargetBytes, 0.0); // halves
    EXPECT_EQ(s.mergeBytes, 134'217'728.0); // range_min_bytes 128MiB
    EXPECT_EQ(s.splitQps, 2500.0);
    EXPECT_EQ(s.splitLoad, SplitLoad::ReadsAndWrites);
    EXPECT_EQ(s.splitMergeIntervalSeconds, 300.0);
    EXPECT_EQ(s.snapshotBytesPerSecond, 33'554'432.0); // 32MiB/s
    EXPECT_EQ(s.score, BalanceScore::RangeCount);
    EXPECT_DOUBLE_EQ(s.tolerance, 0.05);
    EXPECT_EQ(s.toleranceRanges, 2.0);
    EXPECT_EQ(s.movesPerNode, 1);
    EXPECT_EQ(splitThresholdBytes(s, 1e9, 1), 536'870'912.0);
    // The store rebalancer: every minute, qps_rebalance_threshold 0.1, at least MinQPSThresholdDifference 100.
    EXPECT_TRUE(s.hotSchedule);
    EXPECT_EQ(s.hotIntervalSeconds, 60.0);
    EXPECT_DOUBLE_EQ(s.hotTolerance, 0.1);
    EXPECT_EQ(s.hotMinDifference, 100.0);
    EXPECT_EQ(s.hotMovesAtOnce, 0);
    // The other four have no scheduler by load.
    for (const char* name : { "mongodb", "hbase", "yugabyte", "foundationdb" })
        EXPECT_FALSE(preset(name).hotSchedule) << name;
}

TEST(AutoRangePresets, MongodbMovesRangeSizedPiecesAndNeverSplitsOnItsOwn)
{
    const AutoRangeSettings s = preset("mongodb");
    EXPECT_EQ(splitThresholdBytes(s, 1e12, 10), 0.0);
    EXPECT_EQ(s.splitQps, 0.0);
    EXPECT_EQ(mergeThresholdBytes(s, 1e12, 10), 0.0);
    EXPECT_EQ(s.moveBytes, 134'217'728.0); // chunkSize 128 x 1024 x 1024
    EXPECT_EQ(s.toleranceBytes, 402'653'184.0); // 3 x chunkSize
    EXPECT_EQ(s.score, BalanceScore::Bytes);
    EXPECT_EQ(s.movesPerNode, 1);
    EXPECT_EQ(s.replicas, 1);
}

TEST(AutoRangePresets, HbaseSplitsItsOnlyRegionEarlyThenAtTheMaxFileSize)
{
    const AutoRangeSettings s = preset("hbase");
    EXPECT_EQ(s.splitPolicy, SplitSizePolicy::HBaseStepping);
    // One region of the table on the server: 2 x flush size = 2 x 128MiB = 268,435,456 B.
    EXPECT_EQ(splitThresholdBytes(s, 5e9, 1), 268'435'456.0);
    // Two or more: hbase.hregion.max.filesize 10GiB = 10,737,418,240 B.
    EXPECT_EQ(splitThresholdBytes(s, 5e9, 2), 10'737'418'240.0);
    EXPECT_EQ(splitThresholdBytes(s, 5e9, 40), 10'737'418'240.0);
    EXPECT_FALSE(s.moveCopiesBytes);
    EXPECT_EQ(mergeThresholdBytes(s, 5e9, 2), 0.0);
}

TEST(AutoRangePresets, YugabyteSplitsInThreePhasesOfTabletsPerNode)
{
    const AutoRangeSettings s = preset("yugabyte");
    EXPECT_EQ(s.splitPolicy, SplitSizePolicy::YugabytePhases);
    // Fewer than 8 tablets per node: 512MiB.
    EXPECT_EQ(splitThresholdBytes(s, 1e12, 1), 536'870'912.0);
    EXPECT_EQ(splitThresholdBytes(s, 1e12, 7), 536'870'912.0);
    // 8 up to 23: 10GiB.
    EXPECT_EQ(splitThresholdBytes(s, 1e12, 8), 10'737'418'240.0);
    EXPECT_EQ(splitThresholdBytes(s, 1e12, 23), 10'737'418'240.0);
    // 24 and more: only the force-split size, 100GiB.
    EXPECT_EQ(splitThresholdBytes(s, 1e12, 24), 107'374'182'400.0);
    EXPECT_EQ(s.snapshotBytesPerSecond, 268'435'456.0); // 256MiB/s
}

TEST(AutoRangePresets, FoundationdbShardSizeGrowsWithTheSquareRootOfTheDatabase)
{
    const AutoRangeSettings s = preset("foundationdb");
    EXPECT_EQ(s.splitPolicy, SplitSizePolicy::FoundationDbSqrt);
    // (MIN_SHARD_BYTES + floor(sqrt(bytes)) x 45) x 4, at most 500,000,000.
    // Empty: 10,000,000 x 4.
    EXPECT_EQ(splitThresholdBytes(s, 0, 1), 40'000'000.0);
    // 1 GB: floor(sqrt(1e9)) = 31,622; 31,622 x 45 = 1,422,990; (10,000,000 + 1,422,990) x 4 = 45,691,960.
    EXPECT_EQ(splitThresholdBytes(s, 1e9, 1), 45'691'960.0);
    // 1 TB: sqrt = 1,000,000; (10,000,000 + 45,000,000) x 4 = 220,000,000.
    EXPECT_EQ(splitThresholdBytes(s, 1e12, 1), 220'000'000.0);
    // 1 PB: (10,000,000 + 31,622,776 x 45) x 4 = 5,732,099,680, capped at MAX_SHARD_BYTES.
    EXPECT_EQ(splitThresholdBytes(s, 1e15, 1), 500'000'000.0);
    // A shard below maxShardSize / SHARD_BYTES_RATIO merges: 220,000,000 / 4 at 1 TB.
    EXPECT_EQ(mergeThresholdBytes(s, 1e12, 1), 55'000'000.0);
    EXPECT_EQ(s.splitBytesPerSecond, 1'000'000.0); // SHARD_MAX_BYTES_PER_KSEC 1e9 per 1000 s
    EXPECT_EQ(s.splitLoad, SplitLoad::Writes);
}

TEST(AutoRangePresets, OverridesChangeTheFormulasInputs)
{
    // The phases move with their parameters: the newest YugabyteDB docs' 1 tablet per node and 128MiB.
    auto rule = makeRule("auto-range:preset=yugabyte,low_phase_ranges_per_node=1,low_phase_size=128MiB");
    ASSERT_TRUE(rule) << rule.error();
    AutoRangeSettings s = *autoRangePreset("yugabyte");
    s.lowPhaseRangesPerNode = 1;
    s.lowPhaseBytes = 128.0 * 1024 * 1024;
    EXPECT_EQ(splitThresholdBytes(s, 1e12, 0.5), 134'217'728.0);
    EXPECT_EQ(splitThresholdBytes(s, 1e12, 1), 10'737'418'240.0);
    // An HBase table with a 64MiB flush size splits its first region at 128MiB.
    s = *autoRangePreset("hbase");
    s.flushBytes = 64.0 * 1024 * 1024;
    EXPECT_EQ(splitThresholdBytes(s, 1e9, 1), 134'217'728.0);
}
