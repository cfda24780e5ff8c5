// `auto-range` as a shard rule: its spec (the preset, every override with its unit, the errors that name the
// parameter), its canonical form, and its static face, which must route exactly like `range` over the same bounds.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "shardsim/rules/auto_range_rule.h"
#include "shardsim/rules/rule_factory.h"

using namespace shardsim;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

ShardRulePtr rule(std::string_view spec)
{
    auto made = makeRule(spec);
    EXPECT_TRUE(made) << spec << ": " << made.error();
    return made ? *made : nullptr;
}

std::string specError(std::string_view spec)
{
    auto made = makeRule(spec);
    EXPECT_FALSE(made) << spec << " was accepted";
    return made ? std::string() : made.error();
}

const AutoRangeSettings& settingsOf(const ShardRulePtr& shardRule)
{
    const AutoRangeRule* autoRange = asAutoRange(*shardRule);
    EXPECT_NE(autoRange, nullptr) << shardRule->spec();
    static const AutoRangeSettings none;
    return autoRange ? autoRange->settings() : none;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

} // namespace

TEST(AutoRangeRule, APresetAloneIsOneRangeHoldingEveryKey)
{
    auto r = rule("auto-range:preset=tikv");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->shardCount(), 1);
    EXPECT_EQ(r->shardName(0), "all");
    EXPECT_EQ(r->route(Key::int64(9527))->index, 0);
    EXPECT_EQ(r->route(Key::uint64(UINT64_MAX))->index, 0);
    EXPECT_EQ(r->shardOfInteger(INT64_MIN), 0);
    EXPECT_TRUE(r->rangeBoundaries().empty());
    EXPECT_EQ(r->spec(), "auto-range:preset=tikv");
    EXPECT_EQ(settingsOf(r).preset, "tikv");
    EXPECT_EQ(settingsOf(r).splitBytes, 384 * kMiB);
    EXPECT_TRUE(contains(r->route(Key::string("alice")).error(), "auto-range needs an integer key"));
}

TEST(AutoRangeRule, EveryParameterOverridesItsSetting)
{
    auto r = rule("auto-range:preset=cockroachdb,split_policy=fixed,split_size=96MiB,split_target=64MiB,"
                  "split_keys=960K,split_target_keys=480000,flush_size=128MB,max_file_size=10GiB,low_phase_size=512MiB,"
                  "low_phase_ranges_per_node=8,high_phase_size=10GiB,high_phase_ranges_per_node=24,"
                  "force_split_size=100GiB,min_shard_size=10MB,shard_bytes_per_sqrt_bytes=45,shard_bytes_ratio=4,"
                  "max_shard_size=500MB,split_qps=3K/s,split_byte_rate=30MiB/s,split_windows=10,load_window=2s,"
                  "merge_size=20MiB,merge_keys=200K,split_merge_interval=1h,score=bytes,tolerance=5%,"
                  "tolerance_size=384MB,moves_per_node=4,moves_at_once=2048,move_starts_per_node=15/min,"
                  "move_size=128MB,snapshot_rate=64MiB/s,balance_interval=10s,replicas=5,split_load=writes,"
                  "merge_split_fraction=0.25,tolerance_ranges=3,move_copies_data=no,hot_schedule=off,hot_interval=5s,"
                  "hot_min_rate=50,hot_windows=3,hot_tolerance=20%,hot_min_difference=200/s,hot_moves_at_once=8");
    ASSERT_TRUE(r);
    const AutoRangeSettings& s = settingsOf(r);
    EXPECT_EQ(s.splitPolicy, SplitSizePolicy::Fixed);
    EXPECT_EQ(s.splitBytes, 100'663'296.0); // 96 x 1,048,576
    EXPECT_EQ(s.splitTargetBytes, 67'108'864.0);
    EXPECT_EQ(s.splitKeys, 960'000.0);
    EXPECT_EQ(s.splitTargetKeys, 480'000.0);
    EXPECT_EQ(s.flushBytes, 128'000'000.0);
    EXPECT_EQ(s.maxFileBytes, 10'737'418'240.0);
    EXPECT_EQ(s.lowPhaseBytes, 536'870'912.0);
    EXPECT_EQ(s.lowPhaseRangesPerNode, 8);
    EXPECT_EQ(s.highPhaseBytes, 10'737'418'240.0);
    EXPECT_EQ(s.highPhaseRangesPerNode, 24);
    EXPECT_EQ(s.forceSplitBytes, 107'374'182'400.0);
    EXPECT_EQ(s.minShardBytes, 10'000'000.0);
    EXPECT_EQ(s.shardBytesPerSqrtBytes, 45.0);
    EXPECT_EQ(s.shardBytesRatio, 4.0);
    EXPECT_EQ(s.maxShardBytes, 500'000'000.0);
    EXPECT_EQ(s.splitQps, 3000.0);
    EXPECT_EQ(s.splitBytesPerSecond, 31'457'280.0);
    EXPECT_EQ(s.splitWindows, 10);
    EXPECT_EQ(s.loadWindowSeconds, 2.0);
    EXPECT_EQ(s.mergeBytes, 20 * kMiB);
    EXPECT_EQ(s.mergeKeys, 200'000.0);
    EXPECT_EQ(s.splitMergeIntervalSeconds, 3600.0);
    EXPECT_EQ(s.score, BalanceScore::Bytes);
    EXPECT_DOUBLE_EQ(s.tolerance, 0.05);
    EXPECT_EQ(s.toleranceBytes, 384'000'000.0);
    EXPECT_EQ(s.movesPerNode, 4);
    EXPECT_EQ(s.movesAtOnce, 2048);
    EXPECT_DOUBLE_EQ(s.moveStartsPerNodePerSecond, 0.25);
    EXPECT_EQ(s.moveBytes, 128'000'000.0);
    EXPECT_EQ(s.snapshotBytesPerSecond, 64 * kMiB);
    EXPECT_EQ(s.balanceIntervalSeconds, 10.0);
    EXPECT_EQ(s.replicas, 5);
    EXPECT_EQ(s.splitLoad, SplitLoad::Writes);
    EXPECT_EQ(s.mergeSplitFraction, 0.25);
    EXPECT_EQ(s.toleranceRanges, 3.0);
    EXPECT_FALSE(s.moveCopiesBytes);
    EXPECT_FALSE(s.hotSchedule);
    EXPECT_EQ(s.hotIntervalSeconds, 5.0);
    EXPECT_EQ(s.hotMinRate, 50.0);
    EXPECT_EQ(s.hotWindows, 3);
    EXPECT_DOUBLE_EQ(s.hotTolerance, 0.2);
    EXPECT_EQ(s.hotMinDifference, 200.0);
    EXPECT_EQ(s.hotMovesAtOnce, 8);
    // The preset and version stay the preset's: the overrides change numbers, not which system it is.
    EXPECT_EQ(s.preset, "cockroachdb");
    EXPECT_EQ(s.version.rfind("CockroachDB", 0), 0u) << s.version;

    // The canonical spec reads back as the same settings.
    auto again = rule(r->spec());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->spec(), r->spec());
    const AutoRangeSettings& t = settingsOf(again);
    EXPECT_EQ(t.splitBytes, s.splitBytes);
    EXPECT_DOUBLE_EQ(t.tolerance, s.tolerance);
    EXPECT_DOUBLE_EQ(t.moveStartsPerNodePerSecond, s.moveStartsPerNodePerSecond);
    EXPECT_EQ(t.flushBytes, s.flushBytes);
    EXPECT_EQ(t.score, s.score);
    EXPECT_EQ(t.splitLoad, s.splitLoad);
    EXPECT_EQ(t.moveCopiesBytes, s.moveCopiesBytes);
    EXPECT_EQ(t.hotSchedule, s.hotSchedule);
    EXPECT_DOUBLE_EQ(t.hotTolerance, s.hotTolerance);
}

TEST(AutoRangeRule, TheCanonicalSpecKeepsOnlyWhatDiffersFromThePreset)
{
    // split_qps=3000 is TiKV's own threshold; 96MiB and five replicas are not.
    auto r = rule("auto-range:bounds=1M|2M,replicas=5,split_qps=3000,split_size=96MiB,preset=tikv");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->spec(), "auto-range:preset=tikv,split_size=96MiB,replicas=5,bounds=1M|2M");
    // TiKV cuts pieces of two thirds of the split size: 64MiB of 96MiB, unless split_target says otherwise.
    EXPECT_EQ(settingsOf(r).splitTargetBytes, 64 * kMiB);
    EXPECT_EQ(settingsOf(rule("auto-range:preset=tikv,split_keys=1.5M")).splitTargetKeys, 1'000'000.0);
    EXPECT_EQ(rule("auto-range:preset=tikv,split_size=96MiB,split_target=48MiB")->spec(),
        "auto-range:preset=tikv,split_size=96MiB,split_target=48MiB");
    EXPECT_EQ(rule("auto-range:preset=cockroachdb,snapshot_rate=64MiB/s,merge_size=512MB")->spec(),
        "auto-range:preset=cockroachdb,merge_size=512MB,snapshot_rate=64MiB/s");
    EXPECT_EQ(
        rule("auto-range:preset=tikv,split_size=1000000001B")->spec(), "auto-range:preset=tikv,split_size=1000000001B");
    EXPECT_EQ(rule("auto-range:preset=tikv,split_merge_interval=90m")->spec(),
        "auto-range:preset=tikv,split_merge_interval=1h30m");
    EXPECT_EQ(rule("auto-range:preset=hbase,move_copies_data=yes,score=bytes,moves_per_node=0")->spec(),
        "auto-range:preset=hbase,score=bytes,move_copies_data=yes");
    EXPECT_EQ(rule("auto-range:preset=tikv,hot_schedule=off,hot_tolerance=0.05,hot_windows=10")->spec(),
        "auto-range:preset=tikv,hot_windows=10,hot_schedule=off");
    EXPECT_EQ(rule("auto-range:preset=mongodb,hot_schedule=on")->spec(), "auto-range:preset=mongodb,hot_schedule=on");
}

TEST(AutoRangeRule, BadValuesNameTheParameter)
{
    EXPECT_TRUE(contains(specError("auto-range:preset=tikv,split_size=96"), "parameter 'split_size'"));
    EXPECT_TRUE(contains(specError("auto-range:preset=tikv,split_size=96"), "needs a unit"));
    EXPECT_TRUE(contains(specError("auto-range:preset=tikv,snapshot_rate=64MiB"), "parameter 'snapshot_rate'"));
    EXPECT_TRUE(contains(specError("auto-range:preset=tikv,split_windows=0"), "parameter 'split_windows'"));
    EXPECT_TRUE(contains(specError("auto-range:preset=tikv,replicas=2.5"), "parameter 'replicas'"));
    EXPECT_TRUE(contains(specError("auto-range:preset=tikv,hot_schedule=maybe"), "hot_schedule"));
    EXPECT_TRUE(contains(specError("auto-range:preset=tikv,hot_tolerance=2"), "parameter 'hot_tolerance'"));
    EXPECT_TRUE(contains(specError("auto-range:preset=tikv,split_merge_interval=soon"), "'split_merge_interval'"));
    EXPECT_TRUE(contains(specError("auto-range:preset=tikv,tolerance=high"), "parameter 'tolerance'"));
    EXPECT_TRUE(contains(specError("auto-range:preset=tikv,score=cpu"), "range-count, bytes, load"));
    EXPECT_TRUE(contains(specError("auto-range:preset=tikv,split_policy=steps"), "hbase-stepping"));
    EXPECT_TRUE(contains(specError("auto-range:preset=tikv,spilt_size=96MiB"), "did you mean 'split_size'"));
    EXPECT_TRUE(contains(specError("auto-range:preset=tikv,bounds=20M|10M"), "strictly increasing"));
    // Every mistake at once, the unknown preset among them.
    const std::string all = specError("auto-range:preset=tidb,split_qps=lots,merge_keys=-1");
    EXPECT_TRUE(contains(all, "unknown auto-range preset 'tidb'")) << all;
    EXPECT_TRUE(contains(all, "'split_qps'")) << all;
    EXPECT_TRUE(contains(all, "'merge_keys'")) << all;
}

TEST(AutoRangeRule, APresetIsRequiredAndMisspeltOnesAreSuggested)
{
    const std::string missing = specError("auto-range:split_size=96MiB");
    EXPECT_TRUE(contains(missing, "needs parameter 'preset'")) << missing;
    EXPECT_TRUE(contains(missing, "preset is one of tikv, cockroachdb, mongodb, hbase, yugabyte, foundationdb"))
        << missing;
    EXPECT_TRUE(contains(specError("auto-range"), "needs parameter 'preset'"));
    const std::string typo = specError("auto-range:preset=cockroach");
    EXPECT_TRUE(contains(typo, "the presets are tikv, cockroachdb, mongodb")) << typo;
    EXPECT_TRUE(contains(typo, "did you mean 'cockroachdb'")) << typo;
}

TEST(AutoRangeRule, SettingsThatCannotRunAreRefusedNamingBothParameters)
{
    const std::string target = specError("auto-range:preset=cockroachdb,split_target=1GiB");
    EXPECT_TRUE(contains(target, "split_target (1GiB) must not exceed split_size (512MiB)")) << target;
    const std::string merge = specError("auto-range:preset=tikv,merge_size=384MiB");
    EXPECT_TRUE(contains(merge, "merge_size (384MiB) must be below split_size (384MiB)")) << merge;
    EXPECT_TRUE(contains(specError("auto-range:preset=tikv,split_policy=hbase-stepping"), "flush_size"));
}

TEST(AutoRangeRule, RoutesExactlyLikeRangeOverTheSameBounds)
{
    const std::string bounds = "-5K|0|10M|20M|30M|4B";
    auto autoRange = rule("auto-range:preset=cockroachdb,bounds=" + bounds);
    auto range = rule("range:bounds=" + bounds);
    ASSERT_TRUE(autoRange && range);
    ASSERT_EQ(autoRange->shardCount(), range->shardCount());
    EXPECT_EQ(autoRange->rangeBoundaries(), range->rangeBoundaries());
    EXPECT_TRUE(autoRange->countsRangesExactly());
    for (int i = 0; i < range->shardCount(); ++i)
        EXPECT_EQ(autoRange->shardName(i), range->shardName(i));

    std::mt19937_64 random(19);
    std::vector<int64_t> keys { INT64_MIN, -5001, -5000, -1, 0, 9'999'999, 10'000'000, 29'999'999, 30'000'000,
        3'999'999'999, 4'000'000'000, INT64_MAX };
    for (int i = 0; i < 4000; ++i)
        keys.push_back(i % 2 ? static_cast<int64_t>(random()) : static_cast<int64_t>(random() % 5'000'000'000) - 1000);
    for (int64_t key : keys) {
        ASSERT_EQ(autoRange->route(Key::int64(key))->index, range->route(Key::int64(key))->index) << key;
        ASSERT_EQ(autoRange->shardOfInteger(key), range->shardOfInteger(key)) << key;
    }

    const std::pair<int64_t, int64_t> spans[]
        = { { -10'000, 25'000'000 }, { 0, 0 }, { 15'000'000, 15'000'100 }, { INT64_MIN, INT64_MAX }, { 5, 4 } };
    for (const auto& [lo, hi] : spans) {
        std::vector<double> a(7), b(7);
        EXPECT_EQ(autoRange->addRangeShares(lo, hi, 1000.0, a), range->addRangeShares(lo, hi, 1000.0, b));
        EXPECT_EQ(a, b) << lo << ".." << hi;
    }
    // -10,000..25,000,000 holds 5,000 keys below -5,000: 1000 x 5,000 / 25,010,001.
    std::vector<double> shares(7);
    autoRange->addRangeShares(-10'000, 25'000'000, 1000.0, shares);
    EXPECT_DOUBLE_EQ(shares[0], 1000.0 * 5000 / 25'010'001);
}

TEST(AutoRangeRule, WithBoundsKeepsTheSettingsOverNewBounds)
{
    auto r = rule("auto-range:preset=tikv,replicas=5");
    const AutoRangeRule* original = asAutoRange(*r);
    ASSERT_NE(original, nullptr);
    auto split = original->withBounds({ 100, 200 });
    EXPECT_EQ(split->shardCount(), 3);
    EXPECT_EQ(split->bounds(), (std::vector<int64_t> { 100, 200 }));
    EXPECT_EQ(split->rangeBoundaries(), (std::vector<int64_t> { 100, 200 }));
    EXPECT_EQ(split->settings().replicas, 5);
    EXPECT_EQ(split->settings().splitBytes, original->settings().splitBytes);
    EXPECT_EQ(split->spec(), "auto-range:preset=tikv,replicas=5,bounds=100|200");
    EXPECT_EQ(split->route(Key::int64(150))->index, 1);
    EXPECT_EQ(asAutoRange(*split), split.get());
    // The rule it came from is unchanged.
    EXPECT_EQ(r->shardCount(), 1);
    EXPECT_TRUE(original->bounds().empty());
}

TEST(AutoRangeRule, OnlyAutoRangeRulesAreRecognised)
{
    EXPECT_EQ(asAutoRange(*rule("range:bounds=10")), nullptr);
    EXPECT_EQ(asAutoRange(*rule("jump:buckets=4")), nullptr);
    EXPECT_NE(asAutoRange(*rule("auto-range:preset=cockroachdb")), nullptr);
}

TEST(AutoRangeRule, ExplainSaysTheRangesChangeDuringARun)
{
    auto r = rule("auto-range:preset=tikv,bounds=10M|20M");
    Explanation steps;
    ASSERT_TRUE(r->route(Key::int64(15'000'000), &steps));
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[0], "10000000 <= 15000000 < 20000000");
    EXPECT_EQ(steps[1], "range [10M,20M) is shard 1");
    EXPECT_TRUE(contains(steps[2], "in a run the ranges split, merge and move as TiKV 8.5.0 does")) << steps[2];
    EXPECT_TRUE(contains(steps[2], "above 384MiB")) << steps[2];
    EXPECT_TRUE(contains(steps[2], "or above 3K read requests/s or 30MiB/s read for 10 windows of 1s")) << steps[2];
    Explanation fdb;
    ASSERT_TRUE(rule("auto-range:preset=foundationdb")->route(Key::int64(7), &fdb));
    EXPECT_TRUE(contains(fdb.back(), "or above 1MB/s written for 1 window of 2m")) << fdb.back();
    Explanation mongo;
    ASSERT_TRUE(rule("auto-range:preset=mongodb")->route(Key::int64(7), &mongo));
    EXPECT_TRUE(contains(mongo.back(), "no range splits by size; a move cuts 128MiB off a bigger range"))
        << mongo.back();

    Explanation one;
    ASSERT_TRUE(rule("auto-range:preset=cockroachdb")->route(Key::int64(7), &one));
    EXPECT_EQ(one[0], "no bounds: one range holds every key, 7 included");
}

TEST(AutoRangeRule, TheCatalogListsItWithEveryPreset)
{
    const auto& catalog = ruleCatalog();
    const auto found
        = std::find_if(catalog.begin(), catalog.end(), [](const RuleInfo& info) { return info.name == "auto-range"; });
    ASSERT_NE(found, catalog.end());
    for (const std::string& preset : autoRangePresetNames())
        EXPECT_TRUE(contains(found->synopsis, preset)) << preset;
    EXPECT_TRUE(contains(found->synopsis, "split_size="));
    EXPECT_TRUE(contains(found->synopsis, "bounds="));
}
