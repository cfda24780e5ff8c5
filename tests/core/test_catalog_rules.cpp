// Redis Cluster, Kafka, Elasticsearch, Citus and Guava, checked against the vectors those systems publish in
// their own sources and tests. Each vector names the file it comes from; values without a source are from an
// independent Python implementation of the published algorithm (non-ASCII keys, negative numbers, empty keys).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "rules/consistent/jump_hash.h"
#include "rules/systems/citus.h"
#include "rules/systems/elasticsearch.h"
#include "rules/systems/guava.h"
#include "rules/systems/kafka.h"
#include "rules/systems/redis_cluster.h"
#include "shardsim/rules/hashes.h"
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

std::string makeError(std::string_view spec)
{
    auto rule = makeRule(spec);
    return rule.ok() ? "built" : rule.error();
}

RouteResult mustRoute(const ShardRule& rule, const Key& key, Explanation* steps = nullptr)
{
    auto routed = rule.route(key, steps);
    EXPECT_TRUE(routed.ok()) << key.display() << ": " << (routed.ok() ? "" : routed.error());
    return routed.ok() ? *routed : RouteResult {};
}

} // namespace

// ---- Redis Cluster -----------------------------------------------------------------------------------

TEST(RedisCluster, Crc16CheckValue)
{
    // redis/redis src/crc16.c: 'Output for "123456789" : 31C3' (CRC-16/XMODEM).
    EXPECT_EQ(redisCrc16("123456789"), 0x31C3);
    EXPECT_EQ(redisCrc16(""), 0);
}

TEST(RedisCluster, KeySlotsFromRedisSources)
{
    // redis/redis src/crc16_slottable.h: the shortest key that lands in each slot (read by the CLUSTER KEYSLOT
    // test); tests/unit/moduleapi/misc.tcl: keyslot of "foo" is 12182.
    const std::pair<const char*, int> vectors[] = { { "06S", 0 }, { "Qi", 1 }, { "5L5", 2 }, { "4Iu", 3 },
        { "wu", 16380 }, { "0TG", 16381 }, { "4oi", 16382 }, { "6ZJ", 16383 }, { "foo", 12182 } };
    for (const auto& [key, slot] : vectors)
        EXPECT_EQ(redisKeySlot(key), slot) << key;
}

TEST(RedisCluster, HashTagsAsTheSpecDefinesThem)
{
    // The cluster specification's examples: the first '{', the next '}', at least one byte between.
    EXPECT_EQ(redisHashTag("{user1000}.following"), "user1000");
    EXPECT_EQ(redisHashTag("foo{}{bar}"), "foo{}{bar}");
    EXPECT_EQ(redisHashTag("foo{{bar}}zap"), "{bar");
    EXPECT_EQ(redisHashTag("foo{bar}{zap}"), "bar");
    EXPECT_EQ(redisHashTag("a{b"), "a{b");
    // Client libraries' tests: AnyEvent-RipeRedis-Cluster t/03-functions.t, Net-Async-Redis t/hash_slot.t.
    const std::pair<const char*, int> vectors[] = { { "{foo}bar", 12182 }, { "foo{}{bar}", 8363 },
        { "full_key", 10135 }, { "partial.{user}", 5474 }, { "partial.{}{user}", 12062 },
        // Independent reference (Python binascii.crc_hqx).
        { "user1000", 3443 }, { "{user1000}.following", 3443 }, { "{user1000}.followers", 3443 },
        { "foo{{bar}}zap", 4015 }, { "foo{bar}{zap}", 5061 }, { "x{}y{z}", 15453 } };
    for (const auto& [key, slot] : vectors)
        EXPECT_EQ(redisKeySlot(key), slot) << key;
}

TEST(RedisCluster, RedisCliSlotAllocation)
{
    // `redis-cli --cluster create` with three masters prints Master[0] -> Slots 0 - 5460, 5461 - 10922,
    // 10923 - 16383 (the cluster tutorial); six masters split at 2730, 5460, 8191, 10922, 13652.
    const auto three = redisCliSlotRanges(3);
    ASSERT_EQ(three.size(), 3u);
    EXPECT_EQ(three[0].first, 0);
    EXPECT_EQ(three[0].last, 5460);
    EXPECT_EQ(three[1].first, 5461);
    EXPECT_EQ(three[1].last, 10922);
    EXPECT_EQ(three[2].first, 10923);
    EXPECT_EQ(three[2].last, 16383);
    std::vector<int> lastSlots;
    for (const auto& range : redisCliSlotRanges(6))
        lastSlots.push_back(range.last);
    EXPECT_EQ(lastSlots, (std::vector<int> { 2730, 5460, 8191, 10922, 13652, 16383 }));
    std::vector<int> seven;
    for (const auto& range : redisCliSlotRanges(7))
        seven.push_back(range.last);
    EXPECT_EQ(seven, (std::vector<int> { 2340, 4680, 7021, 9361, 11702, 14042, 16383 }));
    // Contiguous and covering for every master count, one slot each at 16384.
    for (int n : { 1, 2, 4, 5, 10, 100, 1000, 16383, 16384 }) {
        const auto ranges = redisCliSlotRanges(n);
        ASSERT_EQ(ranges.size(), static_cast<size_t>(n));
        EXPECT_EQ(ranges.front().first, 0);
        EXPECT_EQ(ranges.back().last, 16383);
        for (size_t i = 1; i < ranges.size(); ++i)
            ASSERT_EQ(ranges[i].first, ranges[i - 1].last + 1) << n << " at " << i;
    }
    EXPECT_EQ(redisCliSlotRanges(1000)[1].first, 16);
    EXPECT_EQ(redisCliSlotRanges(1000)[998].last, 16366);
}

TEST(RedisCluster, RuleRoutesSlotToMasterAndShowsTheSlot)
{
    const auto rule = mustMake("redis-cluster:nodes=3");
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(rule->spec(), "redis-cluster:nodes=3");
    EXPECT_EQ(rule->shardName(0), "master-0");
    // Strings, integers as their decimal text, non-ASCII UTF-8, negatives and the empty key (slot 0).
    const std::tuple<Key, int, int> vectors[] = {
        { Key::string("foo"), 12182, 2 },
        { Key::string("06S"), 0, 0 },
        { Key::string("6ZJ"), 16383, 2 },
        { Key::string("{user1000}.following"), 3443, 0 },
        { Key::string("ключ"), 10303, 1 },
        { Key::string("日本語"), 12788, 2 },
        { Key::int64(-1), 5832, 1 },
        { Key::int32(-1), 5832, 1 },
        { Key::int64(INT64_MIN), 3298, 0 },
        { Key::string(""), 0, 0 },
    };
    for (const auto& [key, slot, master] : vectors) {
        const RouteResult routed = mustRoute(*rule, key);
        EXPECT_EQ(routed.hash, std::to_string(slot)) << key.display();
        EXPECT_EQ(routed.index, master) << key.display();
    }
    EXPECT_EQ(rule->shardOfInteger(-1), 1);

    Explanation steps;
    mustRoute(*rule, Key::string("{user1000}.following"), &steps);
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[0], "key \"{user1000}.following\" has the hash tag {user1000}: CRC16 of its 8 bytes only");
    EXPECT_EQ(steps[1], "CRC16/XMODEM = 0x4D73; & 16383 -> slot 3443 (CLUSTER KEYSLOT)");
    EXPECT_EQ(steps[2], "slot 3443 is in Master[0] -> Slots 0 - 5460 (redis-cli --cluster create, 3 masters)");
}

TEST(RedisCluster, ParameterLimits)
{
    EXPECT_NE(makeError("redis-cluster:nodes=0").find("nodes"), std::string::npos);
    EXPECT_NE(makeError("redis-cluster:nodes=16385").find("nodes"), std::string::npos);
    EXPECT_NE(makeError("redis-cluster:nodes=3,slots=10").find("slots"), std::string::npos);
}

// ---- Kafka -------------------------------------------------------------------------------------------

TEST(Kafka, Murmur2MatchesUtilsTest)
{
    // apache/kafka clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java testMurmur2.
    const std::pair<std::string, int32_t> vectors[] = { { "21", -973932308 }, { "foobar", -790332482 },
        { "a-little-bit-long-string", -985981536 }, { "a-little-bit-longer-string", -1486304829 },
        { "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971 }, { "abc", 479470107 } };
    for (const auto& [input, hash] : vectors)
        EXPECT_EQ(kafkaMurmur2(input), hash) << input;
}

TEST(Kafka, PartitionsOfSerializedKeys)
{
    // Independent reference: the Java algorithm in Python over the serializers' bytes.
    const auto rule = mustMake("kafka:partitions=6");
    ASSERT_NE(rule, nullptr);
    const std::tuple<Key, int32_t, int> vectors[] = {
        { Key::string("ключ"), 2122343024, 2 },
        { Key::string("日本語"), 1431860170, 4 },
        { Key::string(""), 275646681, 3 }, // an empty key is not a null key: it is hashed
        { Key::int32(-1), 644171429, 5 },
        { Key::int64(-1), 185950397, 5 },
        { Key::int32(1), -173113808, 0 }, // toPositive, not abs: 1974369840 % 6
        { Key::int64(1), 2100486060, 0 },
        { Key::int64(INT64_MIN), 1290709624, 4 },
        { Key::int32(42), 1606757304, 0 },
        { Key::int64(42), 506863552, 4 },
        { Key::string("a"), -1563381124, 4 },
        { Key::string("ab"), 316155434, 2 },
        { Key::string("abcd"), -1323649548, 2 },
        { Key::string("21"), -973932308, (-973932308 & 0x7fffffff) % 6 },
    };
    for (const auto& [key, hash, partition] : vectors) {
        const RouteResult routed = mustRoute(*rule, key);
        EXPECT_EQ(routed.hash, std::to_string(hash)) << key.display();
        EXPECT_EQ(routed.index, partition) << key.display();
    }
    EXPECT_EQ(rule->shardOfInteger(42), 4);
    EXPECT_EQ(kafkaKeyBytes(Key::uint64(UINT64_MAX)), kafkaKeyBytes(Key::int64(-1)));

    Explanation steps;
    mustRoute(*rule, Key::int32(1), &steps);
    ASSERT_EQ(steps.size(), 4u); // the last says how records without a key are placed (test_kafka_sticky.cpp)
    EXPECT_EQ(steps[0], "key 1 through the IntegerSerializer (4 bytes big-endian): 00000001 (4 bytes)");
    EXPECT_EQ(steps[1], "Utils.murmur2 (seed 0x9747b28c) -> -173113808");
    EXPECT_EQ(steps[2], "toPositive: -173113808 & 0x7fffffff = 1974369840; % 6 partitions -> partition-0");
    EXPECT_EQ(rule->spec(), "kafka:partitions=6");
}

// ---- Elasticsearch -----------------------------------------------------------------------------------

TEST(Elasticsearch, Murmur3x86_32ReferenceValues)
{
    // The MurmurHash3_x86_32 test values of the reference implementation (SMHasher; the Wikipedia article's
    // table): the empty input with seeds 0 and 1, and the pangram.
    EXPECT_EQ(hashes::murmur3x86_32("", 0), 0u);
    EXPECT_EQ(hashes::murmur3x86_32("", 1), 0x514E28B7u);
    EXPECT_EQ(hashes::murmur3x86_32("The quick brown fox jumps over the lazy dog", 0), 0x2e4ff723u);
}

TEST(Elasticsearch, Murmur3OfUtf16MatchesEsTests)
{
    // elastic/elasticsearch server/src/test/java/org/elasticsearch/cluster/routing/operation/hash/murmur3/
    // Murmur3HashFunctionTests.java testKnownValues.
    const std::pair<const char*, uint32_t> vectors[]
        = { { "hell", 0x5a0cb7c3 }, { "hello", 0xd7c31989 }, { "hello w", 0x22ab2984 }, { "hello wo", 0xdf0ca123 },
              { "hello wor", 0xe7744d61 }, { "The quick brown fox jumps over the lazy dog", 0xe07db09c },
              { "The quick brown fox jumps over the lazy cog", 0x4e63d2ad } };
    for (const auto& [input, hash] : vectors)
        EXPECT_EQ(static_cast<uint32_t>(elasticsearchHash(input)), hash) << input;
    // Independent reference: Cyrillic, CJK and a character outside the BMP (a surrogate pair in Java).
    EXPECT_EQ(elasticsearchHash("ключ"), -497090284);
    EXPECT_EQ(elasticsearchHash("日本語"), 1004281861);
    EXPECT_EQ(elasticsearchHash("\xF0\x9F\x98\x80"), 1443257913);
}

TEST(Elasticsearch, DefaultRoutingShards)
{
    // MetadataCreateIndexServiceTests.testCalculateNumRoutingShards.
    const std::pair<int, int> vectors[]
        = { { 1, 1024 }, { 2, 1024 }, { 3, 768 }, { 9, 576 }, { 512, 1024 }, { 1024, 2048 }, { 2048, 4096 } };
    for (const auto& [shards, routing] : vectors)
        EXPECT_EQ(elasticsearchDefaultRoutingShards(shards), routing) << shards;
    EXPECT_EQ(elasticsearchDefaultRoutingShards(5), 640);
}

TEST(Elasticsearch, IndexRoutingTestsVectors)
{
    // IndexRoutingTests.testBWC: 8 shards built with routing shards = shards (the test's IndexMetadata).
    const std::pair<const char*, int> bwc[] = { { "sEERfFzPSI", 1 }, { "cNRiIrjzYd", 7 }, { "BgfLBXUyWT", 5 },
        { "cnepjZhQnb", 3 }, { "OKCmuYkeCK", 6 }, { "OutXGRQUja", 5 }, { "yCdyocKWou", 1 }, { "KXuNWWNgVj", 2 },
        { "DGJOYrpESx", 4 }, { "upLDybdTGs", 5 }, { "yhZhzCPQby", 1 }, { "EyCVeiCouA", 1 }, { "tFyVdQauWR", 6 },
        { "nyeRYDnDQr", 6 }, { "hswhrppvDH", 0 }, { "BSiWvDOsNE", 5 }, { "YHicpFBSaY", 1 }, { "EquPtdKaBZ", 4 },
        { "rSjLZHCDfT", 5 }, { "qoZALVcite", 7 }, { "yDCCPVBiCm", 7 }, { "ngizYtQgGK", 5 }, { "FYQRIBcNqz", 0 },
        { "EBzEDAPODe", 2 }, { "YePigbXgKb", 1 }, { "PeGJjomyik", 3 } };
    const auto rule = mustMake("elasticsearch:shards=8,routing_shards=8");
    ASSERT_NE(rule, nullptr);
    for (const auto& [term, shard] : bwc)
        EXPECT_EQ(mustRoute(*rule, Key::string(term)).index, shard) << term;

    // testPartitionedIndexShrunk (routing shards 8, 4 shards, partition size 3) and testPartitionedIndexBWC
    // (6 shards, partition size 2): routing value, _id, shard.
    const ElasticsearchRouting shrunk { 4, 8, false, 3 };
    const std::tuple<const char*, const char*, int> shrunkVectors[]
        = { { "a", "a_0", 1 }, { "a", "a_1", 2 }, { "a", "a_4", 1 }, { "b", "b_0", 0 }, { "b", "b_4", 3 },
              { "c", "c_2", 0 }, { "c", "c_5", 1 }, { "d", "d_0", 2 }, { "d", "d_5", 3 } };
    for (const auto& [routing, id, shard] : shrunkVectors)
        EXPECT_EQ(elasticsearchShard(shrunk, id, routing), shard) << routing << "/" << id;
    const ElasticsearchRouting partitioned { 6, 6, false, 2 };
    const std::tuple<const char*, const char*, int> bwcVectors[]
        = { { "a", "a_0", 3 }, { "a", "a_1", 2 }, { "b", "b_0", 5 }, { "b", "b_1", 0 }, { "c", "c_0", 4 },
              { "c", "c_2", 3 }, { "d", "d_0", 3 }, { "d", "d_1", 4 } };
    for (const auto& [routing, id, shard] : bwcVectors)
        EXPECT_EQ(elasticsearchShard(partitioned, id, routing), shard) << routing << "/" << id;
}

TEST(Elasticsearch, VersionsAndExplanation)
{
    // 5 shards: routing shards 640, factor 128 (7.x); 9.4 takes floorMod(hash, 5).
    const auto seven = mustMake("elasticsearch:shards=5");
    const auto mod = mustMake("elasticsearch:shards=5,version=9.4");
    ASSERT_NE(seven, nullptr);
    ASSERT_NE(mod, nullptr);
    const std::tuple<Key, int32_t, int, int> vectors[] = {
        { Key::string("ключ"), -497090284, 2, 1 },
        { Key::string("\xF0\x9F\x98\x80"), 1443257913, 2, 3 },
        { Key::int64(-1), -546422406, 4, 4 }, // the _id "-1"
        { Key::int64(42), 767888706, 0, 1 },
    };
    for (const auto& [key, hash, shard7, shard94] : vectors) {
        const RouteResult routed = mustRoute(*seven, key);
        EXPECT_EQ(routed.hash, std::to_string(hash)) << key.display();
        EXPECT_EQ(routed.index, shard7) << key.display();
        EXPECT_EQ(mustRoute(*mod, key).index, shard94) << key.display();
    }
    EXPECT_EQ(seven->shardOfInteger(-1), 4);
    EXPECT_EQ(seven->spec(), "elasticsearch:shards=5");
    EXPECT_EQ(mod->spec(), "elasticsearch:shards=5,version=9.4");

    Explanation steps;
    mustRoute(*seven, Key::int64(42), &steps);
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[0], "routing \"42\" as UTF-16LE: 34003200 (4 bytes)");
    EXPECT_EQ(steps[1], "Murmur3HashFunction (murmur3 x86_32, seed 0) -> 767888706");
    EXPECT_EQ(steps[2], "floorMod(767888706, 640 routing shards) = 66; / routing factor 128 -> shard-0");
}

TEST(Elasticsearch, RefusesWhatElasticsearchRefuses)
{
    const auto rule = mustMake("elasticsearch:shards=3");
    ASSERT_NE(rule, nullptr);
    auto empty = rule->route(Key::string(""));
    ASSERT_FALSE(empty.ok());
    EXPECT_NE(empty.error().find("must not be empty"), std::string::npos) << empty.error();
    EXPECT_FALSE(rule->route(Key::rawBytes("\x01")).ok());
    EXPECT_NE(makeError("elasticsearch:shards=3,routing_shards=8").find("multiple"), std::string::npos);
    EXPECT_NE(makeError("elasticsearch:shards=4,routing_shards=8,partition_size=8").find("partition_size"),
        std::string::npos);
    EXPECT_NE(makeError("elasticsearch:shards=4,version=9.4,routing_shards=8").find("version 7"), std::string::npos);
    EXPECT_NE(makeError("elasticsearch:shards=4,version=8").find("version"), std::string::npos);
}

// ---- Citus / PostgreSQL ------------------------------------------------------------------------------

TEST(Citus, PostgresHashesMatchRegressionOutputs)
{
    // citusdata/citus src/test/regress/expected/multi_utilities.out: worker_hash(123) and worker_hash of the
    // date 1997-08-08 (day -876 since 2000-01-01, hashed as an int4); merge.out: worker_hash(3).
    EXPECT_EQ(postgresHashInt4(123), -205084363);
    EXPECT_EQ(postgresHashInt4(3), -28094569);
    EXPECT_EQ(postgresHashInt4(-876), -499701663);
    // distributed_planning.out: hashint8 of 2608474032 is INT32_MAX, of 963809240 INT32_MIN; of 1..6 these.
    EXPECT_EQ(postgresHashInt8(2608474032LL), 2147483647);
    EXPECT_EQ(postgresHashInt8(963809240LL), -2147483648);
    std::vector<int32_t> small;
    for (int64_t x = 1; x <= 6; ++x)
        small.push_back(postgresHashInt8(x));
    std::sort(small.begin(), small.end());
    EXPECT_EQ(
        small, (std::vector<int32_t> { -1905060026, -1330264708, -1011077333, -28094569, 566031088, 1134484726 }));
    // local_dist_join.out: the four lowest hashtext of '0'..'100'.
    std::vector<int32_t> texts;
    for (int i = 0; i <= 100; ++i)
        texts.push_back(postgresHashText(std::to_string(i)));
    std::sort(texts.begin(), texts.end());
    EXPECT_EQ(std::vector<int32_t>(texts.begin(), texts.begin() + 4),
        (std::vector<int32_t> { -2114455578, -2097988278, -1997006946, -1985772843 }));
    // hashtext('resource1') = 991601810 (Rogov, PostgreSQL 14 Internals, advisory locks); a 23-byte key
    // (one 12-byte block and an 11-byte tail) read back from PostgreSQL 17.
    EXPECT_EQ(postgresHashText("resource1"), 991601810);
    EXPECT_EQ(postgresHashText("gamekit.auth.migrations"), -298890956);
}

TEST(Citus, ShardRangesAsCitusCreatesThem)
{
    // coordinator_shouldhaveshards.out: the six hash ranges of a repartition.
    std::vector<int32_t> mins;
    std::vector<int32_t> maxs;
    for (const auto& range : citusShardRanges(6)) {
        mins.push_back(range.min);
        maxs.push_back(range.max);
    }
    EXPECT_EQ(mins, (std::vector<int32_t> { -2147483648, -1431655766, -715827884, -2, 715827880, 1431655762 }));
    EXPECT_EQ(maxs, (std::vector<int32_t> { -1431655767, -715827885, -3, 715827879, 1431655761, 2147483647 }));
    // merge.out: worker_hash(3) = -28094569 "comes in range of second shard" of 4.
    EXPECT_EQ(citusShardIndex(-28094569, 4), 1);
    // The index agrees with the ranges, the last range taking the remainder.
    for (int shards : { 1, 3, 6, 7, 32, 1000, 64000 }) {
        const auto ranges = citusShardRanges(shards);
        for (int i = 0; i < shards; i += std::max(1, shards / 50)) {
            ASSERT_EQ(citusShardIndex(ranges[static_cast<size_t>(i)].min, shards), i) << shards;
            ASSERT_EQ(citusShardIndex(ranges[static_cast<size_t>(i)].max, shards), i) << shards;
        }
        EXPECT_EQ(citusShardIndex(INT32_MAX, shards), shards - 1);
    }
}

TEST(Citus, RuleHashesByColumnTypeAndPlacesOnWorkers)
{
    const auto rule = mustMake("citus:shards=4,workers=2");
    ASSERT_NE(rule, nullptr);
    // Without type=, the key's type decides: int32 -> int4, int64 -> int8, string -> text.
    const std::tuple<Key, int32_t, int> vectors[] = {
        { Key::int32(123), -205084363, 1 }, { Key::int32(-876), -499701663, 1 }, { Key::int64(3), -28094569, 1 },
        { Key::int64(2608474032LL), 2147483647, 3 }, { Key::int64(963809240LL), -2147483648, 0 },
        { Key::string("resource1"), 991601810, 2 },
        { Key::string(""), -1477818771, 0 }, // '' is a value PostgreSQL hashes; NULL is what it refuses
    };
    for (const auto& [key, hash, shard] : vectors) {
        const RouteResult routed = mustRoute(*rule, key);
        EXPECT_EQ(routed.hash, std::to_string(hash)) << key.display();
        EXPECT_EQ(routed.index, shard) << key.display();
    }
    EXPECT_EQ(rule->databaseCount(), 2);
    EXPECT_EQ(rule->databaseOf(3), 1);
    EXPECT_EQ(rule->shardOfInteger(3), 1);

    Explanation steps;
    mustRoute(*rule, Key::int32(123), &steps);
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[0], "hashint4(123): hash_uint32 of the value -> -205084363");
    EXPECT_EQ(steps[1], "worker_hash -205084363 is in shard-1 = [-1073741824, -1] of 4 equal ranges from INT32_MIN");
    EXPECT_EQ(steps[2], "shard-1 is placed on worker 1 (1 % 2 workers, round-robin)");

    // An explicit column type: an int8 in int4 range hashes as the int4 (hashint8's design), text hashes digits.
    const auto text = mustMake("citus:shards=4,type=text");
    ASSERT_NE(text, nullptr);
    EXPECT_EQ(mustRoute(*text, Key::int64(7)).hash, std::to_string(postgresHashText("7")));
    const auto int8 = mustMake("citus:shards=4,type=int8");
    ASSERT_NE(int8, nullptr);
    EXPECT_EQ(mustRoute(*int8, Key::int32(123)).hash, "-205084363");
    EXPECT_EQ(mustRoute(*int8, Key::int64(-1)).hash, std::to_string(postgresHashInt4(-1)));
}

TEST(Citus, RefusesValuesTheColumnCannotHold)
{
    const auto int4 = mustMake("citus:shards=4,type=int4");
    ASSERT_NE(int4, nullptr);
    auto tooBig = int4->route(Key::int64(int64_t { 1 } << 40));
    ASSERT_FALSE(tooBig.ok());
    EXPECT_NE(tooBig.error().find("out of range for type integer"), std::string::npos) << tooBig.error();
    auto text = int4->route(Key::string("abc"));
    ASSERT_FALSE(text.ok());
    EXPECT_NE(text.error().find("type=text"), std::string::npos) << text.error();
    const auto int8 = mustMake("citus:shards=4");
    ASSERT_NE(int8, nullptr);
    EXPECT_FALSE(int8->route(Key::uint64(UINT64_MAX)).ok());
    EXPECT_NE(makeError("citus:shards=64001").find("shards"), std::string::npos);
    EXPECT_NE(makeError("citus:shards=4,type=uuid").find("type"), std::string::npos);
}

// ---- Guava -------------------------------------------------------------------------------------------

TEST(Guava, ConsistentHashGoldenValues)
{
    // google/guava guava-tests/test/com/google/common/hash/HashingTest.java
    // testConsistentHash_linearCongruentialGeneratorCompatibility.
    const int golden100[] = { 0, 55, 62, 8, 45, 59, 86, 97, 82, 59, 73, 37, 17, 56, 86, 21, 90, 37, 38, 83 };
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(guavaConsistentHash(i, 100), golden100[i]) << i;
    EXPECT_EQ(guavaConsistentHash(10863919174838991LL, 11), 6);
    EXPECT_EQ(guavaConsistentHash(2016238256797177309LL, 11), 3);
    EXPECT_EQ(guavaConsistentHash(1673758223894951030LL, 11), 5);
    EXPECT_EQ(guavaConsistentHash(2, 100001), 80343);
    EXPECT_EQ(guavaConsistentHash(2201, 100001), 22152);
    EXPECT_EQ(guavaConsistentHash(2202, 100001), 15018);
}

TEST(Guava, DiffersFromJumpOnOverflowAndRounding)
{
    // A key whose first LCG state has state >>> 33 == 2^31 - 1: Guava's (int) + 1 wraps to -2^31, the candidate
    // turns negative and the walk stops in bucket 0; the paper's C++ divides by 2^31 and jumps on.
    constexpr int64_t kOverflowKey = -8755934857229298773LL;
    EXPECT_EQ(guavaConsistentHash(kOverflowKey, 2), 0);
    EXPECT_EQ(guavaConsistentHash(kOverflowKey, 1000), 0);
    EXPECT_EQ(rules::jumpConsistentHash(static_cast<uint64_t>(kOverflowKey), 2), 1);
    EXPECT_EQ(rules::jumpConsistentHash(static_cast<uint64_t>(kOverflowKey), 1000), 384);
    // One rounding against two (docs/rules.md): the exact next bucket from 48 is 64; the paper's product lands
    // just below it and stops at 63, Guava's quotient is exactly 64.
    EXPECT_EQ(guavaConsistentHash(1673232497983283878LL, 100), 64);
    EXPECT_EQ(rules::jumpConsistentHash(1673232497983283878ULL, 100), 63);
    // Elsewhere they agree: the golden keys give the same buckets.
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(rules::jumpConsistentHash(static_cast<uint64_t>(i), 100), guavaConsistentHash(i, 100)) << i;
}

TEST(Guava, AgreesWithJumpOnOrdinaryKeys)
{
    // The overflow needs one LCG state in 2^31 and the rounding difference is rarer still: 200,000 keys from a
    // fixed-seed generator, over bucket counts 1..1000, all agree (the claim docs/rules-real-systems.md makes).
    uint64_t state = 88172645463325252ULL; // xorshift64
    int differing = 0;
    for (int i = 0; i < 200'000; ++i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        const int32_t buckets = static_cast<int32_t>(state % 1000) + 1;
        differing
            += rules::jumpConsistentHash(state, buckets) != guavaConsistentHash(static_cast<int64_t>(state), buckets);
    }
    EXPECT_EQ(differing, 0);
}

TEST(Guava, RuleTakesLongsAndMurmur3OfStrings)
{
    const auto rule = mustMake("guava:buckets=100");
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(rule->spec(), "guava:buckets=100");
    EXPECT_EQ(mustRoute(*rule, Key::int64(7)).index, 97);
    EXPECT_EQ(mustRoute(*rule, Key::int32(19)).index, 83);
    EXPECT_EQ(mustRoute(*rule, Key::int64(-1)).index, guavaConsistentHash(-1, 100));
    EXPECT_EQ(mustRoute(*rule, Key::int64(-1)).hash, "-1");
    // Strings: consistentHash(murmur3_128().hashString(s, UTF_8), n), whose padToLong() is the first 8 bytes.
    const auto jump = mustMake("jump:buckets=100");
    ASSERT_NE(jump, nullptr);
    for (const char* text : { "ключ", "", "日本語", "user:42" })
        EXPECT_EQ(mustRoute(*rule, Key::string(text)).index, mustRoute(*jump, Key::string(text)).index) << text;
    Explanation steps;
    mustRoute(*rule, Key::int64(1), &steps);
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[0], "Hashing.consistentHash(1L, 100)");
    EXPECT_EQ(steps.back().rfind("the next candidate ", 0), 0u);
    EXPECT_NE(steps.back().find("bucket 55: shard-55"), std::string::npos) << steps.back();
}

// ---- Through the factory -----------------------------------------------------------------------------

TEST(CatalogRules, FactoryListsAndBuildsEachRule)
{
    for (const char* name : { "redis-cluster", "kafka", "elasticsearch", "citus", "guava" }) {
        const auto& catalog = ruleCatalog();
        EXPECT_TRUE(std::any_of(catalog.begin(), catalog.end(), [&](const RuleInfo& info) {
            return info.name == name;
        })) << name;
    }
    const std::pair<const char*, const char*> specs[] = {
        { "redis-cluster:nodes=4", "master-0" },
        { "kafka:partitions=12", "partition-0" },
        { "elasticsearch:shards=3,routing_shards=24,partition_size=2", "shard-0" },
        { "citus:shards=32,type=int8,workers=4", "shard-0" },
        { "guava:buckets=8", "shard-0" },
    };
    for (const auto& [text, firstShard] : specs) {
        auto rule = makeRule(text);
        ASSERT_TRUE(rule.ok()) << text << ": " << rule.error();
        EXPECT_EQ((*rule)->spec(), text);
        EXPECT_EQ((*rule)->shardName(0), firstShard);
    }
}
