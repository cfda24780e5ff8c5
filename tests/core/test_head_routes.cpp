// The shards the sampled engine keeps for the head of a key law (the alias table's points and HeadRoutes past them)
// are the rule's own, for every rule family, after the law is rebuilt and after a reshard; and keeping them changes
// no count.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/head_routes.h"
#include "engine/key_domain.h"
#include "engine/key_law.h"
#include "engine/key_sampler.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/workload/key_distribution.h"
#include "shardsim/workload/random_streams.h"

using namespace shardsim;
using namespace shardsim::engine;

namespace {

constexpr uint64_t kKeys = 1'000'000;

const std::vector<std::string>& families()
{
    static const std::vector<std::string> specs = { "mod:n=64", "hash-mod:n=64,hash=java", "hash-mod:n=64,hash=murmur3",
        "hash-mod:n=64,hash=xxhash64", "hash-mod:n=64,hash=fnv1a64", "hash-mod:n=64,hash=crc32",
        "range:bounds=1000|5000|20000|100000|400000", "range-mod:span=200000,mod=4,dbs=4", "db-table:dbs=8,tables=8",
        "geo:map=east:0|north:1", "directory:map=0:0|1:1|2:2|3:0,buckets=4,default=1", "ring:nodes=64,vnodes=160",
        "jump:buckets=64", "rendezvous:nodes=64", "maglev:nodes=64", "bounded:nodes=64,c=1.25", "vitess-hash:shards=64",
        "vitess-xxhash:shards=64", "vitess-numeric:shards=64", "murmur3:nodes=64", "mongo-hashed:chunks=64" };
    return specs;
}

ShardRulePtr mustMakeRule(const std::string& spec)
{
    auto rule = makeRule(spec);
    EXPECT_TRUE(rule) << spec << ": " << (rule ? "" : rule.error());
    return rule ? *rule : nullptr;
}

KeyDistributionConfig lawOf(KeyDistributionKind kind)
{
    KeyDistributionConfig config;
    config.kind = kind;
    config.theta = 0.99;
    return config;
}

// Every point's shard and every remembered entry equals the rule's routing of that key; returns the entries filled.
uint64_t expectRuleShards(const ShardRule& rule, const KeySampler& sampler, const HeadRoutes* routes,
    const workload::KeyDistribution& distribution, const std::string& where)
{
    for (const auto& [key, shard] : sampler.pointShards())
        EXPECT_EQ(shard, rule.shardOfInteger(static_cast<int64_t>(key))) << where << ": point key " << key;
    // A segment that carries one shard: every key of it there (short ones key by key, long ones at 1,000 keys).
    for (const auto& [first, last, shard] : sampler.segmentShards()) {
        const uint64_t step = std::max<uint64_t>(1, (last - first) / 1000);
        for (uint64_t key = first; key <= last; key += step)
            EXPECT_EQ(shard, rule.shardOfInteger(static_cast<int64_t>(key))) << where << ": segment key " << key;
        EXPECT_EQ(shard, rule.shardOfInteger(static_cast<int64_t>(last))) << where << ": segment key " << last;
    }
    if (!routes)
        return 0;
    const auto* scrambled = dynamic_cast<const workload::ScrambledZipfKeys*>(&distribution);
    uint64_t filled = 0;
    for (uint64_t slot = 0; slot < routes->size(); ++slot) {
        const int32_t known = routes->shard(slot);
        if (known == HeadRoutes::kUnknown)
            continue;
        ++filled;
        const uint64_t index = routes->first() + slot;
        const uint64_t key = routes->keyCount() > 0 ? scrambled->keyOfRank(index) : index;
        EXPECT_EQ(known, rule.shardOfInteger(static_cast<int64_t>(key))) << where << ": key " << key;
    }
    return filled;
}

// Draws `count` keys in batches and `calls` one by one; the shard counts and refused keys.
std::vector<uint64_t> drawCounts(const KeySampler& sampler, int shards, uint64_t count, uint64_t calls)
{
    std::vector<uint64_t> counts(static_cast<size_t>(shards) + 1, 0);
    workload::RandomEngine engine(7);
    DrawCounts draws { std::span<uint64_t>(counts.data(), static_cast<size_t>(shards)), {}, 0 };
    sampler.draw(count, engine, draws);
    counts.back() += draws.refused;
    for (uint64_t i = 0; i < calls; ++i) {
        const int shard = sampler.drawShard(engine, {});
        ++counts[shard >= 0 ? static_cast<size_t>(shard) : counts.size() - 1];
    }
    return counts;
}

TEST(HeadRoutes, RememberedShardsAreTheRulesForEveryFamilyAndChangeNoCount)
{
    for (const KeyDistributionKind kind :
        { KeyDistributionKind::Zipf, KeyDistributionKind::Latest, KeyDistributionKind::ScrambledZipf }) {
        workload::RandomEngine placement(1);
        auto distribution = workload::makeKeyDistribution(lawOf(kind), kKeys, placement);
        ASSERT_TRUE(distribution);
        KeyLawOptions options;
        options.headKeys = 1024;
        const KeyLaw law = cutKeyLaw(**distribution, lawOf(kind), options);
        const std::optional<HeadWindow> window = headWindowOf(law, 8192);
        ASSERT_TRUE(window);
        for (const std::string& spec : families()) {
            const ShardRulePtr rule = mustMakeRule(spec);
            if (!rule)
                continue;
            const std::string where = spec + " under law " + std::to_string(static_cast<int>(kind));
            const HeadRoutes routes(*rule, window->first, window->keyCount, 8192);
            const KeySampler remembering(law, **distribution, *rule, nullptr, &routes);
            const KeySampler routing(law, **distribution, *rule, nullptr);
            const auto counts = drawCounts(remembering, rule->shardCount(), 20'000, 2'000);
            EXPECT_EQ(counts, drawCounts(routing, rule->shardCount(), 20'000, 2'000)) << where;
            // The routes fill, unless the segments carry their shards themselves (a range rule's, cut at its bounds).
            const uint64_t filled = expectRuleShards(*rule, remembering, &routes, **distribution, where);
            EXPECT_TRUE(filled > 100 || !remembering.segmentShards().empty()) << where << ": " << filled;
            if (spec.rfind("range:", 0) == 0 && kind != KeyDistributionKind::ScrambledZipf) {
                EXPECT_FALSE(remembering.segmentShards().empty()) << where << ": segments within one range";
            }
        }
    }
}

TEST(HeadRoutes, KeyDomainKeepsThemRightWhenTheLawIsRebuiltAndAfterAReshard)
{
    // 10^6 latest keys growing by 10^4/s: the newest keys, the head, move at every rebuild. (A zipf law keeps no
    // routes: every segment draws its shard from its table, tests/core/test_segment_shard_tables.cpp.)
    const DomainPlan plan { 0, 0, 1e6, 1e4 };
    for (const KeyDistributionKind kind : { KeyDistributionKind::Latest }) {
        for (const std::string& spec : { std::string("jump:buckets=64"),
                 std::string("range-mod:span=200000,mod=4,dbs=8"), std::string("hash-mod:n=65,hash=murmur3") }) {
            const ShardRulePtr rule = mustMakeRule(spec);
            ASSERT_TRUE(rule);
            workload::RandomEngine placement(1);
            auto distribution = workload::makeKeyDistribution(lawOf(kind), plan.keysAt(0), placement);
            ASSERT_TRUE(distribution);
            const workload::KeyDistribution& law = **distribution;
            KeyDomainSettings settings;
            settings.engine = EngineMode::Sampled;
            settings.rememberHeadRoutes = true;
            KeyDomain domain(plan, std::move(*distribution), lawOf(kind), *rule, settings);
            domain.update(0);
            ASSERT_NE(domain.headRoutes(), nullptr);
            const HeadRoutes* before = domain.headRoutes();
            const uint64_t firstBefore = before->first();
            drawCounts(domain.sampler(), rule->shardCount(), 50'000, 0);
            EXPECT_GT(expectRuleShards(*rule, domain.sampler(), before, law, spec), 100u) << spec;
            ASSERT_TRUE(domain.update(60)); // 6 x 10^5 keys more: the law is rebuilt
            drawCounts(domain.sampler(), rule->shardCount(), 50'000, 0);
            EXPECT_GT(expectRuleShards(*rule, domain.sampler(), domain.headRoutes(), law, spec), 100u) << spec;
            EXPECT_GT(domain.headRoutes()->first(), firstBefore) << spec << ": the newest keys moved";
        }
    }
    // A reshard builds the domains anew over the new rule: jump over 64 shards, then over 65.
    for (const char* spec : { "jump:buckets=64", "jump:buckets=65" }) {
        const ShardRulePtr rule = mustMakeRule(spec);
        ASSERT_TRUE(rule);
        workload::RandomEngine placement(1);
        auto distribution
            = workload::makeKeyDistribution(lawOf(KeyDistributionKind::Latest), plan.keysAt(0), placement);
        ASSERT_TRUE(distribution);
        const workload::KeyDistribution& law = **distribution;
        KeyDomainSettings settings;
        settings.engine = EngineMode::Sampled;
        settings.rememberHeadRoutes = true;
        KeyDomain domain(plan, std::move(*distribution), lawOf(KeyDistributionKind::Latest), *rule, settings);
        domain.update(0);
        drawCounts(domain.sampler(), rule->shardCount(), 50'000, 0);
        EXPECT_GT(expectRuleShards(*rule, domain.sampler(), domain.headRoutes(), law, spec), 100u) << spec;
    }
}

} // namespace
