// The sampled engine draws the shard of a request that falls in a segment of the key law from the segment's shard
// table instead of routing a key (docs/engine-model.md, "Which shard"). Checked against references computed here
// key by key: a segment the expected engine routes or counts whole holds exactly its keys' weights per shard; a long
// one the rule's fractions, within the counting bound of its keys' real counts; and a million draws land on each
// shard as often as the law's exact per-key probabilities, routed one by one, say.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/key_domain.h"
#include "engine/key_law.h"
#include "engine/key_sampler.h"
#include "engine/range_share_counter.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/workload/key_distribution.h"
#include "shardsim/workload/random_streams.h"

using namespace shardsim;
using namespace shardsim::engine;

namespace {

constexpr uint64_t kKeys = 1'000'000;

const std::vector<std::string>& families()
{
    static const std::vector<std::string> specs = { "mod:n=64", "hash-mod:n=64,hash=murmur3",
        "hash-mod:n=64,hash=crc32", "range:bounds=1000|5000|20000|100000|400000", "range-mod:span=200000,mod=4,dbs=4",
        "db-table:dbs=8,tables=8", "directory:map=0:0|1:1|2:2|3:0,buckets=4,default=1", "ring:nodes=64,vnodes=160",
        "jump:buckets=64", "rendezvous:nodes=64", "maglev:nodes=64", "bounded:nodes=64,c=1.25", "vitess-hash:shards=64",
        "vitess-numeric:shards=64", "murmur3:nodes=64", "mongo-hashed:chunks=64" };
    return specs;
}

KeyDistributionConfig zipf()
{
    KeyDistributionConfig config;
    config.kind = KeyDistributionKind::Zipf;
    config.theta = 0.99;
    return config;
}

struct SampledDomain {
    ShardRulePtr rule;
    std::unique_ptr<RangeShareCounter> counter;
    std::unique_ptr<KeyDomain> domain;
};

SampledDomain sampledDomain(const std::string& spec, const KeyDistributionConfig& keys)
{
    SampledDomain made;
    auto rule = makeRule(spec);
    EXPECT_TRUE(rule) << spec;
    if (!rule)
        return made;
    made.rule = *rule;
    made.counter = std::make_unique<RangeShareCounter>(*made.rule);
    workload::RandomEngine placement(1);
    auto distribution = workload::makeKeyDistribution(keys, kKeys, placement);
    EXPECT_TRUE(distribution);
    KeyDomainSettings settings;
    settings.engine = EngineMode::Sampled;
    settings.counter = made.counter.get();
    made.domain = std::make_unique<KeyDomain>(
        DomainPlan { 0, 0, static_cast<double>(kKeys), 0 }, std::move(*distribution), keys, *made.rule, settings);
    made.domain->update(0);
    return made;
}

// Each shard's weight in first..last (the refused keys last), every key routed and weighed k^-theta (theta 0:
// uniform), normalised to 1.
std::vector<double> routedLaw(const ShardRule& rule, uint64_t first, uint64_t last, double theta)
{
    std::vector<double> law(static_cast<size_t>(rule.shardCount()) + 1, 0.0);
    double total = 0;
    for (uint64_t key = first; key <= last; ++key) {
        const double weight = theta > 0 ? std::pow(static_cast<double>(key), -theta) : 1.0;
        const int shard = rule.shardOfInteger(static_cast<int64_t>(key));
        law[shard >= 0 ? static_cast<size_t>(shard) : law.size() - 1] += weight;
        total += weight;
    }
    for (double& share : law)
        share /= total;
    return law;
}

} // namespace

TEST(SegmentShardTables, EverySegmentsTableIsItsKeysLawForEveryFamily)
{
    for (const std::string& spec : families()) {
        const SampledDomain made = sampledDomain(spec, zipf());
        ASSERT_TRUE(made.domain) << spec;
        const KeyLaw& law = made.domain->law();
        const KeySampler& sampler = made.domain->sampler();
        int exact = 0;
        int spread = 0;
        int withoutTable = 0;
        for (size_t s = 0; s < sampler.segmentCount(); ++s) {
            const std::vector<double> table = sampler.segmentShardLaw(s);
            const KeySegment& segment = law.segments[s];
            const uint64_t length = segment.last - segment.first + 1;
            if (table.empty()) { // its keys all on one shard (a range rule's), or routed as they are drawn
                ++withoutTable;
                continue;
            }
            const double theta = segment.shape == SegmentShape::PowerFromStart ? law.theta : 0.0;
            const std::vector<double> reference = routedLaw(*made.rule, segment.first, segment.last, theta);
            ASSERT_EQ(table.size(), reference.size());
            const bool routedWhole = length <= uint64_t(ShardRule::kRangeShareKeys);
            for (size_t i = 0; i < table.size(); ++i) {
                if (routedWhole) {
                    // Routed key by key and weighed: exact, up to the alias table's 2^-64 thresholds.
                    EXPECT_NEAR(table[i], reference[i], 1e-12) << spec << ": segment " << s << ", shard " << i;
                } else {
                    // The rule's fractions (or closed form) against the keys' real counts: a shard's count of L
                    // uniformly hashed keys has a standard deviation of sqrt(f (1 - f) / L) of the segment; 5 of them,
                    // plus the law's weight ratio across the segment (at most 1.6% for Zipf segments 1/64 long).
                    const double f = reference[i];
                    const double tolerance = 5 * std::sqrt(f * (1 - f) / static_cast<double>(length)) + 0.016 * f;
                    EXPECT_NEAR(table[i], reference[i], tolerance + 1e-12)
                        << spec << ": segment " << s << " of " << length << " keys, shard " << i;
                }
            }
            ++(routedWhole ? exact : spread);
        }
        EXPECT_GT(exact + spread + withoutTable, 100) << spec;
        if (!made.rule->countsRangesExactly()) {
            EXPECT_GT(exact + spread, withoutTable) << spec << ": most segments draw from a table";
        }
    }
}

TEST(SegmentShardTables, DrawsLandOnEachShardAsTheKeysExactLawSays)
{
    // Zipf(0.99) over 10^6 keys: key k has probability k^-0.99 / H, H summed here.
    std::vector<double> probability(kKeys + 1, 0.0);
    double harmonic = 0;
    for (uint64_t key = 1; key <= kKeys; ++key) {
        probability[key] = std::pow(static_cast<double>(key), -0.99);
        harmonic += probability[key];
    }
    constexpr uint64_t kDraws = 1'000'000;
    for (const std::string& spec :
        { std::string("jump:buckets=64"), std::string("rendezvous:nodes=64"), std::string("hash-mod:n=64,hash=murmur3"),
            std::string("mod:n=64"), std::string("ring:nodes=64,vnodes=160"), std::string("mongo-hashed:chunks=64") }) {
        const SampledDomain made = sampledDomain(spec, zipf());
        ASSERT_TRUE(made.domain) << spec;
        const size_t shards = static_cast<size_t>(made.rule->shardCount());
        std::vector<double> expected(shards, 0.0);
        for (uint64_t key = 1; key <= kKeys; ++key)
            expected[static_cast<size_t>(made.rule->shardOfInteger(static_cast<int64_t>(key)))]
                += probability[key] / harmonic;

        std::vector<uint64_t> counts(shards, 0);
        DrawCounts draws { counts, {}, 0 };
        workload::RandomEngine engine(11);
        made.domain->sampler().draw(kDraws, engine, draws);
        EXPECT_EQ(draws.refused, 0u) << spec;
        for (size_t s = 0; s < shards; ++s) {
            const double mean = expected[s] * kDraws;
            EXPECT_NEAR(static_cast<double>(counts[s]), mean, 5 * std::sqrt(mean * (1 - expected[s])))
                << spec << ": shard " << s;
        }
    }
}

TEST(SegmentShardTables, UniformKeysDrawFromOneTableOfTheirCountedShares)
{
    // Uniform keys are one segment and one table of 64 columns: no key is routed per draw. Its 10^6 keys are too few
    // for jump's fractions to keep a shard's share within 0.1%, so the expected engine counts them all, and the table
    // holds each shard's real count of them.
    KeyDistributionConfig uniform;
    uniform.kind = KeyDistributionKind::Uniform;
    const SampledDomain made = sampledDomain("jump:buckets=64", uniform);
    ASSERT_TRUE(made.domain);
    ASSERT_EQ(made.domain->sampler().segmentCount(), 1u);
    const std::vector<double> table = made.domain->sampler().segmentShardLaw(0);
    const std::vector<double> counted = routedLaw(*made.rule, 1, kKeys, 0);
    ASSERT_EQ(table.size(), 65u);
    for (size_t s = 0; s < 64; ++s)
        EXPECT_NEAR(table[s], counted[s], 1e-12) << "jump's keys on shard " << s;
    EXPECT_EQ(table[64], 0.0);
    EXPECT_EQ(made.domain->headRoutes(), nullptr) << "nothing is routed one key at a time";
}
