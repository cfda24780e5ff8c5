// The sharding middlewares' rules (Apache ShardingSphere, MyCat), checked against the expectations of those
// projects' own tests; each vector names the file it comes from. Vectors marked "computed" were worked out
// independently (Python's big integers, zlib.crc32, a separate murmur3 and the Java definitions).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/systems/middleware_formulas.h"
#include "shardsim/rules/rule_factory.h"

using namespace shardsim;
using namespace shardsim::rules::systems;

namespace {

ShardRulePtr mustMake(std::string_view spec)
{
    auto rule = makeRule(spec);
    EXPECT_TRUE(rule.ok()) << spec << ": " << (rule.ok() ? "" : rule.error());
    return rule.ok() ? *rule : nullptr;
}

std::string routeName(const ShardRule& rule, const Key& key)
{
    auto routed = rule.route(key);
    if (!routed)
        return "error: " + routed.error();
    return rule.shardName(routed->index);
}

std::string makeError(std::string_view spec)
{
    auto rule = makeRule(spec);
    return rule.ok() ? "built" : rule.error();
}

struct Vector {
    Key key;
    const char* shard;
};

void expectRoutes(std::string_view spec, const std::vector<Vector>& vectors)
{
    const auto rule = mustMake(spec);
    ASSERT_NE(rule, nullptr);
    for (const Vector& v : vectors)
        EXPECT_EQ(routeName(*rule, v.key), v.shard) << spec << " key " << v.key.display();
}

} // namespace

// ---- ShardingSphere MOD and HASH_MOD -----------------------------------------------------------------

TEST(ShardingSphereMod, ModShardingAlgorithmTestVectors)
{
    expectRoutes("shardingsphere-mod:count=16",
        {
            // apache/shardingsphere ModShardingAlgorithmTest: 17 -> t_order_1, "12345678910111213141516" -> t_order_12.
            { Key::int64(17), "t_order_1" },
            { Key::string("12345678910111213141516"), "t_order_12" },
            // computed: BigInteger.mod is never negative.
            { Key::int64(-17), "t_order_15" },
            { Key::string("-12345678910111213141516"), "t_order_4" },
            { Key::int32(31), "t_order_15" },
            { Key::string("+33"), "t_order_1" },
            { Key::uint64(UINT64_MAX), "t_order_15" }, // longValue() of 2^64 - 1 is -1
            { Key::int64(INT64_MIN), "t_order_0" },
        });
    const auto rule = mustMake("shardingsphere-mod:count=16");
    ASSERT_NE(rule, nullptr);
    for (const char* text : { "", "abc", "北京", "1.5", "-" }) {
        auto routed = rule->route(Key::string(text));
        ASSERT_FALSE(routed.ok()) << text;
        EXPECT_NE(routed.error().find("BigInteger"), std::string::npos) << routed.error();
    }
    EXPECT_FALSE(rule->route(Key::rawBytes("\x01")).ok());
    // ModShardingAlgorithmTest.assertRangeDoShardingWithWrongArgumentForShardingCount: 0 is refused.
    EXPECT_NE(makeError("shardingsphere-mod:count=0"), "built");
}

TEST(ShardingSphereMod, BigIntegerModMatchesArbitraryPrecision)
{
    // computed with Python's integers.
    EXPECT_EQ(*bigIntegerMod("98765432109876543210987654321", 1000003), 243257);
    EXPECT_EQ(*bigIntegerMod("0000", 7), 0);
    EXPECT_EQ(*bigIntegerMod("-1", 7), 6);
}

TEST(ShardingSphereHashMod, HashModShardingAlgorithmTestVectors)
{
    expectRoutes("shardingsphere-hash-mod:count=4",
        {
            // apache/shardingsphere HashModShardingAlgorithmTest: "a" -> t_order_1.
            { Key::string("a"), "t_order_1" },
            // computed: String.hashCode over UTF-16 code units, then Math.abs((long) h) % 4.
            { Key::string("北京"), "t_order_1" }, // 679541
            { Key::string("ключ"), "t_order_2" }, // 33309882
            { Key::string("😀"), "t_order_3" }, // a surrogate pair: 1772899
            { Key::string(""), "t_order_0" },
            { Key::string("Aa"), "t_order_0" },
            { Key::string("BB"), "t_order_0" },
            { Key::string("polygenelubricants"), "t_order_0" }, // Integer.MIN_VALUE: the cast keeps it positive
            { Key::int32(-1), "t_order_1" },
            { Key::int64(-42), "t_order_1" }, // Long.hashCode(-42) = 41
            { Key::int64(int64_t { 1 } << 32), "t_order_1" },
        });
    const auto rule = mustMake("shardingsphere-hash-mod:count=4");
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(rule->route(Key::string("polygenelubricants"))->hash, "-2147483648");
    EXPECT_FALSE(rule->route(Key::rawBytes("ab")).ok()); // byte[] has an identity hashCode
    EXPECT_NE(makeError("shardingsphere-hash-mod:count=0"), "built");
}

// ---- ShardingSphere VOLUME_RANGE and BOUNDARY_RANGE --------------------------------------------------

TEST(ShardingSphereVolumeRange, VolumeBasedRangeShardingAlgorithmTestVectors)
{
    // apache/shardingsphere VolumeBasedRangeShardingAlgorithmTest: lower 10, upper 45, volume 10 gives 6 tables;
    // 0 -> t_order_0; < 12 covers t_order_0 and 1; > 40 covers 4 and 5; [12, 55] covers 1 to 5.
    const std::string spec = "shardingsphere-volume-range:lower=10,upper=45,volume=10";
    const auto rule = mustMake(spec);
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(rule->shardCount(), 6);
    EXPECT_EQ(rule->spec(), spec);
    expectRoutes(spec,
        { { Key::int64(0), "t_order_0" }, { Key::int32(0), "t_order_0" }, { Key::int64(9), "t_order_0" },
            { Key::int64(10), "t_order_1" }, { Key::int64(11), "t_order_1" }, { Key::int64(12), "t_order_1" },
            { Key::int64(20), "t_order_2" }, { Key::int64(40), "t_order_4" }, { Key::int64(44), "t_order_4" },
            { Key::int64(45), "t_order_5" }, { Key::int64(55), "t_order_5" }, { Key::int64(-5), "t_order_0" },
            { Key::string("35"), "t_order_3" }, { Key::uint64(41), "t_order_4" } });
    EXPECT_FALSE(rule->route(Key::string("x")).ok());
    EXPECT_FALSE(rule->route(Key::string("")).ok());
    EXPECT_FALSE(rule->route(Key::uint64(UINT64_MAX)).ok()); // Long.parseLong refuses it
    // assertInitFailedWithInvalidRange: lower 20, upper 15.
    EXPECT_NE(makeError("shardingsphere-volume-range:lower=20,upper=15,volume=10").find("smaller than volume"),
        std::string::npos);
}

TEST(ShardingSphereBoundaryRange, BoundaryBasedRangeShardingAlgorithmTestVectors)
{
    // apache/shardingsphere BoundaryBasedRangeShardingAlgorithmTest: ranges 1,5,10 make 4 tables; 0 -> t_order_0;
    // [2, 15] covers t_order_1, 2 and 3.
    const auto rule = mustMake("shardingsphere-boundary-range:bounds=1|5|10");
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(rule->shardCount(), 4);
    expectRoutes("shardingsphere-boundary-range:bounds=1|5|10",
        { { Key::int64(0), "t_order_0" }, { Key::int32(0), "t_order_0" }, { Key::int64(2), "t_order_1" },
            { Key::int64(15), "t_order_3" }, { Key::int64(1), "t_order_1" }, { Key::int64(5), "t_order_2" },
            { Key::int64(10), "t_order_3" }, { Key::int64(-100), "t_order_0" }, { Key::string("7"), "t_order_2" } });
    // Bounds are sorted; a repeated bound leaves an empty table, as the Range map does.
    const auto repeated = mustMake("shardingsphere-boundary-range:bounds=5|1|10|5");
    ASSERT_NE(repeated, nullptr);
    EXPECT_EQ(repeated->spec(), "shardingsphere-boundary-range:bounds=1|5|5|10");
    EXPECT_EQ(repeated->shardCount(), 5);
    EXPECT_EQ(routeName(*repeated, Key::int64(5)), "t_order_3");
    EXPECT_EQ(repeated->rangeBoundaries(), (std::vector<int64_t> { 1, 5, 10 }));
    EXPECT_NE(makeError("shardingsphere-boundary-range:bounds=1|five").find("five"), std::string::npos);
}

TEST(ShardingSphereRanges, RangeSharesAreExact)
{
    const auto rule = mustMake("shardingsphere-volume-range:lower=10,upper=45,volume=10");
    ASSERT_NE(rule, nullptr);
    std::vector<double> shares(6, 0.0);
    EXPECT_EQ(rule->addRangeShares(0, 49, 50, shares), 0);
    EXPECT_EQ(shares, (std::vector<double> { 10, 10, 10, 10, 5, 5 }));
}

// ---- ShardingSphere INTERVAL and AUTO_INTERVAL -------------------------------------------------------

TEST(ShardingSphereInterval, IntervalShardingAlgorithmTestVectors)
{
    // apache/shardingsphere IntervalShardingAlgorithmTest.
    const std::string byMonth
        = "shardingsphere-interval:lower=2016-01-01 00:00:00,upper=2021-12-31 00:00:00,unit=Months,suffix=yyyyMM";
    expectRoutes(byMonth,
        { { Key::string("2020-01-01 00:00:01"), "t_order_202001" },
            // computed: the last interval runs to 2022-01-01; a day past a month's end is moved to its last day;
            // what follows the seconds is ignored.
            { Key::string("2021-12-31 23:59:59"), "t_order_202112" },
            { Key::string("2019-02-29 10:00:00"), "t_order_201902" },
            { Key::string("2020-10-11 00:00:00.000000"), "t_order_202010" } });
    const auto month = mustMake(byMonth);
    ASSERT_NE(month, nullptr);
    EXPECT_EQ(month->shardCount(), 72);
    auto after = month->route(Key::string("2030-01-01 00:00:01")); // assertNull in the test: no table
    ASSERT_FALSE(after.ok());
    EXPECT_NE(after.error().find("after the tables"), std::string::npos) << after.error();
    EXPECT_FALSE(month->route(Key::string("2015-12-31 23:59:59")).ok());
    EXPECT_FALSE(month->route(Key::string("2020-01-01")).ok());
    EXPECT_FALSE(month->route(Key::string("")).ok());

    expectRoutes("shardingsphere-interval:lower=2016-01-01 00:00:00,upper=2021-12-31 00:00:00,unit=Months,amount=3,"
                 "suffix=yyyyQQ",
        { { Key::string("2020-01-01 00:00:01"), "t_order_202001" },
            { Key::string("2020-02-01 00:00:01"), "t_order_202001" },
            { Key::string("2020-10-11 00:00:00"), "t_order_202004" } });

    const std::string byDay
        = "shardingsphere-interval:lower=2021-06-01 00:00:00,upper=2021-07-31 00:00:00,amount=2,suffix=yyyyMMdd";
    expectRoutes(byDay,
        { { Key::string("2021-07-01 00:00:01"), "t_order_20210701" },
            { Key::string("2021-07-02 00:00:01"), "t_order_20210701" },
            { Key::string("2021-06-30 23:00:00"), "t_order_20210629" } });
    EXPECT_EQ(mustMake(byDay)->shardCount(), 31); // the 31 tables of the test's available targets
    // assertInitFailedWithInvalidStepUnit.
    EXPECT_NE(makeError("shardingsphere-interval:lower=2016-01-01 00:00:00,upper=2021-12-31 00:00:00,unit=invalid,"
                        "suffix=yyyy")
                  .find("unit 'INVALID'"),
        std::string::npos);
    EXPECT_NE(makeError("shardingsphere-interval:lower=invalid,upper=2021-12-31 00:00:00,suffix=yyyy").find("lower"),
        std::string::npos);
}

TEST(ShardingSphereInterval, SnowflakeIdsAndRowNumbers)
{
    const std::string spec
        = "shardingsphere-interval:lower=2026-01-01 00:00:00,upper=2026-12-31 23:59:59,unit=MONTHS,suffix=yyyyMM";
    const auto rule = mustMake(spec);
    ASSERT_NE(rule, nullptr);
    // computed: (2026-11-11T00:00:00Z in ms - 1477958400000) << 22, with worker 5 and sequence 7 below it.
    EXPECT_EQ(routeName(*rule, Key::int64(1327064363827220487)), "t_order_202611");
    EXPECT_EQ(snowflakeSeconds(1327064363827220487), 1794355200);
    Explanation steps;
    ASSERT_TRUE(rule->route(Key::int64(1327064363827220487), &steps).ok());
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[0],
        "Snowflake id 1327064363827220487: 1327064363827220487 >> 22 = 316396800000 ms after 2016-11-01 00:00:00 -> "
        "2026-11-11 00:00:00");
    EXPECT_EQ(steps[1],
        "2026-11-11 00:00:00 is in [2026-11-01 00:00:00, 2026-12-01 00:00:00), interval 10 of 1 MONTHS from "
        "2026-01-01 00:00:00");
    EXPECT_EQ(steps[2], "suffix pattern yyyyMM formats 2026-11-01 00:00:00 as 202611");
    EXPECT_FALSE(rule->route(Key::int64(-1)).ok());

    const auto rows = mustMake(spec + ",key_seconds=86400");
    ASSERT_NE(rows, nullptr);
    EXPECT_EQ(routeName(*rows, Key::int64(0)), "t_order_202601");
    EXPECT_EQ(routeName(*rows, Key::int64(30)), "t_order_202601");
    EXPECT_EQ(routeName(*rows, Key::int64(31)), "t_order_202602");
    EXPECT_EQ(rows->shardOfInteger(364), 11);
    EXPECT_EQ(rows->shardOfInteger(-1), -1);
    // Where the table changes: the ends of the keys that have a time, row 0 (January), 11 month starts, the end.
    const auto bounds = rows->rangeBoundaries();
    ASSERT_EQ(bounds.size(), 15u);
    EXPECT_EQ(bounds[1], 0);
    EXPECT_EQ(bounds[2], 31);
    EXPECT_EQ(bounds[3], 59);
    EXPECT_EQ(bounds[13], 365);
    std::vector<double> shares(12, 0.0);
    EXPECT_DOUBLE_EQ(rows->addRangeShares(-10, 364, 375, shares), 10); // rows before lower have no table
    EXPECT_DOUBLE_EQ(shares[0], 31);
    EXPECT_DOUBLE_EQ(shares[1], 28);
}

TEST(ShardingSphereInterval, MonthStepsClampTheDay)
{
    // LocalDateTime.plusMonths from the previous start: Jan 31, Feb 29 (2024), Mar 29, ...
    const auto rule = mustMake("shardingsphere-interval:lower=2024-01-31 00:00:00,upper=2024-05-01 00:00:00,"
                               "unit=MONTHS,suffix=yyyyMMdd");
    ASSERT_NE(rule, nullptr);
    std::vector<std::string> names;
    for (int i = 0; i < rule->shardCount(); ++i)
        names.push_back(rule->shardName(i));
    EXPECT_EQ(names,
        (std::vector<std::string> { "t_order_20240131", "t_order_20240229", "t_order_20240329", "t_order_20240429" }));
    EXPECT_EQ(plusMonths(*parseLocalDateTime("2023-01-31 12:00:00"), 1), *parseLocalDateTime("2023-02-28 12:00:00"));
    EXPECT_EQ(formatLocalDateTime(0), "1970-01-01 00:00:00");
    EXPECT_EQ(formatLocalDateTime(*parseLocalDateTime("1969-12-31 23:59:59")), "1969-12-31 23:59:59");
}

TEST(ShardingSphereAutoInterval, AutoIntervalShardingAlgorithmTestVectors)
{
    // apache/shardingsphere AutoIntervalShardingAlgorithmTest: lower 2020-01-01 00:00:00, upper +16 s, 4 s a table.
    const std::string spec
        = "shardingsphere-auto-interval:lower=2020-01-01 00:00:00,upper=2020-01-01 00:00:16,seconds=4";
    expectRoutes(spec,
        { { Key::string("2020-01-01 00:00:01"), "t_order_1" }, { Key::string("2021-01-01 00:00:02"), "t_order_5" },
            // the range tests' ends: [00:04, 00:10] is tables 1 to 3, < 00:11 ends at 3, > 00:09 starts at 3,
            // [2019-01-01, 00:15] is all five of 0..4; milliseconds are ignored.
            { Key::string("2020-01-01 00:00:04"), "t_order_1" }, { Key::string("2020-01-01 00:00:10"), "t_order_3" },
            { Key::string("2020-01-01 00:00:11"), "t_order_3" }, { Key::string("2020-01-01 00:00:09"), "t_order_3" },
            { Key::string("2019-01-01 00:00:00"), "t_order_0" }, { Key::string("2020-01-01 00:00:15"), "t_order_4" },
            { Key::string("2020-01-01 00:00:11.123"), "t_order_3" } });
    EXPECT_EQ(mustMake(spec)->shardCount(), 6);
    // assertGetAutoTablesAmount: a year of days is 368 tables.
    EXPECT_EQ(mustMake("shardingsphere-auto-interval:lower=2020-01-01 00:00:00,upper=2021-01-01 00:00:00,seconds=86400")
                  ->shardCount(),
        368);
}

TEST(ShardingSphereAutoInterval, TwoDecimalRoundingBeforeCeil)
{
    // computed from DecimalFormat("0.00") (HALF_EVEN on the double's exact value) and Math.ceil: with a day a
    // table, 1 s and 431 s after lower round to 0.00 and stay in table 0; 432 s is the double just above 0.005.
    EXPECT_EQ(autoIntervalTable(1, 86400, 368), 0);
    EXPECT_EQ(autoIntervalTable(431, 86400, 368), 0);
    EXPECT_EQ(autoIntervalTable(432, 86400, 368), 1);
    EXPECT_EQ(autoIntervalTable(86400, 86400, 368), 1);
    EXPECT_EQ(autoIntervalTable(86401, 86400, 368), 1);
    EXPECT_EQ(autoIntervalTable(86833, 86400, 368), 2);
    EXPECT_EQ(autoIntervalTable(-5, 4, 6), 0);
    EXPECT_EQ(autoIntervalTable(1'000'000, 4, 6), 5);
}

// ---- MyCat -------------------------------------------------------------------------------------------

TEST(MycatLong, PartitionByLongTestVectors)
{
    // MyCATApache/Mycat-Server PartitionByLongTest.testCalculate1 and testCalculate2.
    expectRoutes("mycat-long:count=4,length=256",
        { { Key::int64(0), "dn0" }, { Key::int64(256), "dn1" }, { Key::int64(512), "dn2" }, { Key::int64(768), "dn3" },
            { Key::int64(1023), "dn3" },
            // computed: the value & 1023 picks the slot, also for negative numbers and strings of digits.
            { Key::int64(1024), "dn0" }, { Key::int64(-1), "dn3" }, { Key::string("1280"), "dn1" } });
    expectRoutes("mycat-long:count=256,length=4",
        { { Key::int64(0), "dn0" }, { Key::int64(5), "dn1" }, { Key::int64(10), "dn2" }, { Key::int64(768), "dn192" },
            { Key::int64(1023), "dn255" } });
    expectRoutes("mycat-long:count=2|1,length=256|512",
        { { Key::int64(0), "dn0" }, { Key::int64(256), "dn1" }, { Key::int64(512), "dn2" },
            { Key::int64(1023), "dn2" } });
    const auto rule = mustMake("mycat-long:count=4,length=256");
    ASSERT_NE(rule, nullptr);
    EXPECT_FALSE(rule->route(Key::string("")).ok());
    EXPECT_FALSE(rule->route(Key::string("abc")).ok());
    EXPECT_NE(makeError("mycat-long:count=4,length=200").find("1024"), std::string::npos);
    EXPECT_NE(makeError("mycat-long:count=4|2,length=256").find("one length per count"), std::string::npos);
    std::vector<double> shares(4, 0.0);
    rule->addRangeShares(0, 2047, 2048, shares);
    EXPECT_EQ(shares, (std::vector<double> { 512, 512, 512, 512 }));
}

TEST(MycatCrc32Slot, PartitionByCRC32PreSlotTestVectors)
{
    // MyCATApache/Mycat-Server PartitionByCRC32PreSlotTest.test.
    expectRoutes("mycat-crc32slot:nodes=1000", { { Key::string("1000316"), "dn521" }, { Key::string("2"), "dn637" } });
    const std::vector<int> two = { 0, 1, 0, 1, 0, 0, 0, 0, 0 };
    const std::vector<int> three = { 1, 1, 0, 2, 0, 1, 1, 0, 0 };
    const auto rule2 = mustMake("mycat-crc32slot:nodes=2");
    const auto rule3 = mustMake("mycat-crc32slot:nodes=3");
    ASSERT_NE(rule2, nullptr);
    ASSERT_NE(rule3, nullptr);
    for (int i = 1; i <= 9; ++i) {
        EXPECT_EQ(rule2->route(Key::string(std::to_string(i)))->index, two[size_t(i - 1)]) << i;
        EXPECT_EQ(rule3->route(Key::string(std::to_string(i)))->index, three[size_t(i - 1)]) << i;
    }
    expectRoutes("mycat-crc32slot:nodes=2",
        { { Key::string("9999"), "dn0" }, { Key::string("123456789"), "dn1" }, { Key::string("35565"), "dn1" } });
    expectRoutes("mycat-crc32slot:nodes=3",
        { { Key::string("9999"), "dn0" }, { Key::string("123456789"), "dn2" }, { Key::string("35565"), "dn2" },
            // computed with zlib.crc32: the empty string is crc 0; "北京" is slot 16017; an integer is its digits.
            { Key::string(""), "dn0" }, { Key::string("北京"), "dn0" }, { Key::int64(1), "dn1" } });
    Explanation steps;
    ASSERT_TRUE(rule3->route(Key::int64(1), &steps).ok());
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[0], "crc32(\"1\") = 2212294583");
    EXPECT_EQ(steps[1], "2212294583 % 102400 = slot 44983");
    EXPECT_EQ(steps[2], "slot 44983 / (102400 / 3) -> dn1");
}

TEST(MycatMurmur, GuavaHashUnencodedCharsVectors)
{
    // google/guava Murmur3Hash32Test.testKnownStringInputs (hashString(String) is hashUnencodedChars there).
    EXPECT_EQ(guavaMurmur3HashChars("", 0), 0);
    EXPECT_EQ(guavaMurmur3HashChars("k", 0), 679745764);
    EXPECT_EQ(guavaMurmur3HashChars("hello", 0), -675079799);
    EXPECT_EQ(guavaMurmur3HashChars("http://www.google.com/", 0), 1935035788);
    EXPECT_EQ(guavaMurmur3HashChars("The quick brown fox jumps over the lazy dog", 0), -528633700);
}

TEST(MycatMurmur, PointsAndRoutesAsPartitionByMurmurHash)
{
    // computed with a separate murmur3 over UTF-16LE: the second point of node 0 hashes the grown builder.
    EXPECT_EQ(mycatMurmurPoints(0, 2, 0), (std::vector<int32_t> { -1711177021, 1756943855 }));
    expectRoutes("mycat-murmur:nodes=4",
        { { Key::string(""), "dn0" }, { Key::string("-42"), "dn3" }, { Key::int64(-42), "dn3" },
            { Key::string("42"), "dn2" }, { Key::string("北京"), "dn1" }, { Key::string("ключ"), "dn0" },
            { Key::string("😀"), "dn1" }, { Key::string("user:1001"), "dn2" }, { Key::int64(INT64_MAX), "dn2" },
            { Key::int64(INT64_MIN), "dn2" }, { Key::string("1000000"), "dn2" },
            { Key::string("owJnujvEBmcfNkX3B0Om4CizfaD8"), "dn3" } });
    expectRoutes("mycat-murmur:nodes=10",
        { { Key::int64(1000000), "dn2" }, { Key::int64(1000001), "dn1" }, { Key::int64(1000002), "dn0" },
            { Key::int64(1000003), "dn8" }, { Key::int64(1000004), "dn4" } });
    const auto rule = mustMake("mycat-murmur:nodes=4");
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(rule->spec(), "mycat-murmur:nodes=4,virtual=160,seed=0");
    EXPECT_EQ(rule->route(Key::string("北京"))->hash, "-1512303600");
}
