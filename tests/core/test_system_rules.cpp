// The rules that reproduce real systems, checked against the vectors those systems publish in their own
// tests. Each vector names the file it comes from.

#include <gtest/gtest.h>

#include <algorithm>
#include <fmt/format.h>
#include <functional>
#include <string>
#include <vector>

#include "rules/rule_makers.h"
#include "rules/systems/system_formulas.h"
#include "shardsim/rules/hashes.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/rules/rule_spec.h"

using namespace shardsim;
using namespace shardsim::rules::systems;

namespace {

using Maker = ShardRulePtr (*)(RuleParams&, const RuleContext&);

// Builds a rule through its maker, as the factory does, and returns the parameter errors alongside.
struct Built {
    ShardRulePtr rule;
    std::vector<std::string> errors;
};

Built build(Maker maker, std::string_view text)
{
    auto spec = parseRuleSpec(text);
    if (!spec)
        return { nullptr, { spec.error() } };
    RuleParams params(*spec);
    ShardRulePtr rule = maker(params, RuleContext {});
    const auto& errors = params.finish();
    return { errors.empty() ? rule : nullptr, errors };
}

ShardRulePtr mustBuild(Maker maker, std::string_view text)
{
    Built built = build(maker, text);
    EXPECT_TRUE(built.errors.empty()) << text << ": " << (built.errors.empty() ? "" : built.errors.front());
    EXPECT_NE(built.rule, nullptr) << text;
    return built.rule;
}

std::string hexOf(const KeyspaceId& id) { return toHex(keyspaceIdBytes(id)); }

std::vector<std::string> shardNames(const ShardRule& rule)
{
    std::vector<std::string> names;
    for (int i = 0; i < rule.shardCount(); ++i)
        names.push_back(rule.shardName(i));
    return names;
}

std::string routeName(const ShardRule& rule, const Key& key)
{
    auto routed = rule.route(key);
    if (!routed)
        return "error: " + routed.error();
    return rule.shardName(routed->index);
}

std::string bytesOf(std::initializer_list<int> values)
{
    std::string out;
    for (int v : values)
        out += static_cast<char>(v);
    return out;
}

std::string repeat(std::string_view piece, int times)
{
    std::string out;
    for (int i = 0; i < times; ++i)
        out += piece;
    return out;
}

} // namespace

// ---- Vitess hash vindex ------------------------------------------------------------------------------

TEST(VitessHash, DesOfBigEndianIdMatchesVitess)
{
    // vitessio/vitess go/vt/vtgate/vindexes/hash_test.go TestHashMap (Go string literals decoded to hex;
    // "Β", "ɢ" and "ľ" in those literals are the UTF-8 bytes ce92, c9a2 and c4be).
    EXPECT_EQ(hexOf(vitessDesHash(1)), "166b40b44aba4bd6");
    EXPECT_EQ(hexOf(vitessDesHash(2)), "06e7ea22ce92708f");
    EXPECT_EQ(hexOf(vitessDesHash(3)), "4eb190c9a2fa169c");
    EXPECT_EQ(hexOf(vitessDesHash(4)), "d2fd8867d50d2dfe");
    EXPECT_EQ(hexOf(vitessDesHash(5)), "70bb023c810ca87a");
    EXPECT_EQ(hexOf(vitessDesHash(6)), "f098480ac4c4be71");
    // vitessio/vitess go/vt/vtgate/hash_index_test.go TestConvert.
    EXPECT_EQ(hexOf(vitessDesHash(0)), "8ca64de9c1b123a7");
    EXPECT_EQ(hexOf(vitessDesHash(11)), "aefc44491cfe474c");
    EXPECT_EQ(hexOf(vitessDesHash(0x100000000000000ULL)), "0d9f279ba5d87260");
    EXPECT_EQ(hexOf(vitessDesHash(0x800000000000000ULL)), "20b9e767b2fb1456");
}

TEST(VitessHash, RoutesLikeVitessOnEightShards)
{
    // vitessio/vitess go/vt/vtgate/hash_index_test.go TestHashResolve: ids 1, 2, 3, 4, 5, 6, 11 on the
    // 8-shard test keyspace land on -20, -20, 40-60, c0-e0, 60-80, e0-, a0-c0.
    const auto rule = mustBuild(rules::makeVitessHashRule, "vitess-hash:shards=8");
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(shardNames(*rule),
        (std::vector<std::string> { "-20", "20-40", "40-60", "60-80", "80-a0", "a0-c0", "c0-e0", "e0-" }));
    const std::pair<int64_t, const char*> expected[]
        = { { 1, "-20" }, { 2, "-20" }, { 3, "40-60" }, { 4, "c0-e0" }, { 5, "60-80" }, { 6, "e0-" }, { 11, "a0-c0" } };
    for (const auto& [id, shard] : expected)
        EXPECT_EQ(routeName(*rule, Key::int64(id)), shard) << id;
    // int32 and uint64 ids are the same numbers to Vitess.
    EXPECT_EQ(routeName(*rule, Key::int32(4)), "c0-e0");
    EXPECT_EQ(routeName(*rule, Key::uint64(11)), "a0-c0");
}

TEST(VitessHash, ReportsKeyspaceIdAndExplains)
{
    const auto rule = mustBuild(rules::makeVitessHashRule, "vitess-hash:shards=2");
    ASSERT_NE(rule, nullptr);
    Explanation steps;
    auto routed = rule->route(Key::int64(1), &steps);
    ASSERT_TRUE(routed.ok()) << routed.error();
    EXPECT_EQ(routed->index, 0);
    EXPECT_EQ(routed->hash, "166b40b44aba4bd6");
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[0], "key 1 as 8-byte big-endian: 0000000000000001");
    EXPECT_EQ(steps[1], "DES(zero key) -> keyspace id 166b40b44aba4bd6");
    EXPECT_EQ(steps[2], "keyspace id 166b40b44aba4bd6 falls in shard -80 = [min, 80)");
    EXPECT_EQ(rule->spec(), "vitess-hash:shards=2");
}

TEST(VitessHash, NegativeIdsAreReinterpretedAsUnsigned)
{
    // hash.go parses signed ids as int64 and converts with uint64(ival), without a range check.
    const auto rule = mustBuild(rules::makeVitessHashRule, "vitess-hash:shards=4");
    ASSERT_NE(rule, nullptr);
    auto negative = rule->route(Key::int64(-1));
    auto unsignedMax = rule->route(Key::uint64(UINT64_MAX));
    ASSERT_TRUE(negative.ok() && unsignedMax.ok());
    EXPECT_EQ(negative->hash, unsignedMax->hash);
    EXPECT_EQ(negative->hash, hexOf(vitessDesHash(UINT64_MAX)));
}

TEST(VitessHash, RefusesStringsAndBytes)
{
    const auto rule = mustBuild(rules::makeVitessHashRule, "vitess-hash:shards=4");
    ASSERT_NE(rule, nullptr);
    auto text = rule->route(Key::string("alice"));
    ASSERT_FALSE(text.ok());
    EXPECT_NE(text.error().find("integer"), std::string::npos);
    EXPECT_FALSE(rule->route(Key::rawBytes("\x01")).ok());
}

// ---- Vitess xxhash vindex ----------------------------------------------------------------------------

TEST(VitessXxhash, MatchesVitessVectors)
{
    // vitessio/vitess go/vt/vtgate/vindexes/xxhash_test.go TestXXHashMap. Integers are hashed as their
    // decimal text (Value.ToBytes) and the hash is stored little-endian.
    const auto rule = mustBuild(rules::makeVitessXxhashRule, "vitess-xxhash:shards=4");
    ASSERT_NE(rule, nullptr);
    const std::pair<Key, const char*> vectors[] = {
        { Key::string("test1"), "d01ab7e4d6978f0b" },
        { Key::string("test2"), "87eb11714c0a0e89" },
        { Key::string("testaverylongvaluetomakesurethisworks"), "81d8c38e0d850e6a" },
        { Key::int64(1), "d46405367612b4b7" },
        { Key::int64(-1), "d8e2a6a7c8c7623d" },
        { Key::uint64(UINT64_MAX), "477cfa8d6d8f1f8d" },
        { Key::int64(INT64_MAX), "b37eb01f7bffafd8" },
        { Key::uint64(static_cast<uint64_t>(INT64_MAX)), "b37eb01f7bffafd8" },
        { Key::int64(INT64_MIN), "102c27ddb26a609e" },
    };
    for (const auto& [key, expected] : vectors) {
        auto routed = rule->route(key);
        ASSERT_TRUE(routed.ok()) << key.display();
        EXPECT_EQ(routed->hash, expected) << key.display();
    }
    // The NULL vector is xxHash64 of no bytes: 99e9d85137db46ef.
    EXPECT_EQ(hexOf(vitessXxhash("")), "99e9d85137db46ef");
    // An int32 is the same SQL number as the int64.
    EXPECT_EQ(rule->route(Key::int32(1))->hash, "d46405367612b4b7");
}

TEST(VitessXxhash, RoutesByLeadingByte)
{
    const auto rule = mustBuild(rules::makeVitessXxhashRule, "vitess-xxhash:shards=4");
    ASSERT_NE(rule, nullptr);
    // d4... is in c0-, 87... in 80-c0, 10... in -40.
    EXPECT_EQ(routeName(*rule, Key::int64(1)), "c0-");
    EXPECT_EQ(routeName(*rule, Key::string("test2")), "80-c0");
    EXPECT_EQ(routeName(*rule, Key::int64(INT64_MIN)), "-40");
    Explanation steps;
    ASSERT_TRUE(rule->route(Key::int64(1), &steps).ok());
    ASSERT_EQ(steps.size(), 4u);
    EXPECT_EQ(steps[0], "key 1 as Vitess value bytes: \"1\" (1 bytes)");
    EXPECT_EQ(steps[1], "xxHash64(seed 0) = b7b41276360564d4");
    EXPECT_EQ(steps[2], "stored little-endian -> keyspace id d46405367612b4b7");
    EXPECT_EQ(steps[3], "keyspace id d46405367612b4b7 falls in shard c0- = [c0, max)");
}

// ---- Vitess numeric vindex ---------------------------------------------------------------------------

TEST(VitessNumeric, IdIsTheKeyspaceId)
{
    // vitessio/vitess go/vt/vtgate/vindexes/numeric_test.go TestNumericMap: 1 -> 0000000000000001, ...
    const auto rule = mustBuild(rules::makeVitessNumericRule, "vitess-numeric:shards=2");
    ASSERT_NE(rule, nullptr);
    for (int64_t id = 1; id <= 8; ++id)
        EXPECT_EQ(rule->route(Key::int64(id))->hash, fmt::format("{:016x}", id));
    // Key ranges are [start, end): 0x7fff... is the last id of -80, 0x8000... the first of 80-.
    EXPECT_EQ(routeName(*rule, Key::uint64(0x7fffffffffffffffULL)), "-80");
    EXPECT_EQ(routeName(*rule, Key::uint64(0x8000000000000000ULL)), "80-");
    EXPECT_EQ(routeName(*rule, Key::uint64(UINT64_MAX)), "80-");
}

TEST(VitessNumeric, RefusesNegativeNumbers)
{
    // evalengine.ToUint64: "negative number cannot be converted to unsigned".
    const auto rule = mustBuild(rules::makeVitessNumericRule, "vitess-numeric:shards=2");
    ASSERT_NE(rule, nullptr);
    auto routed = rule->route(Key::int64(-5));
    ASSERT_FALSE(routed.ok());
    EXPECT_NE(routed.error().find("negative"), std::string::npos);
    EXPECT_FALSE(rule->route(Key::string("5")).ok());
}

TEST(VitessNumeric, TwoByteBoundariesAbove256Shards)
{
    const auto rule = mustBuild(rules::makeVitessNumericRule, "vitess-numeric:shards=512");
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(routeName(*rule, Key::uint64(0x007fffffffffffffULL)), "-0080");
    EXPECT_EQ(routeName(*rule, Key::uint64(0x0080000000000000ULL)), "0080-0100");
    EXPECT_EQ(routeName(*rule, Key::uint64(0xff80000000000000ULL)), "ff80-");
}

// ---- Vitess shard ranges -----------------------------------------------------------------------------

namespace {

std::vector<std::string> rangeNames(int shards)
{
    auto ranges = vitessShardRanges(shards);
    std::vector<std::string> names;
    if (!ranges)
        return names;
    for (const auto& shard : *ranges)
        names.push_back(shard.name);
    return names;
}

} // namespace

TEST(VitessShardRanges, MatchGenerateShardRanges)
{
    // vitessio/vitess go/vt/key/key_test.go TestGenerateShardRanges.
    EXPECT_EQ(rangeNames(1), (std::vector<std::string> { "-" }));
    EXPECT_EQ(rangeNames(2), (std::vector<std::string> { "-80", "80-" }));
    EXPECT_EQ(rangeNames(7), (std::vector<std::string> { "-24", "24-49", "49-6d", "6d-92", "92-b6", "b6-db", "db-" }));
    EXPECT_EQ(rangeNames(49),
        (std::vector<std::string> { "-05", "05-0a", "0a-0f", "0f-14", "14-1a", "1a-1f", "1f-24", "24-29", "29-2f",
            "2f-34", "34-39", "39-3e", "3e-43", "43-49", "49-4e", "4e-53", "53-58", "58-5e", "5e-63", "63-68", "68-6d",
            "6d-72", "72-78", "78-7d", "7d-82", "82-87", "87-8d", "8d-92", "92-97", "97-9c", "9c-a1", "a1-a7", "a7-ac",
            "ac-b1", "b1-b6", "b6-bc", "bc-c1", "c1-c6", "c6-cb", "cb-d0", "d0-d6", "d6-db", "db-e0", "e0-e5", "e5-eb",
            "eb-f0", "f0-f5", "f5-fa", "fa-" }));
    EXPECT_EQ(rangeNames(103),
        (std::vector<std::string> { "-02", "02-04", "04-07", "07-09", "09-0c", "0c-0e", "0e-11", "11-13", "13-16",
            "16-18", "18-1b", "1b-1d", "1d-20", "20-22", "22-25", "25-27", "27-2a", "2a-2c", "2c-2f", "2f-31", "31-34",
            "34-36", "36-39", "39-3b", "3b-3e", "3e-40", "40-43", "43-45", "45-48", "48-4a", "4a-4d", "4d-4f", "4f-52",
            "52-54", "54-56", "56-59", "59-5b", "5b-5e", "5e-60", "60-63", "63-65", "65-68", "68-6a", "6a-6d", "6d-6f",
            "6f-72", "72-74", "74-77", "77-79", "79-7c", "7c-7e", "7e-81", "81-83", "83-86", "86-88", "88-8b", "8b-8d",
            "8d-90", "90-92", "92-95", "95-97", "97-9a", "9a-9c", "9c-9f", "9f-a1", "a1-a4", "a4-a6", "a6-a9", "a9-ab",
            "ab-ad", "ad-b0", "b0-b2", "b2-b5", "b5-b7", "b7-ba", "ba-bc", "bc-bf", "bf-c1", "c1-c4", "c4-c6", "c6-c9",
            "c9-cb", "cb-ce", "ce-d0", "d0-d3", "d3-d5", "d5-d8", "d8-da", "da-dd", "dd-df", "df-e2", "e2-e4", "e4-e7",
            "e7-e9", "e9-ec", "ec-ee", "ee-f1", "f1-f3", "f3-f6", "f6-f8", "f8-fb", "fb-fd", "fd-" }));
    EXPECT_EQ(rangeNames(107),
        (std::vector<std::string> { "-02", "02-04", "04-07", "07-09", "09-0b", "0b-0e", "0e-10", "10-13", "13-15",
            "15-17", "17-1a", "1a-1c", "1c-1f", "1f-21", "21-23", "23-26", "26-28", "28-2b", "2b-2d", "2d-2f", "2f-32",
            "32-34", "34-37", "37-39", "39-3b", "3b-3e", "3e-40", "40-42", "42-45", "45-47", "47-4a", "4a-4c", "4c-4e",
            "4e-51", "51-53", "53-56", "56-58", "58-5a", "5a-5d", "5d-5f", "5f-62", "62-64", "64-66", "66-69", "69-6b",
            "6b-6e", "6e-70", "70-72", "72-75", "75-77", "77-7a", "7a-7c", "7c-7e", "7e-81", "81-83", "83-85", "85-88",
            "88-8a", "8a-8d", "8d-8f", "8f-91", "91-94", "94-96", "96-99", "99-9b", "9b-9d", "9d-a0", "a0-a2", "a2-a5",
            "a5-a7", "a7-a9", "a9-ac", "ac-ae", "ae-b1", "b1-b3", "b3-b5", "b5-b8", "b8-ba", "ba-bd", "bd-bf", "bf-c1",
            "c1-c4", "c4-c6", "c6-c8", "c8-cb", "cb-cd", "cd-d0", "d0-d2", "d2-d4", "d4-d7", "d7-d9", "d9-dc", "dc-de",
            "de-e0", "e0-e3", "e3-e5", "e5-e8", "e8-ea", "ea-ec", "ec-ef", "ef-f1", "f1-f4", "f4-f6", "f6-f8", "f8-fb",
            "fb-fd", "fd-" }));
    const auto names256 = rangeNames(256);
    ASSERT_EQ(names256.size(), 256u);
    EXPECT_EQ(names256[0], "-01");
    EXPECT_EQ(names256[128], "80-81");
    EXPECT_EQ(names256[255], "ff-");
    const auto names512 = rangeNames(512);
    ASSERT_EQ(names512.size(), 512u);
    EXPECT_EQ(names512[0], "-0080");
    EXPECT_EQ(names512[1], "0080-0100");
    EXPECT_EQ(names512[256], "8000-8080");
    EXPECT_EQ(names512[511], "ff80-");
    // The 8-shard test keyspace of hash_index_test.go and the usual 4-shard split.
    EXPECT_EQ(rangeNames(4), (std::vector<std::string> { "-40", "40-80", "80-c0", "c0-" }));
    EXPECT_EQ(rangeNames(8).back(), "e0-");
}

TEST(VitessShardRanges, ContiguousAndCoveringForManyCounts)
{
    // key_test.go TestGenerateShardRangesForManyShards, 1..1024.
    for (int n = 1; n <= 1024; ++n) {
        auto ranges = vitessShardRanges(n);
        ASSERT_TRUE(ranges.ok()) << n;
        ASSERT_EQ(ranges->size(), static_cast<size_t>(n));
        EXPECT_TRUE(ranges->front().start.empty()) << n;
        EXPECT_TRUE(ranges->back().end.empty()) << n;
        for (size_t j = 1; j < ranges->size(); ++j) {
            ASSERT_EQ((*ranges)[j - 1].end, (*ranges)[j].start) << n << " at " << j;
            ASSERT_LT(compareBytes((*ranges)[j - 1].start, (*ranges)[j].start), 0) << n << " at " << j;
        }
    }
}

TEST(VitessShardRanges, LimitsAndParameterErrors)
{
    EXPECT_FALSE(vitessShardRanges(0).ok());
    EXPECT_FALSE(vitessShardRanges(65537).ok());
    ASSERT_TRUE(vitessShardRanges(65536).ok());
    EXPECT_EQ(vitessShardRanges(65536)->back().name, "ffff-");

    Built tooMany = build(rules::makeVitessHashRule, "vitess-hash:shards=65537");
    EXPECT_EQ(tooMany.rule, nullptr);
    ASSERT_FALSE(tooMany.errors.empty());
    Built missing = build(rules::makeVitessHashRule, "vitess-hash");
    EXPECT_EQ(missing.rule, nullptr);
    EXPECT_FALSE(missing.errors.empty());
    Built unknown = build(rules::makeVitessXxhashRule, "vitess-xxhash:shards=4,seed=1");
    EXPECT_EQ(unknown.rule, nullptr);
    EXPECT_FALSE(unknown.errors.empty());
}

// ---- Cassandra Murmur3Partitioner --------------------------------------------------------------------

TEST(CassandraMurmur3, DriverVectors)
{
    // datastax/python-driver tests/unit/test_metadata.py (_verify_hash) and datastax/ruby-driver
    // spec/cassandra/murmur3_spec.rb: the drivers' ports of Cassandra's hash, used to pick replicas.
    const std::pair<std::string, int64_t> vectors[] = {
        { "123", -7468325962851647638LL },
        { std::string(8, '\xfe'), -8927430733708461935LL },
        { std::string(8, '\x10'), 1446172840243228796LL },
        { "9223372036854775807", 7162290910810015547LL },
        { bytesOf({ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }), -5563837382979743776LL },
        { bytesOf({ 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 }), -1513403162740402161LL },
        { bytesOf({ 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18 }), -495360443712684655LL },
        { bytesOf({ 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 }), 1734091135765407943LL },
        { bytesOf({ 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 }), -3199412112042527988LL },
        { bytesOf({ 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21 }), -6316563938475080831LL },
        { bytesOf({ 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22 }), 8228893370679682632LL },
        { std::string(16, '\x00'), 5457549051747178710LL },
        { std::string(16, '\xff'), -2824192546314762522LL },
        { std::string(16, '\xfe'), -833317529301936754LL },
        { bytesOf({ 0, 1, 2, 3 }) + std::string(12, '\xff'), 6463632673159404390LL },
        { std::string(17, '\xfe'), -1672437813826982685LL },
        { std::string(4, '\xfe'), 4566408979886474012LL },
        { std::string(4, '\x00'), -3485513579396041028LL },
        { bytesOf({ 0, 1, 0x7f, 0x7f }), 6573459401642635627LL },
        { bytesOf({ 0, 0xff, 0xff, 0xff }), 123573637386978882LL },
        { bytesOf({ 0xff, 1, 2, 3 }), -2839127690952877842LL },
        { bytesOf({ 0xe2, 0xe7 }), -8582699461035929883LL },
        { bytesOf({ 0xe2, 0xe7, 0xe2, 0xe7, 0xe2, 0xe7, 0x01 }), 2222373981930033306LL },
    };
    for (const auto& [input, expected] : vectors)
        EXPECT_EQ(cassandraMurmur3(input), expected) << toHex(input);
    // "\x00\xff\x10\xfa\x99" * 10: 50 bytes, so a 2-byte tail holding 0xff.
    EXPECT_EQ(cassandraMurmur3(repeat(bytesOf({ 0x00, 0xff, 0x10, 0xfa, 0x99 }), 10)), 5837342703291459765LL);
}

TEST(CassandraMurmur3, TailSignExtensionDiffersFromReference)
{
    // Without a tail byte >= 0x80 both agree; with one, only the sign-extending variant gives Cassandra's
    // token (-8927430733708461935 for eight 0xfe bytes, ruby-driver murmur3_spec.rb).
    const std::string plain(8, '\x10');
    EXPECT_EQ(static_cast<int64_t>(hashes::murmur3x64_128(plain).h1), cassandraMurmur3(plain));
    const std::string high(8, '\xfe');
    EXPECT_NE(static_cast<int64_t>(hashes::murmur3x64_128(high).h1), cassandraMurmur3(high));
    EXPECT_EQ(cassandraMurmur3(high), -8927430733708461935LL);
}

TEST(CassandraMurmur3, IntTokensFromCassandraTests)
{
    // apache/cassandra-dtest replication_test.py murmur3_hashes: tokens of `id int` keys 1..20, and
    // apache/cassandra pylib/cqlshlib/test/test_cql_parsing.py: token(1) of an int is -4069959284402364209.
    const std::pair<int32_t, int64_t> vectors[] = { { 5, -7509452495886106294LL }, { 10, -6715243485458697746LL },
        { 16, -5477287129830487822LL }, { 13, -5034495173465742853LL }, { 11, -4156302194539278891LL },
        { 1, -4069959284402364209LL }, { 19, -3974532302236993209LL }, { 8, -3799847372828181882LL },
        { 2, -3248873570005575792LL }, { 4, -2729420104000364805LL }, { 18, -2695747960476065067LL },
        { 15, -1191135763843456182LL }, { 20, 1388667306199997068LL }, { 7, 1634052884888577606LL },
        { 6, 2705480034054113608LL }, { 9, 3728482343045213994LL }, { 14, 4279681877540623768LL },
        { 17, 5467144456125416399LL }, { 12, 8582886034424406875LL }, { 3, 9010454139840013625LL } };
    const auto rule = mustBuild(rules::makeCassandraMurmur3Rule, "murmur3:nodes=3");
    ASSERT_NE(rule, nullptr);
    for (const auto& [id, token] : vectors) {
        auto routed = rule->route(Key::int32(id));
        ASSERT_TRUE(routed.ok()) << id;
        EXPECT_EQ(routed->hash, std::to_string(token)) << id;
    }
    Explanation steps;
    ASSERT_TRUE(rule->route(Key::int32(1), &steps).ok());
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[0], "key 1 as Cassandra int (4-byte big-endian): 00000001");
    EXPECT_EQ(steps[2], "token -4069959284402364209 is in (-9223372036854775808, -3074457345618258603] owned by node2");
}

TEST(CassandraMurmur3, BigintAndTextTokens)
{
    // datastax/ruby-driver integration/load_balancing/token_aware_test.rb: SELECT token(user_id) for a
    // BIGINT partition key on a live cluster returns these for 0..3.
    const auto rule = mustBuild(rules::makeCassandraMurmur3Rule, "murmur3:nodes=2");
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(rule->route(Key::int64(0))->hash, "2945182322382062539");
    EXPECT_EQ(rule->route(Key::int64(1))->hash, "6292367497774912474");
    EXPECT_EQ(rule->route(Key::int64(2))->hash, "-8218881827949364593");
    EXPECT_EQ(rule->route(Key::int64(3))->hash, "-8048510690352527683");
    // A uint64 is the bigint with the same bits.
    EXPECT_EQ(rule->route(Key::uint64(3))->hash, "-8048510690352527683");
    // text is its UTF-8 bytes: python-driver's hash of '123'.
    EXPECT_EQ(rule->route(Key::string("123"))->hash, "-7468325962851647638");
}

TEST(CassandraMurmur3, OwnerIsFirstNodeTokenAtOrAfter)
{
    // The same test asserts the primary replica in dc1, whose two ccm nodes hold tokens -2^63 and 0:
    // users 0 and 1 go to 127.0.0.1 (node1), users 2 and 3 to 127.0.0.2 (node2).
    const auto rule = mustBuild(rules::makeCassandraMurmur3Rule, "murmur3:nodes=2");
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(routeName(*rule, Key::int64(0)), "node1");
    EXPECT_EQ(routeName(*rule, Key::int64(1)), "node1");
    EXPECT_EQ(routeName(*rule, Key::int64(2)), "node2");
    EXPECT_EQ(routeName(*rule, Key::int64(3)), "node2");

    Explanation steps;
    ASSERT_TRUE(rule->route(Key::int64(1), &steps).ok());
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[0], "key 1 as Cassandra bigint (8-byte big-endian): 0000000000000001");
    EXPECT_EQ(steps[1], "MurmurHash3_x64_128 (Cassandra, seed 0) first long -> token 6292367497774912474");
    EXPECT_EQ(steps[2],
        "token 6292367497774912474 is in (0, -9223372036854775808] owned by node1 (past the last token, the ring "
        "wraps)");
    EXPECT_EQ(rule->spec(), "murmur3:nodes=2");
}

TEST(CassandraMurmur3, BalancedTokensAsCcm)
{
    // riptano/ccm ccmlib/cluster.py balanced_tokens: i * (2**64 // n) - 2**63.
    EXPECT_EQ(cassandraBalancedTokens(1), (std::vector<int64_t> { INT64_MIN }));
    EXPECT_EQ(cassandraBalancedTokens(2), (std::vector<int64_t> { INT64_MIN, 0 }));
    EXPECT_EQ(cassandraBalancedTokens(3),
        (std::vector<int64_t> { INT64_MIN, -3074457345618258603LL, 3074457345618258602LL }));
    EXPECT_EQ(cassandraBalancedTokens(4),
        (std::vector<int64_t> { INT64_MIN, -4611686018427387904LL, 0, 4611686018427387904LL }));
    const auto tokens = cassandraBalancedTokens(65536);
    ASSERT_EQ(tokens.size(), 65536u);
    EXPECT_TRUE(std::is_sorted(tokens.begin(), tokens.end()));
    EXPECT_EQ(tokens.back(), INT64_MAX - (int64_t { 1 } << 48) + 1);
}

TEST(CassandraMurmur3, RefusesEmptyKey)
{
    const auto rule = mustBuild(rules::makeCassandraMurmur3Rule, "murmur3:nodes=3");
    ASSERT_NE(rule, nullptr);
    auto routed = rule->route(Key::string(""));
    ASSERT_FALSE(routed.ok());
    EXPECT_NE(routed.error().find("empty"), std::string::npos);
    EXPECT_EQ(build(rules::makeCassandraMurmur3Rule, "murmur3:nodes=0").rule, nullptr);
}

// ---- MongoDB hashed shard key ------------------------------------------------------------------------

TEST(MongoHashed, HasherTestVectors)
{
    // mongodb/mongo src/mongo/db/hasher_test.cpp (BSONElementHasher::hash64, seed 0): NumberInt and
    // NumberLong of the same value hash alike.
    const std::pair<int64_t, int64_t> numbers[] = { { 42, -944302157085130861LL }, { 0, 4854801880128277513LL },
        { 1, 5902408780260971510LL }, { -1, 1140205862565771219LL }, { INT32_MIN, 6165898260261354870LL },
        { INT32_MAX, 1143184177162245883LL } };
    for (const auto& [value, hash] : numbers) {
        EXPECT_EQ(*mongoHash64(Key::int32(static_cast<int32_t>(value))), hash) << value;
        EXPECT_EQ(*mongoHash64(Key::int64(value)), hash) << value;
    }
    EXPECT_EQ(*mongoHash64(Key::int64(INT64_MAX)), 921523596458303250LL);
    EXPECT_EQ(*mongoHash64(Key::int64(INT64_MIN)), 4532067210535695462LL);
    EXPECT_EQ(*mongoHash64(Key::uint64(42)), -944302157085130861LL);
    EXPECT_EQ(*mongoHash64(Key::string("abc")), 8478485326885698097LL);
    EXPECT_EQ(*mongoHash64(Key::string("")), 2049396243249673340LL);
    // BSONBinData({0, 1, 2, 3, 4, 6}, 6, BinDataGeneral).
    EXPECT_EQ(*mongoHash64(Key::rawBytes(bytesOf({ 0, 1, 2, 3, 4, 6 }))), 7252465090394235301LL);
}

TEST(MongoHashed, RefusesUnsignedAboveLongMax)
{
    auto hash = mongoHash64(Key::uint64(UINT64_MAX));
    ASSERT_FALSE(hash.ok());
    EXPECT_NE(hash.error().find("NumberLong"), std::string::npos);
}

TEST(MongoHashed, InitialSplitPoints)
{
    // mongodb/mongo src/mongo/db/s/config/initial_split_policy_test.cpp CalculateHashedSplitPointsTest.
    EXPECT_EQ(mongoHashedSplitPoints(4), (std::vector<int64_t> { -4611686018427387902LL, 0, 4611686018427387902LL }));
    EXPECT_EQ(mongoHashedSplitPoints(5),
        (std::vector<int64_t> {
            -5534023222112865483LL, -1844674407370955161LL, 1844674407370955161LL, 5534023222112865483LL }));
    EXPECT_TRUE(mongoHashedSplitPoints(1).empty());
    EXPECT_EQ(mongoHashedSplitPoints(2), (std::vector<int64_t> { 0 }));
    for (int n = 1; n <= 300; ++n) {
        const auto points = mongoHashedSplitPoints(n);
        ASSERT_EQ(points.size(), static_cast<size_t>(n - 1)) << n;
        ASSERT_TRUE(std::adjacent_find(points.begin(), points.end(), std::greater_equal<>()) == points.end()) << n;
    }
    EXPECT_EQ(mongoHashedSplitPoints(65536).size(), 65535u);
}

TEST(MongoHashed, RoutesIntoChunks)
{
    // Chunks of 4: [MinKey, -4611686018427387902), [.., 0), [0, 4611686018427387902), [.., MaxKey).
    const auto rule = mustBuild(rules::makeMongoHashedRule, "mongo-hashed:chunks=4");
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(shardNames(*rule), (std::vector<std::string> { "chunk-0", "chunk-1", "chunk-2", "chunk-3" }));
    EXPECT_EQ(routeName(*rule, Key::int64(42)), "chunk-1"); // -944302157085130861
    EXPECT_EQ(routeName(*rule, Key::int64(-1)), "chunk-2"); // 1140205862565771219
    EXPECT_EQ(routeName(*rule, Key::int64(1)), "chunk-3"); // 5902408780260971510
    EXPECT_EQ(routeName(*rule, Key::string("abc")), "chunk-3"); // 8478485326885698097
    auto routed = rule->route(Key::int64(1));
    ASSERT_TRUE(routed.ok());
    EXPECT_EQ(routed->hash, "5902408780260971510");

    Explanation steps;
    ASSERT_TRUE(rule->route(Key::int64(42), &steps).ok());
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[1], "MD5(seed 0, canonical type, value) first 8 bytes little-endian -> hash -944302157085130861");
    EXPECT_EQ(steps[2], "hash -944302157085130861 falls in chunk-1 = [-4611686018427387902, 0)");
    EXPECT_EQ(rule->spec(), "mongo-hashed:chunks=4");
}

TEST(MongoHashed, SingleChunkTakesEverything)
{
    const auto rule = mustBuild(rules::makeMongoHashedRule, "mongo-hashed:chunks=1");
    ASSERT_NE(rule, nullptr);
    Explanation steps;
    auto routed = rule->route(Key::int64(7), &steps);
    ASSERT_TRUE(routed.ok());
    EXPECT_EQ(routed->index, 0);
    EXPECT_NE(steps.back().find("[MinKey, MaxKey)"), std::string::npos);
}

// ---- Through the factory -----------------------------------------------------------------------------

TEST(SystemRules, FactoryBuildsEachRule)
{
    const std::pair<const char*, const char*> specs[] = {
        { "vitess-hash:shards=4", "-40" },
        { "vitess-xxhash:shards=4", "-40" },
        { "vitess-numeric:shards=4", "-40" },
        { "murmur3:nodes=3", "node1" },
        { "mongo-hashed:chunks=3", "chunk-0" },
    };
    for (const auto& [text, firstShard] : specs) {
        auto rule = makeRule(text);
        ASSERT_TRUE(rule.ok()) << text << ": " << rule.error();
        EXPECT_EQ((*rule)->spec(), text);
        EXPECT_EQ((*rule)->shardName(0), firstShard);
    }
    auto bad = makeRule("murmur3:nodes=3,vnodes=8");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find("vnodes"), std::string::npos);
}
