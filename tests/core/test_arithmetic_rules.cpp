// The arithmetic rules: the worked examples of the sources, ShardingSphere's HASH_MOD on keys whose Java
// hashCode is known, boundaries, negative keys and the errors a user gets for a bad spec.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

#include "shardsim/rules/hashes.h"
#include "shardsim/rules/rule_factory.h"

using namespace shardsim;

namespace {

ShardRulePtr rule(std::string_view spec, const RuleContext& context = {})
{
    auto made = makeRule(spec, context);
    EXPECT_TRUE(made) << spec << ": " << made.error();
    return made ? *made : nullptr;
}

// The error text of a spec that must be rejected.
std::string specError(std::string_view spec, const RuleContext& context = {})
{
    auto made = makeRule(spec, context);
    EXPECT_FALSE(made) << spec << " was accepted";
    return made ? std::string() : made.error();
}

RouteResult routed(const ShardRule& shardRule, const Key& key)
{
    auto result = shardRule.route(key);
    EXPECT_TRUE(result) << key.display() << ": " << result.error();
    return result ? *result : RouteResult {};
}

std::string routeError(const ShardRule& shardRule, const Key& key)
{
    auto result = shardRule.route(key);
    EXPECT_FALSE(result) << key.display() << " was routed";
    return result ? std::string() : result.error();
}

std::string explained(const ShardRule& shardRule, const Key& key)
{
    Explanation steps;
    auto result = shardRule.route(key, &steps);
    EXPECT_TRUE(result);
    std::string text;
    for (const auto& step : steps)
        text += step + "\n";
    return text;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

const int64_t kInt64Min = std::numeric_limits<int64_t>::min();
const uint64_t kUInt64Max = std::numeric_limits<uint64_t>::max();

} // namespace

// ---- db-table ----------------------------------------------------------------------------------------

TEST(DbTableRule, Uid9527GoesToDb1Table7)
{
    // The sources' example: TBL_NUM=10, DB_NUM=8, uid 9527 -> 9527/10 = 952, 952 % 8 + 1 = 1, 9527 % 10 = 7.
    auto r = rule("db-table:dbs=8,tables=10");
    const RouteResult result = routed(*r, Key::int64(9527));
    EXPECT_EQ(result.db, 1);
    EXPECT_EQ(result.table, 7);
    EXPECT_EQ(r->shardName(result.index), "db1.t_7");
    EXPECT_EQ(r->shardCount(), 80);
    EXPECT_EQ(r->databaseCount(), 8);
    EXPECT_EQ(r->databaseOf(result.index), 0);
    const std::string steps = explained(*r, Key::int64(9527));
    EXPECT_TRUE(contains(steps, "9527 / 10 = 952")) << steps;
    EXPECT_TRUE(contains(steps, "952 % 8 + 1 = 1")) << steps;
    EXPECT_TRUE(contains(steps, "9527 % 10 = 7")) << steps;
}

TEST(DbTableRule, ConsecutiveUidsFillTheTablesOfOneDatabaseFirst)
{
    auto r = rule("db-table:dbs=8,tables=10");
    EXPECT_EQ(r->shardName(routed(*r, Key::int64(9529)).index), "db1.t_9");
    EXPECT_EQ(r->shardName(routed(*r, Key::int64(9530)).index), "db2.t_0");
    EXPECT_EQ(r->shardName(routed(*r, Key::int64(79)).index), "db8.t_9");
    EXPECT_EQ(r->shardName(routed(*r, Key::int64(80)).index), "db1.t_0");
}

TEST(DbTableRule, Fold64DatabasesOnto8)
{
    auto r = rule("db-table:dbs=64,tables=10,fold=8");
    EXPECT_EQ(r->shardCount(), 640);
    EXPECT_EQ(r->databaseCount(), 8);
    // uid 87: 87 / 10 = 8, 8 % 64 + 1 = 9 -> logical db9; (9 - 1) % 8 + 1 = 1 -> physical db1.
    const RouteResult result = routed(*r, Key::int64(87));
    EXPECT_EQ(r->shardName(result.index), "db9.t_7");
    EXPECT_EQ(result.db, 1);
    EXPECT_EQ(result.table, 7);
    EXPECT_TRUE(contains(explained(*r, Key::int64(87)), "(9 - 1) % 8 + 1 = 1"));
    // uid 9527 is logical db 952 % 64 + 1 = 57, physical (57 - 1) % 8 + 1 = 1.
    EXPECT_EQ(r->shardName(routed(*r, Key::int64(9527)).index), "db57.t_7");
    EXPECT_EQ(routed(*r, Key::int64(9527)).db, 1);
    for (int64_t uid = 0; uid < 5000; uid += 7) {
        const RouteResult each = routed(*r, Key::int64(uid));
        EXPECT_EQ(each.db, r->databaseOf(each.index) + 1) << uid;
    }
}

TEST(DbTableRule, GrowingTheFoldMovesWholeLogicalDatabasesOnly)
{
    // 8 -> 16 physical databases: no key changes its logical shard; exactly the logical databases
    // 9..16, 25..32, ... (half of them) change their physical database.
    auto small = rule("db-table:dbs=64,tables=10,fold=8");
    auto large = rule("db-table:dbs=64,tables=10,fold=16");
    int moved = 0;
    for (int64_t uid = 0; uid < 6400; ++uid) {
        const RouteResult before = routed(*small, Key::int64(uid));
        const RouteResult after = routed(*large, Key::int64(uid));
        ASSERT_EQ(before.index, after.index) << uid;
        if (before.db != after.db)
            ++moved;
    }
    EXPECT_EQ(moved, 3200);
}

TEST(DbTableRule, NegativeAndHugeKeysStayInRange)
{
    auto r = rule("db-table:dbs=8,tables=10");
    // Floored: -1 / 10 = -1, -1 mod 8 = 7 -> db8; -1 mod 10 = 9.
    const RouteResult negative = routed(*r, Key::int64(-1));
    EXPECT_EQ(negative.db, 8);
    EXPECT_EQ(negative.table, 9);
    // 18446744073709551615 / 10 = 1844674407370955161, mod 8 = 1 -> db2; mod 10 = 5.
    const RouteResult huge = routed(*r, Key::uint64(kUInt64Max));
    EXPECT_EQ(huge.db, 2);
    EXPECT_EQ(huge.table, 5);
    EXPECT_TRUE(contains(routeError(*r, Key::string("alice")), "integer key"));
}

TEST(DbTableRule, RejectsBadParameters)
{
    EXPECT_TRUE(contains(specError("db-table:dbs=8"), "needs parameter 'tables'"));
    EXPECT_TRUE(contains(specError("db-table:dbs=0,tables=10"), "'dbs'"));
    EXPECT_TRUE(contains(specError("db-table:dbs=64,tables=10,fold=7"), "must divide"));
    EXPECT_TRUE(contains(specError("db-table:dbs=8,tables=10,fold=16"), "must divide"));
    EXPECT_TRUE(contains(specError("db-table:dbs=8,tables=10,flod=4"), "did you mean 'fold'"));
}

// ---- mod and hash-mod ------------------------------------------------------------------------------

TEST(ModRule, FloorsTheRemainderOfNegativeKeys)
{
    auto r = rule("mod:n=4");
    EXPECT_EQ(routed(*r, Key::int64(9527)).index, 3);
    EXPECT_EQ(routed(*r, Key::int64(-1)).index, 3);
    EXPECT_EQ(routed(*r, Key::int64(-4)).index, 0);
    EXPECT_EQ(routed(*r, Key::int32(-7)).index, 1);
    EXPECT_EQ(r->shardName(3), "shard-3");
    // -9223372036854775808 = -2305843009213693952 * 4 exactly; 2^64 - 1 = 3 (mod 4).
    EXPECT_EQ(routed(*r, Key::int64(kInt64Min)).index, 0);
    EXPECT_EQ(routed(*r, Key::uint64(kUInt64Max)).index, 3);
    EXPECT_TRUE(contains(explained(*r, Key::int64(-1)), "-1 mod 4 = 3"));
}

TEST(ModRule, StringKeysAreAnErrorPointingToHashMod)
{
    auto r = rule("mod:n=4");
    const std::string error = routeError(*r, Key::string("alice"));
    EXPECT_TRUE(contains(error, "mod needs an integer key; use hash-mod")) << error;
}

TEST(ModRule, RejectsZeroAndMissingN)
{
    EXPECT_TRUE(contains(specError("mod:n=0"), "between 1 and"));
    EXPECT_TRUE(contains(specError("mod"), "needs parameter 'n'"));
    EXPECT_TRUE(contains(specError("mod:n=-3"), "between 1 and"));
}

TEST(HashModRule, JavaMatchesShardingSphereHashMod)
{
    // Math.abs((long) value.hashCode()) % n, evaluated on OpenJDK 17 for each boxed value.
    struct Case {
        Key key;
        int32_t hashCode;
        int mod8;
        int mod10;
    };
    const std::vector<Case> cases = {
        { Key::int64(9527), 9527, 7, 7 },
        { Key::string("alice"), 92903040, 0, 0 },
        { Key::int32(std::numeric_limits<int32_t>::min()), std::numeric_limits<int32_t>::min(), 0, 8 },
        { Key::int64(-1), 0, 0, 0 }, // Long.hashCode(-1) = (int)(-1 ^ (-1 >>> 32)) = 0
        { Key::string("user-12345"), 440384433, 1, 3 },
        { Key::int64(-9527), 9526, 6, 6 },
        { Key::int64(4294967296), 1, 1, 1 },
        // The String whose hashCode is Integer.MIN_VALUE: without the cast to long, abs() stays negative.
        { Key::string("polygenelubricants"), std::numeric_limits<int32_t>::min(), 0, 8 },
    };
    auto by8 = rule("hash-mod:n=8");
    auto by10 = rule("hash-mod:n=10,hash=java");
    for (const Case& c : cases) {
        const RouteResult result = routed(*by8, c.key);
        EXPECT_EQ(result.index, c.mod8) << c.key.display();
        EXPECT_EQ(result.hash, std::to_string(c.hashCode)) << c.key.display();
        EXPECT_EQ(routed(*by10, c.key).index, c.mod10) << c.key.display();
    }
    EXPECT_EQ(by8->spec(), "hash-mod:n=8,hash=java");
}

TEST(HashModRule, OtherHashesTakeTheUnsignedHashModN)
{
    for (const char* name : { "murmur3", "xxhash64", "fnv1a64", "crc32" }) {
        auto r = rule(std::string("hash-mod:n=7,hash=") + name);
        const auto function = hashes::parseHashFunction(name);
        ASSERT_TRUE(function);
        for (const Key& key : { Key::int64(9527), Key::string("alice"), Key::int64(-1) }) {
            const uint64_t hash = hashes::hashKey(*function, key);
            const RouteResult result = routed(*r, key);
            EXPECT_EQ(result.index, static_cast<int>(hash % 7)) << name << " " << key.display();
            EXPECT_EQ(result.hash, std::to_string(hash));
        }
    }
    EXPECT_TRUE(contains(specError("hash-mod:n=8,hash=md5"), "must be one of"));
}

TEST(ModRule, GrowingNToNPlusOneMovesNOutOfNPlusOneKeys)
{
    // A key keeps its shard only when k mod N == k mod (N+1), i.e. k mod N(N+1) < N: exactly N keys in
    // every run of N(N+1) consecutive keys. Over keys 1..N(N+1)k the moved share is exactly N/(N+1).
    for (int n : { 2, 4, 7, 10 }) {
        auto before = rule("mod:n=" + std::to_string(n));
        auto after = rule("mod:n=" + std::to_string(n + 1));
        const int64_t keys = int64_t(n) * (n + 1) * 50;
        int64_t moved = 0;
        for (int64_t k = 1; k <= keys; ++k)
            moved += routed(*before, Key::int64(k)).index != routed(*after, Key::int64(k)).index;
        EXPECT_EQ(moved * (n + 1), keys * n) << "n=" << n;
    }
}

// ---- range and range-mod ---------------------------------------------------------------------------

TEST(RangeRule, BoundsAreHalfOpen)
{
    auto r = rule("range:bounds=10M|20M|30M");
    EXPECT_EQ(r->shardCount(), 4);
    EXPECT_EQ(routed(*r, Key::int64(9'999'999)).index, 0);
    EXPECT_EQ(routed(*r, Key::int64(10'000'000)).index, 1);
    EXPECT_EQ(routed(*r, Key::int64(19'999'999)).index, 1);
    EXPECT_EQ(routed(*r, Key::int64(20'000'000)).index, 2);
    EXPECT_EQ(routed(*r, Key::int64(30'000'000)).index, 3);
    EXPECT_EQ(routed(*r, Key::int64(-5)).index, 0);
    EXPECT_EQ(routed(*r, Key::int64(kInt64Min)).index, 0);
    EXPECT_EQ(routed(*r, Key::uint64(kUInt64Max)).index, 3);
    EXPECT_EQ(r->shardName(0), "<10M");
    EXPECT_EQ(r->shardName(1), "[10M,20M)");
    EXPECT_EQ(r->shardName(3), ">=30M");
    EXPECT_EQ(r->spec(), "range:bounds=10M|20M|30M");
    EXPECT_TRUE(contains(explained(*r, Key::int64(15'000'000)), "10000000 <= 15000000 < 20000000"));
    EXPECT_TRUE(contains(routeError(*r, Key::string("x")), "integer key"));
}

TEST(RangeRule, AcceptsNegativeAndPlainBounds)
{
    auto r = rule("range:bounds=-1000|0|1_500");
    EXPECT_EQ(routed(*r, Key::int64(-1001)).index, 0);
    EXPECT_EQ(routed(*r, Key::int64(-1000)).index, 1);
    EXPECT_EQ(routed(*r, Key::int64(0)).index, 2);
    EXPECT_EQ(routed(*r, Key::int64(1500)).index, 3);
    EXPECT_EQ(r->shardName(1), "[-1K,0)");
}

TEST(RangeRule, RejectsBoundsThatDoNotIncrease)
{
    EXPECT_TRUE(contains(specError("range:bounds=10M|10M"), "strictly increasing"));
    EXPECT_TRUE(contains(specError("range:bounds=20M|10M|30M"), "strictly increasing"));
    EXPECT_TRUE(contains(specError("range:bounds=10M|ten"), "'ten'"));
    EXPECT_TRUE(contains(specError("range"), "needs parameter 'bounds'"));
}

TEST(RangeModRule, RangePicksTheDatabaseModuloTheTable)
{
    auto r = rule("range-mod:span=10M,mod=4,dbs=3");
    EXPECT_EQ(r->shardCount(), 12);
    EXPECT_EQ(r->databaseCount(), 3);
    const RouteResult first = routed(*r, Key::int64(0));
    EXPECT_EQ(first.db, 1);
    EXPECT_EQ(first.table, 0);
    // 15,000,001: floor(15000001 / 10M) = 1 -> db2; 15000001 mod 4 = 1 -> t_1.
    const RouteResult middle = routed(*r, Key::int64(15'000'001));
    EXPECT_EQ(middle.db, 2);
    EXPECT_EQ(middle.table, 1);
    EXPECT_EQ(middle.index, 5);
    EXPECT_EQ(r->shardName(middle.index), "db2.t_1");
    EXPECT_EQ(r->databaseOf(middle.index), 1);
    EXPECT_EQ(routed(*r, Key::int64(29'999'999)).db, 3);
    EXPECT_EQ(r->spec(), "range-mod:span=10M,mod=4,dbs=3");
}

TEST(RangeModRule, KeysBeyondTheDatabasesFailUnlessClamped)
{
    auto strict = rule("range-mod:span=10M,mod=4,dbs=3");
    EXPECT_TRUE(contains(routeError(*strict, Key::int64(30'000'000)), "0..29999999"));
    EXPECT_TRUE(contains(routeError(*strict, Key::int64(-1)), "outside"));
    auto clamped = rule("range-mod:span=10M,mod=4,dbs=3,overflow=clamp");
    const RouteResult high = routed(*clamped, Key::int64(30'000'002));
    EXPECT_EQ(high.db, 3);
    EXPECT_EQ(high.table, 2);
    const RouteResult low = routed(*clamped, Key::int64(-1));
    EXPECT_EQ(low.db, 1);
    EXPECT_EQ(low.table, 3);
    EXPECT_TRUE(contains(specError("range-mod:span=10M,mod=4"), "needs parameter 'dbs'"));
    EXPECT_TRUE(contains(specError("range-mod:span=0,mod=4,dbs=2"), "'span'"));
}

// ---- geo and directory -----------------------------------------------------------------------------

TEST(GeoRule, MapsRegionsAndListsTheKnownOnes)
{
    auto r = rule("geo:map=east:0|north:1|south:2|west:1");
    EXPECT_EQ(r->shardCount(), 3);
    EXPECT_EQ(routed(*r, Key::string("east")).index, 0);
    EXPECT_EQ(routed(*r, Key::string("west")).index, 1);
    EXPECT_EQ(r->shardName(1), "north+west");
    const std::string unknown = routeError(*r, Key::string("esat"));
    EXPECT_TRUE(contains(unknown, "known regions: east, north, south, west")) << unknown;
    EXPECT_TRUE(contains(unknown, "did you mean 'east'")) << unknown;
    EXPECT_TRUE(contains(routeError(*r, Key::int64(3)), "region name"));
    EXPECT_EQ(r->spec(), "geo:map=east:0|north:1|south:2|west:1");
}

TEST(GeoRule, RejectsGapsRepeatsAndMalformedEntries)
{
    EXPECT_TRUE(contains(specError("geo:map=east:0|north:2"), "no region to shard 1"));
    EXPECT_TRUE(contains(specError("geo:map=east:0|east:1"), "twice"));
    EXPECT_TRUE(contains(specError("geo:map=east"), "REGION:SHARD"));
    EXPECT_TRUE(contains(specError("geo:map=east:x"), "shard must be a number"));
}

TEST(DirectoryRule, LooksKeysUpAndFallsBackToTheDefault)
{
    auto r = rule("directory:map=1001:3|1002:1|alice:0");
    EXPECT_EQ(r->shardCount(), 4);
    EXPECT_EQ(routed(*r, Key::int64(1001)).index, 3);
    EXPECT_EQ(routed(*r, Key::string("alice")).index, 0);
    EXPECT_TRUE(contains(routeError(*r, Key::int64(1003)), "not in the directory"));
    EXPECT_TRUE(contains(explained(*r, Key::int64(1002)), "one extra read per query"));
    auto withDefault = rule("directory:map=1001:3|1002:1,default=5");
    EXPECT_EQ(withDefault->shardCount(), 6);
    EXPECT_EQ(routed(*withDefault, Key::int64(1003)).index, 5);
    EXPECT_EQ(withDefault->spec(), "directory:map=1001:3|1002:1,default=5");
}

TEST(DirectoryRule, BucketsReduceTheKeyFirst)
{
    auto r = rule("directory:map=0:0|1:1|2:0|3:2,buckets=4");
    EXPECT_EQ(routed(*r, Key::int64(6)).index, 0); // 6 mod 4 = 2
    EXPECT_EQ(routed(*r, Key::int64(-1)).index, 2); // floored: bucket 3
    const uint64_t hash = hashes::hashKey(hashes::HashFunction::Murmur3, Key::string("alice"));
    const int expected[] = { 0, 1, 0, 2 };
    const RouteResult text = routed(*r, Key::string("alice"));
    EXPECT_EQ(text.index, expected[hash % 4]);
    EXPECT_EQ(text.hash, std::to_string(hash));
    EXPECT_TRUE(contains(specError("directory:map=0:0|1:1,buckets=4"), "bucket 2"));
    EXPECT_TRUE(contains(specError("directory:map=0:0|7:1,buckets=4,default=0"), "buckets 0..3"));
}

TEST(DirectoryRule, ReadsACsvFileRelativeToTheBaseDirectory)
{
    const auto dir = std::filesystem::temp_directory_path() / "shardsim_directory_test";
    std::filesystem::create_directories(dir);
    {
        std::ofstream out(dir / "users.csv");
        out << "user,shard\n# moved in March\nalice,2\n\"smith, bob\",1\r\n\n1001,0\n";
    }
    RuleContext context;
    context.baseDirectory = dir.string();
    auto r = rule("directory:file=users.csv", context);
    EXPECT_EQ(routed(*r, Key::string("alice")).index, 2);
    EXPECT_EQ(routed(*r, Key::string("smith, bob")).index, 1);
    EXPECT_EQ(routed(*r, Key::int64(1001)).index, 0);
    EXPECT_EQ(r->spec(), "directory:file=users.csv");
    {
        std::ofstream out(dir / "broken.csv");
        out << "alice,2\nbob\ncarol,x\nalice,1\n";
    }
    const std::string error = specError("directory:file=broken.csv", context);
    EXPECT_TRUE(contains(error, "broken.csv:2:")) << error;
    EXPECT_TRUE(contains(error, "broken.csv:3:")) << error;
    EXPECT_TRUE(contains(specError("directory:file=missing.csv", context), "cannot read"));
    std::filesystem::remove_all(dir);
}

TEST(DirectoryRule, NeedsExactlyOneSource)
{
    EXPECT_TRUE(contains(specError("directory"), "needs map="));
    EXPECT_TRUE(contains(specError("directory:map=a:1,file=x.csv"), "not both"));
    EXPECT_TRUE(contains(specError("directory:map=a:1|a:2"), "twice"));
}

// ---- every rule ------------------------------------------------------------------------------------

TEST(ArithmeticRules, CanonicalSpecsRebuildTheSameRule)
{
    for (const char* spec : { "mod:n=12", "hash-mod:n=8", "hash-mod:n=8,hash=xxhash64", "range:bounds=1K|1M|1B",
             "range-mod:span=10M,mod=4,dbs=3,overflow=clamp", "geo:map=east:0|west:1",
             "directory:map=7:1|8:0,buckets=16,default=2", "db-table:dbs=8,tables=10",
             "db-table:dbs=64,tables=10,fold=8" }) {
        auto first = rule(spec);
        ASSERT_TRUE(first);
        auto second = rule(first->spec());
        ASSERT_TRUE(second);
        EXPECT_EQ(second->spec(), first->spec());
        EXPECT_EQ(second->shardCount(), first->shardCount()) << spec;
        for (int64_t k : { 0, 7, 15, 1'000'001 }) {
            auto a = first->route(Key::int64(k));
            auto b = second->route(Key::int64(k));
            ASSERT_EQ(a.ok(), b.ok());
            if (a) {
                EXPECT_EQ(a->index, b->index) << spec << " key " << k;
            }
        }
    }
}

TEST(ArithmeticRules, EveryShardHasADistinctName)
{
    for (const char* spec : { "mod:n=12", "range:bounds=1K|1M|1B", "range-mod:span=10M,mod=4,dbs=3",
             "geo:map=east:0|west:1|north:1", "db-table:dbs=16,tables=4,fold=4" }) {
        auto r = rule(spec);
        std::map<std::string, int> seen;
        for (int i = 0; i < r->shardCount(); ++i)
            EXPECT_TRUE(seen.emplace(r->shardName(i), i).second) << spec << ": " << r->shardName(i);
    }
}

TEST(DirectoryRule, RefusesFilesThatNeverEnd)
{
    // /dev/zero has no end of file: reading it must be refused, not hang.
    auto rule = shardsim::makeRule("directory:file=/dev/zero");
    ASSERT_FALSE(rule);
    EXPECT_NE(rule.error().find("not a regular file"), std::string::npos) << rule.error();
}
