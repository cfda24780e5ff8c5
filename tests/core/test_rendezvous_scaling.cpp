// Rendezvous hashing at many shards: `rendezvous` computes its scores in two parts and must still give the scores of
// its definition bit for bit; `rendezvous-skeleton` routes down a tree and is checked against a transcription of
// its documented formula, for balance, and for what moves when a shard is added or removed, against the fraction
// the weighted-HRW argument of docs/rules.md predicts, computed here from the shard counts alone.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "shardsim/rules/hashes.h"
#include "shardsim/rules/rule_factory.h"

using namespace shardsim;

namespace {

ShardRulePtr rule(const std::string& spec)
{
    auto made = makeRule(spec);
    EXPECT_TRUE(made) << spec << ": " << made.error();
    return made ? *made : nullptr;
}

int shardOf(const ShardRule& shardRule, const Key& key)
{
    auto result = shardRule.route(key);
    EXPECT_TRUE(result) << key.display() << ": " << result.error();
    return result ? result->index : -1;
}

std::vector<Key> randomKeys(size_t count, uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::vector<Key> keys;
    keys.reserve(count);
    for (size_t i = 0; i < count; ++i)
        keys.push_back(Key::uint64(random()));
    return keys;
}

void expectBinomial(int64_t observed, int64_t trials, double p, double sigmas, const std::string& what)
{
    const double expected = p * static_cast<double>(trials);
    const double sd = std::sqrt(static_cast<double>(trials) * p * (1 - p));
    EXPECT_LE(std::abs(static_cast<double>(observed) - expected), sigmas * sd)
        << what << ": observed " << observed << ", expected " << expected << " +- " << sigmas * sd;
}

// rendezvous as docs/rules.md defines it: murmur3 of the key's bytes and the shard number, the highest wins.
int rendezvousByDefinition(const Key& key, int nodes, uint64_t* bestScore)
{
    const std::string bytes = hashes::keyBytes(key);
    int best = 0;
    for (int node = 0; node < nodes; ++node) {
        std::string data = bytes;
        for (int byte = 0; byte < 4; ++byte)
            data += static_cast<char>((static_cast<uint32_t>(node) >> (8 * byte)) & 0xff);
        const uint64_t score = hashes::murmur3x64_128(data).h1;
        if (node == 0 || score > *bestScore) {
            best = node;
            *bestScore = score;
        }
    }
    return best;
}

uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

// rendezvous-skeleton transcribed from docs/rules.md, the slow way: every child of a level gets its weighted score
// w / -ln(U), logarithms and all, and the highest wins.
int skeletonByDefinition(const Key& key, int64_t nodes, int64_t fanout)
{
    const uint64_t h = hashes::hashKey(hashes::HashFunction::Murmur3, key);
    int level = 0;
    int64_t size = 1;
    while (size < nodes) {
        size *= fanout;
        ++level;
    }
    int64_t block = 0;
    for (; level > 0; --level) {
        size /= fanout;
        int64_t best = -1;
        double bestScore = 0;
        for (int64_t child = block * fanout; child < (block + 1) * fanout; ++child) {
            const int64_t weight = std::clamp<int64_t>(nodes - child * size, 0, size);
            if (weight == 0)
                continue;
            const uint64_t u = fmix64(h + 0x9E3779B97F4A7C15ULL * ((static_cast<uint64_t>(level - 1) << 40) + child));
            const double uniform = (static_cast<double>(u >> 11) + 0.5) / std::ldexp(1.0, 53);
            const double score = static_cast<double>(weight) / -std::log(uniform);
            if (best < 0 || score > bestScore) {
                best = child;
                bestScore = score;
            }
        }
        block = best;
    }
    return static_cast<int>(block);
}

// The expected fraction of keys that change shard from N to N+1 shards. The new shard's path raises the weight of one
// child per level, from w to w + 1 out of W; a key reaching that level turns to it with chance (w+1)/(W+1) - w/W and
// then lands on a shard other than its old one. W and w are the old shards in the level's block and in its child on
// the path: N mod F^l and N mod F^(l-1).
double expectedMoveOnGrowth(int64_t nodes, int64_t fanout)
{
    double moved = 0;
    for (int64_t size = fanout, below = 1; below <= nodes; below = size, size *= fanout) {
        const auto W = static_cast<double>(nodes % size);
        const auto w = static_cast<double>(nodes % below);
        moved += (W - w) / (static_cast<double>(nodes) * (W + 1));
    }
    return moved;
}

} // namespace

TEST(RendezvousRule, ScoresAreThoseOfTheDefinitionBitForBit)
{
    // Keys of every length up to 40 bytes cross the 16-byte blocks on either side of the shard number.
    std::vector<Key> keys = randomKeys(200, 11);
    for (int length = 0; length <= 40; ++length)
        keys.push_back(Key::string(std::string(static_cast<size_t>(length), static_cast<char>('a' + length % 26))));
    keys.push_back(Key::int32(-9527));
    keys.push_back(Key::rawBytes(std::string("\x80\xff\x00\x01", 4)));
    for (int nodes : { 1, 7, 64 }) {
        auto rendezvous = rule("rendezvous:nodes=" + std::to_string(nodes));
        for (const Key& key : keys) {
            uint64_t score = 0;
            const int expected = rendezvousByDefinition(key, nodes, &score);
            auto routed = rendezvous->route(key);
            ASSERT_TRUE(routed);
            EXPECT_EQ(routed->index, expected) << key.display() << " on " << nodes;
            EXPECT_EQ(routed->hash, std::to_string(score)) << key.display();
        }
        for (int64_t k = -50; k <= 50; ++k) {
            uint64_t score = 0;
            EXPECT_EQ(rendezvous->shardOfInteger(k), rendezvousByDefinition(Key::int64(k), nodes, &score)) << k;
        }
    }
}

TEST(RendezvousSkeletonRule, RoutesAsItsDocumentedFormula)
{
    const auto keys = randomKeys(3'000, 21);
    for (auto [nodes, fanout] : { std::pair { 1, 16 }, { 5, 2 }, { 100, 16 }, { 1024, 16 }, { 1000, 7 } }) {
        auto skeleton
            = rule("rendezvous-skeleton:nodes=" + std::to_string(nodes) + ",fanout=" + std::to_string(fanout));
        for (const Key& key : keys)
            ASSERT_EQ(shardOf(*skeleton, key), skeletonByDefinition(key, nodes, fanout))
                << key.display() << " on " << nodes << " shards, fan-out " << fanout;
        for (int64_t k = 1; k <= 2000; ++k)
            ASSERT_EQ(skeleton->shardOfInteger(k), skeletonByDefinition(Key::int64(k), nodes, fanout)) << k;
    }
}

TEST(RendezvousSkeletonRule, PinnedVectors)
{
    // Computed once by this implementation and kept: a change to the scores would move real data.
    auto big = rule("rendezvous-skeleton:nodes=1024");
    EXPECT_EQ(big->spec(), "rendezvous-skeleton:nodes=1024,fanout=16");
    const std::vector<std::pair<Key, int>> vectors = {
        { Key::int64(1), 459 },
        { Key::int64(9527), 961 },
        { Key::int64(-1), 464 },
        { Key::string("alice"), 429 },
        { Key::string("user-12345"), 138 },
    };
    for (const auto& [key, shard] : vectors)
        EXPECT_EQ(shardOf(*big, key), shard) << key.display();
    auto small = rule("rendezvous-skeleton:nodes=10,fanout=3");
    EXPECT_EQ(shardOf(*small, Key::int64(9527)), 2);
    EXPECT_EQ(shardOf(*small, Key::string("alice")), 8);
}

TEST(RendezvousSkeletonRule, EveryShardGetsItsShareOfTheKeys)
{
    const auto keys = randomKeys(200'000, 31);
    for (const char* spec : { "rendezvous-skeleton:nodes=100", "rendezvous-skeleton:nodes=37,fanout=4" }) {
        auto skeleton = rule(spec);
        const int nodes = skeleton->shardCount();
        std::vector<int64_t> count(static_cast<size_t>(nodes), 0);
        for (const Key& key : keys)
            ++count[static_cast<size_t>(shardOf(*skeleton, key))];
        // Each shard within 5 sigma of N binomial draws at 1/N.
        for (int node = 0; node < nodes; ++node)
            expectBinomial(count[static_cast<size_t>(node)], static_cast<int64_t>(keys.size()), 1.0 / nodes, 5,
                std::string(spec) + " shard " + std::to_string(node));
    }
}

TEST(RendezvousSkeletonRule, AddingAShardMovesTheFractionWeightedHrwPredicts)
{
    const auto keys = randomKeys(200'000, 41);
    for (auto [nodes, fanout] : { std::pair { 64, 16 }, { 100, 16 }, { 255, 16 }, { 256, 16 }, { 30, 4 } }) {
        auto before = rule("rendezvous-skeleton:nodes=" + std::to_string(nodes) + ",fanout=" + std::to_string(fanout));
        auto after
            = rule("rendezvous-skeleton:nodes=" + std::to_string(nodes + 1) + ",fanout=" + std::to_string(fanout));
        int64_t moved = 0;
        int64_t ontoNewShard = 0;
        for (const Key& key : keys) {
            const int a = shardOf(*before, key);
            const int b = shardOf(*after, key);
            moved += a != b;
            ontoNewShard += b == nodes;
        }
        const std::string what = std::to_string(nodes) + " -> " + std::to_string(nodes + 1) + " shards, fan-out "
            + std::to_string(fanout);
        const double expected = expectedMoveOnGrowth(nodes, fanout);
        expectBinomial(moved, static_cast<int64_t>(keys.size()), expected, 5, what + ", moved");
        expectBinomial(ontoNewShard, static_cast<int64_t>(keys.size()), 1.0 / (nodes + 1), 5, what + ", new shard");
        // Never more than one extra 1/(N+1) per level of the tree.
        EXPECT_LE(expected, 3.0 / (nodes + 1)) << what;
    }
    // A multiple of the fan-out: the new shard starts a block of its own, and only its keys move, as in rendezvous.
    EXPECT_NEAR(expectedMoveOnGrowth(64, 16), 1.0 / 65, 1e-15);
    EXPECT_NEAR(expectedMoveOnGrowth(256, 16), 1.0 / 257, 1e-15);
}

TEST(RendezvousSkeletonRule, ExplainWalksDownTheTree)
{
    auto skeleton = rule("rendezvous-skeleton:nodes=1024");
    Explanation steps;
    auto routed = skeleton->route(Key::int64(9527), &steps);
    ASSERT_TRUE(routed);
    ASSERT_EQ(steps.size(), 4u) << "the hash, then one step for each of the three levels";
    EXPECT_EQ(steps[0].rfind("murmur3(9527) = " + *routed->hash + "; 1024 shards in a tree of fan-out 16, 3 levels", 0),
        0u)
        << steps[0];
    EXPECT_NE(steps[1].find("of the 4 blocks under shards 0..1023"), std::string::npos) << steps[1];
    EXPECT_NE(steps[3].find(skeleton->shardName(routed->index) + " (weight 1)"), std::string::npos) << steps[3];
    EXPECT_FALSE(makeRule("rendezvous-skeleton:nodes=8,fanout=1"));
    EXPECT_FALSE(makeRule("rendezvous-skeleton:nodes=0"));
}

TEST(BoundedRule, RoutingByLookupAgreesWithTheEngineAndTheExplanation)
{
    auto bounded = rule("bounded:nodes=64,c=1.1,keys=20000,vnodes=10");
    for (int64_t k = -5; k <= 20'005; ++k) {
        auto plain = bounded->route(Key::int64(k));
        Explanation steps;
        auto explained = bounded->route(Key::int64(k), &steps);
        ASSERT_TRUE(plain && explained);
        ASSERT_EQ(plain->index, bounded->shardOfInteger(k)) << k;
        ASSERT_EQ(plain->index, explained->index) << k;
        ASSERT_EQ(plain->hash, explained->hash) << k;
        ASSERT_EQ(plain->hash, std::to_string(hashes::hashKey(hashes::HashFunction::Murmur3, Key::int64(k))));
    }
}
