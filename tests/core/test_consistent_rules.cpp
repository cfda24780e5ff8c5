// The minimal-movement rules: published vectors where they exist (jump), and otherwise the properties
// that define each scheme, checked over fixed-seed key sets: what moves when a shard is added or removed,
// how evenly the shards share the keys, and the load bound.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "rules/consistent/hash_ring.h"
#include "rules/consistent/jump_hash.h"
#include "rules/consistent/maglev_table.h"
#include "shardsim/rules/hashes.h"
#include "shardsim/rules/rule_factory.h"

using namespace shardsim;
using namespace shardsim::rules;

namespace {

ShardRulePtr rule(const std::string& spec)
{
    auto made = makeRule(spec);
    EXPECT_TRUE(made) << spec << ": " << made.error();
    return made ? *made : nullptr;
}

std::string specError(const std::string& spec)
{
    auto made = makeRule(spec);
    EXPECT_FALSE(made) << spec << " was accepted";
    return made ? std::string() : made.error();
}

int shardOf(const ShardRule& shardRule, const Key& key)
{
    auto result = shardRule.route(key);
    EXPECT_TRUE(result) << key.display() << ": " << result.error();
    return result ? result->index : -1;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// Random 64-bit keys from a fixed seed, so every run checks the same set.
std::vector<Key> randomKeys(size_t count, uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::vector<Key> keys;
    keys.reserve(count);
    for (size_t i = 0; i < count; ++i)
        keys.push_back(Key::uint64(random()));
    return keys;
}

struct Movement {
    int64_t moved = 0;
    int64_t movedElsewhere = 0; // moved, but not onto the shard `target`
    int64_t movedFromElsewhere = 0; // moved, but did not come from the shard `target`
};

// Which keys change shard between two rules; `target` is the shard that was added or removed.
Movement movement(const ShardRule& before, const ShardRule& after, const std::vector<Key>& keys, int target)
{
    Movement m;
    for (const Key& key : keys) {
        const int a = shardOf(before, key);
        const int b = shardOf(after, key);
        if (a == b)
            continue;
        ++m.moved;
        m.movedElsewhere += b != target;
        m.movedFromElsewhere += a != target;
    }
    return m;
}

// |observed - expected| within `sigmas` binomial standard deviations of `trials` draws with chance p.
void expectBinomial(int64_t observed, int64_t trials, double p, double sigmas, const std::string& what)
{
    const double expected = p * static_cast<double>(trials);
    const double sd = std::sqrt(static_cast<double>(trials) * p * (1 - p));
    EXPECT_LE(std::abs(static_cast<double>(observed) - expected), sigmas * sd)
        << what << ": observed " << observed << ", expected " << expected << " +- " << sigmas * sd;
}

// Standard deviation over mean.
double spread(const std::vector<double>& shares)
{
    const double mean = std::accumulate(shares.begin(), shares.end(), 0.0) / static_cast<double>(shares.size());
    double variance = 0;
    for (double share : shares)
        variance += (share - mean) * (share - mean);
    variance /= static_cast<double>(shares.size());
    return std::sqrt(variance) / mean;
}

// Guava's Hashing.consistentHash(long, int), transcribed from its Java arithmetic: one rounding in
// (candidate + 1) / ((x + 1) / 2^31) where the paper rounds 2^31 / (x + 1) and then multiplies.
int guavaConsistentHash(int64_t input, int buckets)
{
    uint64_t state = static_cast<uint64_t>(input);
    int candidate = 0;
    while (true) {
        state = 2862933555777941757ULL * state + 1;
        const double nextDouble = static_cast<double>(static_cast<int32_t>(state >> 33) + 1) / 2147483648.0;
        const double target = (candidate + 1) / nextDouble;
        // Java's (int) saturates; C++ would be undefined above INT_MAX.
        const int next = target >= 2147483647.0 ? 2147483647 : static_cast<int>(target);
        if (next < 0 || next >= buckets)
            return candidate;
        candidate = next;
    }
}

} // namespace

// ---- jump ------------------------------------------------------------------------------------------

TEST(JumpHash, MatchesGuavaGoldenValues)
{
    // guava-tests/test/com/google/common/hash/HashingTest.java,
    // testConsistentHash_linearCongruentialGeneratorCompatibility ("golden values to see that
    // implementations across languages are equivalent").
    const int golden100[] = { 0, 55, 62, 8, 45, 59, 86, 97, 82, 59, 73, 37, 17, 56, 86, 21, 90, 37, 38, 83 };
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(jumpConsistentHash(static_cast<uint64_t>(i), 100), golden100[i]) << i;
    EXPECT_EQ(jumpConsistentHash(10863919174838991ULL, 11), 6);
    EXPECT_EQ(jumpConsistentHash(2016238256797177309ULL, 11), 3);
    EXPECT_EQ(jumpConsistentHash(1673758223894951030ULL, 11), 5);
    EXPECT_EQ(jumpConsistentHash(2, 100001), 80343);
    EXPECT_EQ(jumpConsistentHash(2201, 100001), 22152);
    EXPECT_EQ(jumpConsistentHash(2202, 100001), 15018);
}

TEST(JumpHash, FollowsThePaperWhereGuavaRoundsDifferently)
{
    // From bucket 48 this key's LCG draws x = 1644167167, and 49 * 2^31 / (x + 1) is exactly 64. The paper
    // computes 49 * fl(2^31 / (x + 1)) = 63.99999999999999 -> 63; Guava divides once and gets 64 (checked by
    // running Guava's arithmetic on OpenJDK 17). The rule follows the paper.
    const uint64_t key = 1673232497983283878ULL;
    EXPECT_EQ(jumpConsistentHash(key, 100), 63);
    EXPECT_EQ(guavaConsistentHash(static_cast<int64_t>(key), 100), 64);
    // Otherwise they agree.
    std::mt19937_64 random(2014);
    for (int i = 0; i < 200'000; ++i) {
        const uint64_t k = random();
        const int buckets = static_cast<int>(random() % 100'000) + 1;
        ASSERT_EQ(jumpConsistentHash(k, buckets), guavaConsistentHash(static_cast<int64_t>(k), buckets)) << k;
    }
}

TEST(JumpRule, IntegerKeysAreTheirTwosComplementStringsAreHashed)
{
    auto r = rule("jump:buckets=100");
    EXPECT_EQ(shardOf(*r, Key::int64(1)), 55);
    EXPECT_EQ(shardOf(*r, Key::int32(1)), 55);
    EXPECT_EQ(shardOf(*r, Key::int64(-1)), jumpConsistentHash(~0ULL, 100));
    EXPECT_EQ(shardOf(*r, Key::int32(-1)), shardOf(*r, Key::uint64(~0ULL)));
    const Key alice = Key::string("alice");
    const uint64_t hash = hashes::hashKey(hashes::HashFunction::Murmur3, alice);
    auto routed = r->route(alice);
    ASSERT_TRUE(routed);
    EXPECT_EQ(routed->index, jumpConsistentHash(hash, 100));
    EXPECT_EQ(routed->hash, std::to_string(hash));

    Explanation steps;
    ASSERT_TRUE(r->route(Key::int64(1), &steps));
    std::string text;
    for (const auto& step : steps)
        text += step + "\n";
    EXPECT_TRUE(contains(text, "bucket 0 -> ")) << text;
    EXPECT_TRUE(contains(text, "stays in bucket 55")) << text;
    EXPECT_TRUE(contains(specError("jump:buckets=0"), "between 1 and"));
}

TEST(JumpRule, GrowingMovesExactlyTheKeysOfTheNewBucket)
{
    const auto keys = randomKeys(100'000, 1);
    for (int n : { 1, 2, 9, 10, 99, 1000 }) {
        auto before = rule("jump:buckets=" + std::to_string(n));
        auto after = rule("jump:buckets=" + std::to_string(n + 1));
        int64_t moved = 0;
        int64_t inNew = 0;
        for (const Key& key : keys) {
            const int was = shardOf(*before, key);
            const int is = shardOf(*after, key);
            inNew += is == n;
            moved += is != was;
            // A key moves only into the new bucket, and every key in it moved (it did not exist before).
            ASSERT_TRUE(is == was || is == n) << key.display() << " n=" << n;
        }
        EXPECT_EQ(moved, inNew) << "n=" << n;
        expectBinomial(moved, static_cast<int64_t>(keys.size()), 1.0 / (n + 1), 5, "jump n=" + std::to_string(n));
    }
}

// ---- ring ------------------------------------------------------------------------------------------

TEST(HashRing, ShareSpreadShrinksLikeOneOverSqrtV)
{
    // A member's share is the length of the arcs ending at its points, computed exactly. With V points
    // per member its share is a sum of V spacings, so std/mean ~ sqrt((N-1)/(N*V)) ~ 1/sqrt(V).
    const int members = 50;
    for (int v : { 10, 100, 1000 }) {
        HashRing ring(members, v, hashes::HashFunction::Murmur3);
        const auto& points = ring.points();
        std::vector<double> share(members, 0.0);
        for (size_t i = 0; i < points.size(); ++i) {
            const uint64_t previous = points[(i + points.size() - 1) % points.size()].position;
            share[static_cast<size_t>(points[i].member)] += static_cast<double>(points[i].position - previous);
        }
        const double expected = std::sqrt((members - 1.0) / (members * v));
        const double observed = spread(share);
        // The spread is itself estimated from 50 members (about 10% error); allow 4 times that.
        EXPECT_GT(observed, 0.6 * expected) << "V=" << v;
        EXPECT_LT(observed, 1.4 * expected) << "V=" << v;
    }
}

TEST(RingRule, RoutesToTheFirstPointClockwise)
{
    auto r = rule("ring:nodes=5,vnodes=20");
    EXPECT_EQ(r->spec(), "ring:nodes=5,vnodes=20,hash=murmur3");
    HashRing ring(5, 20, hashes::HashFunction::Murmur3);
    for (const Key& key : randomKeys(2000, 2)) {
        const uint64_t hash = hashes::hashKey(hashes::HashFunction::Murmur3, key);
        const auto above = std::find_if(ring.points().begin(), ring.points().end(),
            [&](const HashRing::Point& point) { return point.position >= hash; });
        const int expected = above == ring.points().end() ? ring.points().front().member : above->member;
        EXPECT_EQ(shardOf(*r, key), expected);
    }
    EXPECT_TRUE(contains(specError("ring:vnodes=10"), "needs parameter 'nodes'"));
    EXPECT_TRUE(contains(specError("ring:nodes=200000,vnodes=100"), "between 1 and"));
    EXPECT_TRUE(contains(specError("ring:nodes=50000,vnodes=1000"), "at most"));
}

TEST(RingRule, AddingAShardMovesKeysOnlyToIt)
{
    const auto keys = randomKeys(100'000, 3);
    auto before = rule("ring:nodes=10,vnodes=100");
    auto after = rule("ring:nodes=11,vnodes=100");
    const Movement m = movement(*before, *after, keys, 10);
    EXPECT_EQ(m.movedElsewhere, 0);
    // The new shard's share has spread about 1/sqrt(100) = 10%; allow 35%.
    const double share = static_cast<double>(m.moved) / static_cast<double>(keys.size());
    EXPECT_NEAR(share, 1.0 / 11, 0.35 / 11);
}

// ---- rendezvous ------------------------------------------------------------------------------------

TEST(RendezvousRule, AddingOrRemovingAShardMovesOnlyItsKeys)
{
    const auto keys = randomKeys(50'000, 4);
    auto eight = rule("rendezvous:nodes=8");
    auto nine = rule("rendezvous:nodes=9");
    const Movement grow = movement(*eight, *nine, keys, 8);
    EXPECT_EQ(grow.movedElsewhere, 0);
    expectBinomial(grow.moved, static_cast<int64_t>(keys.size()), 1.0 / 9, 5, "rendezvous 8 -> 9");
    // Removing shard 7 (the last): only its keys move, and they spread over the other seven.
    auto seven = rule("rendezvous:nodes=7");
    const Movement shrink = movement(*eight, *seven, keys, 7);
    EXPECT_EQ(shrink.movedFromElsewhere, 0);
    expectBinomial(shrink.moved, static_cast<int64_t>(keys.size()), 1.0 / 8, 5, "rendezvous 8 -> 7");
    std::vector<int64_t> receivers(7, 0);
    for (const Key& key : keys) {
        if (shardOf(*eight, key) == 7)
            ++receivers[static_cast<size_t>(shardOf(*seven, key))];
    }
    for (int64_t received : receivers)
        EXPECT_GT(received, 0);
}

// ---- maglev ----------------------------------------------------------------------------------------

TEST(MaglevTable, EveryShardGetsTheSameNumberOfEntriesWithinOne)
{
    for (int nodes : { 1, 3, 10, 97 }) {
        const auto table = populateMaglevTable(nodes, 65537);
        std::vector<int> count(static_cast<size_t>(nodes), 0);
        for (int32_t shard : table) {
            ASSERT_GE(shard, 0);
            ASSERT_LT(shard, nodes);
            ++count[static_cast<size_t>(shard)];
        }
        EXPECT_EQ(*std::min_element(count.begin(), count.end()), 65537 / nodes) << nodes;
        EXPECT_EQ(*std::max_element(count.begin(), count.end()), (65537 + nodes - 1) / nodes) << nodes;
    }
}

TEST(MaglevRule, ChangingTheShardsDisruptsFewOtherKeys)
{
    // Maglev trades a little disruption for perfect balance: besides the keys of the added or removed
    // shard, a few move between survivors (0.26% and 0.25% of the keys here).
    const auto keys = randomKeys(100'000, 5);
    auto ten = rule("maglev:nodes=10");
    auto eleven = rule("maglev:nodes=11,table=65537");
    const Movement grow = movement(*ten, *eleven, keys, 10);
    expectBinomial(grow.moved - grow.movedElsewhere, static_cast<int64_t>(keys.size()), 1.0 / 11, 5, "maglev 10 -> 11");
    EXPECT_LT(static_cast<double>(grow.movedElsewhere) / static_cast<double>(keys.size()), 0.01);
    auto nine = rule("maglev:nodes=9");
    const Movement shrink = movement(*ten, *nine, keys, 9);
    EXPECT_LT(static_cast<double>(shrink.movedFromElsewhere) / static_cast<double>(keys.size()), 0.01);
    expectBinomial(
        shrink.moved - shrink.movedFromElsewhere, static_cast<int64_t>(keys.size()), 1.0 / 10, 5, "maglev 10 -> 9");
}

TEST(MaglevRule, TableMustBePrimeAndLargeEnough)
{
    EXPECT_TRUE(contains(specError("maglev:nodes=10,table=65536"), "prime"));
    EXPECT_TRUE(contains(specError("maglev:nodes=10,table=7"), "at least one entry per shard"));
    EXPECT_TRUE(isPrime(65537));
    EXPECT_FALSE(isPrime(65535));
    EXPECT_FALSE(isPrime(1));
    EXPECT_EQ(rule("maglev:nodes=3,table=13")->spec(), "maglev:nodes=3,table=13");
}

// ---- bounded loads ---------------------------------------------------------------------------------

TEST(BoundedRule, NoShardExceedsItsCapacity)
{
    struct Case {
        int nodes;
        double c;
        int64_t keys;
        int vnodes;
    };
    for (const Case& c : { Case { 8, 1.25, 100'000, 100 }, Case { 10, 1.1, 50'000, 1 }, Case { 7, 1.0, 20'000, 10 },
             Case { 3, 2.0, 30'000, 5 } }) {
        const std::string spec = "bounded:nodes=" + std::to_string(c.nodes) + ",c=" + std::to_string(c.c)
            + ",keys=" + std::to_string(c.keys) + ",vnodes=" + std::to_string(c.vnodes);
        auto r = rule(spec);
        const auto capacity = static_cast<int64_t>(std::ceil(c.c * static_cast<double>(c.keys) / c.nodes - 1e-9));
        std::vector<int64_t> load(static_cast<size_t>(c.nodes), 0);
        for (int64_t k = 1; k <= c.keys; ++k)
            ++load[static_cast<size_t>(shardOf(*r, Key::int64(k)))];
        EXPECT_LE(*std::max_element(load.begin(), load.end()), capacity) << spec;
        EXPECT_EQ(std::accumulate(load.begin(), load.end(), int64_t(0)), c.keys) << spec;
    }
}

TEST(BoundedRule, TheBoundChangesWhereAPlainRingWouldOverload)
{
    // One point per shard: the plain ring is badly unbalanced, so the bound must redirect keys.
    auto bounded = rule("bounded:nodes=10,c=1.1,keys=50000,vnodes=1");
    auto plain = rule("ring:nodes=10,vnodes=1,hash=murmur3");
    std::vector<int64_t> plainLoad(10, 0);
    int64_t redirected = 0;
    for (int64_t k = 1; k <= 50'000; ++k) {
        const int ring = shardOf(*plain, Key::int64(k));
        ++plainLoad[static_cast<size_t>(ring)];
        redirected += shardOf(*bounded, Key::int64(k)) != ring;
    }
    EXPECT_GT(*std::max_element(plainLoad.begin(), plainLoad.end()), 5500);
    EXPECT_GT(redirected, 0);
}

TEST(BoundedRule, KeysOutsideTheKeySetTakeThePlainRing)
{
    auto bounded = rule("bounded:nodes=10,c=1.1,keys=1000,vnodes=1");
    auto plain = rule("ring:nodes=10,vnodes=1,hash=murmur3");
    for (int64_t k : { int64_t(0), int64_t(-5), int64_t(1001), int64_t(123'456'789) })
        EXPECT_EQ(shardOf(*bounded, Key::int64(k)), shardOf(*plain, Key::int64(k))) << k;
    EXPECT_EQ(shardOf(*bounded, Key::string("alice")), shardOf(*plain, Key::string("alice")));
    EXPECT_EQ(bounded->spec(), "bounded:nodes=10,c=1.1,keys=1000,vnodes=1");
    EXPECT_TRUE(contains(specError("bounded:nodes=10"), "needs parameter 'c'"));
    EXPECT_TRUE(contains(specError("bounded:nodes=10,c=0.9"), "between 1 and"));
}

// ---- every rule ------------------------------------------------------------------------------------

TEST(ConsistentRules, CanonicalSpecsRebuildTheSameRule)
{
    const auto keys = randomKeys(500, 6);
    for (const char* spec : { "ring:nodes=7,vnodes=50,hash=xxhash64", "jump:buckets=13", "rendezvous:nodes=6",
             "maglev:nodes=5,table=1009", "bounded:nodes=4,c=1.5,keys=2000,vnodes=8" }) {
        auto first = rule(spec);
        ASSERT_TRUE(first);
        EXPECT_EQ(first->spec(), spec);
        auto second = rule(first->spec());
        ASSERT_TRUE(second);
        for (const Key& key : keys)
            EXPECT_EQ(shardOf(*first, key), shardOf(*second, key)) << spec;
        Explanation steps;
        ASSERT_TRUE(first->route(Key::string("alice"), &steps));
        EXPECT_GE(steps.size(), 2u) << spec;
        EXPECT_EQ(first->shardName(2), "shard-2");
    }
}
