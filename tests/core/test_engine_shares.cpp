// The simulator's routing extensions of the rules (ShardRule::shardOfInteger, addRangeShares) and the exact shard
// shares both engines derive from a key law.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "engine_test_support.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    using namespace shardsim::testing;

    const std::vector<std::string> kAllRules = {
        "mod:n=7",
        "hash-mod:n=8",
        "hash-mod:n=10,hash=murmur3",
        "hash-mod:n=9,hash=xxhash64",
        "hash-mod:n=6,hash=fnv1a64",
        "hash-mod:n=5,hash=crc32",
        "range:bounds=100|500|5000",
        "range-mod:span=1000,mod=4,dbs=3",
        "range-mod:span=1000,mod=4,dbs=3,overflow=clamp",
        "db-table:dbs=8,tables=10",
        "db-table:dbs=64,tables=10,fold=8",
        "directory:map=0:0|1:1|2:0|3:2,buckets=4",
        "directory:map=1:0|2:1|3:1,default=2",
        "ring:nodes=8,vnodes=20",
        "ring:nodes=5,vnodes=10,hash=java",
        "jump:buckets=13",
        "jump:buckets=1024",
        "rendezvous:nodes=6",
        "maglev:nodes=7,table=1009",
        "bounded:nodes=6,c=1.1,keys=5000",
        "vitess-hash:shards=8",
        "vitess-xxhash:shards=5",
        "vitess-numeric:shards=4",
        "murmur3:nodes=6",
        "mongo-hashed:chunks=5",
        "geo:map=east:0|north:1",
        "shardingsphere-mod:count=7",
        "shardingsphere-hash-mod:count=6",
        "shardingsphere-volume-range:lower=100,upper=5000,volume=700",
        "shardingsphere-boundary-range:bounds=100|500|500|5000",
        "shardingsphere-interval:lower=2026-01-01 00:00:00,upper=2026-03-31 00:00:00,suffix=yyyyMMdd,key_seconds=3600",
        "shardingsphere-interval:lower=2020-01-01 00:00:00,upper=2030-01-01 00:00:00,unit=YEARS,suffix=yyyy",
        "shardingsphere-auto-interval:lower=2026-01-01 00:00:00,upper=2026-01-02 00:00:00,seconds=3600,key_seconds=60",
        "mycat-long:count=2|1,length=256|512",
        "mycat-murmur:nodes=5",
        "mycat-crc32slot:nodes=7",
        "ketama:servers=10.0.1.1:11211|10.0.1.2:11211|10.0.1.3:11211",
        "envoy-ring:hosts=a|b|c|d",
        "envoy-maglev:hosts=a|b|c|d,table=1009",
    };

    ShardRulePtr mustMake(const std::string& spec)
    {
        auto rule = makeRule(spec);
        EXPECT_TRUE(rule.ok()) << spec << ": " << (rule.ok() ? "" : rule.error());
        return rule.ok() ? *rule : nullptr;
    }

    std::vector<int64_t> probeKeys()
    {
        std::vector<int64_t> keys;
        for (int64_t k = -50; k <= 6000; ++k)
            keys.push_back(k);
        std::mt19937_64 random(12345);
        for (int i = 0; i < 3000; ++i)
            keys.push_back(static_cast<int64_t>(random()));
        keys.push_back(std::numeric_limits<int64_t>::min());
        keys.push_back(std::numeric_limits<int64_t>::max());
        keys.push_back(int64_t(1) << 31);
        keys.push_back((int64_t(1) << 31) - 1);
        return keys;
    }

    // The fast path must give exactly what route() gives, refusals included.
    TEST(EngineRouting, ShardOfIntegerAgreesWithRouteForEveryRule)
    {
        const std::vector<int64_t> keys = probeKeys();
        for (const std::string& spec : kAllRules) {
            const ShardRulePtr rule = mustMake(spec);
            ASSERT_TRUE(rule);
            int mismatches = 0;
            for (int64_t key : keys) {
                const auto routed = rule->route(Key::int64(key));
                const int expected = routed ? routed->index : -1;
                if (rule->shardOfInteger(key) != expected && ++mismatches < 5)
                    ADD_FAILURE() << spec << " key " << key << ": shardOfInteger " << rule->shardOfInteger(key)
                                  << ", route " << expected;
            }
            // The batch too, over a length that is no multiple of any lane count.
            std::vector<int32_t> batch(keys.size());
            rule->shardsOfIntegers(std::span(keys).first(keys.size() - 3), batch);
            for (size_t i = 0; i + 3 < keys.size(); ++i) {
                if (batch[i] != rule->shardOfInteger(keys[i]) && ++mismatches < 10)
                    ADD_FAILURE() << spec << " key " << keys[i] << ": shardsOfIntegers " << batch[i];
            }
        }
    }

    // Brute force: every key of lo..hi routed, its share 1/len.
    std::vector<double> bruteShares(const ShardRule& rule, int64_t lo, int64_t hi, double& refused)
    {
        std::vector<double> shares(static_cast<size_t>(rule.shardCount()), 0.0);
        refused = 0;
        const double each = 1.0 / static_cast<double>(hi - lo + 1);
        for (int64_t k = lo; k <= hi; ++k) {
            const int shard = rule.shardOfInteger(k);
            if (shard < 0)
                refused += each;
            else
                shares[static_cast<size_t>(shard)] += each;
        }
        return shares;
    }

    // The arithmetic rules count keys in closed form: exact for any range.
    TEST(EngineRangeShares, ClosedFormsAreExact)
    {
        const std::vector<std::string> exact = { "mod:n=7", "hash-mod:n=8", "range:bounds=100|500|5000",
            "range-mod:span=1000,mod=4,dbs=3", "range-mod:span=1000,mod=4,dbs=3,overflow=clamp",
            "db-table:dbs=8,tables=10", "db-table:dbs=64,tables=10,fold=8", "directory:map=0:0|1:1|2:0|3:2,buckets=4",
            "vitess-numeric:shards=4", "shardingsphere-mod:count=7",
            "shardingsphere-volume-range:lower=100,upper=5000,volume=700",
            "shardingsphere-boundary-range:bounds=100|500|500|5000", "mycat-long:count=2|1,length=256|512",
            "shardingsphere-interval:lower=2026-01-01 00:00:00,upper=2026-03-31 00:00:00,suffix=yyyyMMdd,key_seconds=3600",
            "shardingsphere-auto-interval:lower=2026-01-01 00:00:00,upper=2026-01-02 00:00:00,seconds=3600,key_seconds=60" };
        const std::vector<std::pair<int64_t, int64_t>> ranges = { { 1, 1 }, { 1, 1000 }, { -37, 4321 }, { 99, 101 },
            { 250, 260 }, { 2999, 3001 }, { 1, 12'000 }, { 4990, 5010 }, { -12'000, -5 }, { 17, 80'017 } };
        for (const std::string& spec : exact) {
            const ShardRulePtr rule = mustMake(spec);
            for (const auto& [lo, hi] : ranges) {
                double refused = 0;
                const std::vector<double> brute = bruteShares(*rule, lo, hi, refused);
                std::vector<double> shares(brute.size(), 0.0);
                const double gotRefused = rule->addRangeShares(lo, hi, 1.0, shares);
                EXPECT_NEAR(gotRefused, refused, 1e-12) << spec << " [" << lo << ", " << hi << "]";
                for (size_t s = 0; s < shares.size(); ++s)
                    EXPECT_NEAR(shares[s], brute[s], 1e-12) << spec << " [" << lo << ", " << hi << "] shard " << s;
            }
        }
    }

    // bounded counts its balanced keys 1..K exactly.
    TEST(EngineRangeShares, BoundedIsExactOverItsBalancedKeys)
    {
        const ShardRulePtr rule = mustMake("bounded:nodes=6,c=1.1,keys=5000");
        for (const auto& [lo, hi] :
            std::vector<std::pair<int64_t, int64_t>> { { 1, 5000 }, { 17, 4321 }, { 4000, 9000 } }) {
            double refused = 0;
            const std::vector<double> brute = bruteShares(*rule, lo, hi, refused);
            std::vector<double> shares(brute.size(), 0.0);
            rule->addRangeShares(lo, hi, 1.0, shares);
            for (size_t s = 0; s < shares.size(); ++s)
                EXPECT_NEAR(shares[s], brute[s], 1e-12) << "[" << lo << ", " << hi << "] shard " << s;
        }
    }

    // Hashed rules give a long range the expected fraction of each shard: within sampling error of the real
    // spread of 200,000 consecutive keys, and exact for a short range (routed key by key).
    TEST(EngineRangeShares, HashedRulesMatchTheirRealSpread)
    {
        for (const std::string& spec : kAllRules) {
            const ShardRulePtr rule = mustMake(spec);
            if (spec.rfind("geo", 0) == 0)
                continue;
            double refused = 0;
            const std::vector<double> shortBrute = bruteShares(*rule, 5000, 5000 + 999, refused);
            std::vector<double> shortShares(shortBrute.size(), 0.0);
            rule->addRangeShares(5000, 5999, 1.0, shortShares);
            for (size_t s = 0; s < shortShares.size(); ++s)
                EXPECT_NEAR(shortShares[s], shortBrute[s], 1e-12) << spec << " shard " << s;

            const int64_t lo = 1'000'000;
            const int64_t hi = lo + 199'999;
            const std::vector<double> brute = bruteShares(*rule, lo, hi, refused);
            std::vector<double> shares(brute.size(), 0.0);
            const double gotRefused = rule->addRangeShares(lo, hi, 1.0, shares);
            double sum = gotRefused;
            for (size_t s = 0; s < shares.size(); ++s) {
                sum += shares[s];
                // 6 sigma of a binomial over 200,000 keys, plus what a finite ring/table/hash-space split rounds.
                const double p = std::clamp(brute[s], 1e-6, 1.0);
                const double sigma = std::sqrt(p * (1 - p) / 200'000.0);
                EXPECT_NEAR(shares[s], brute[s], 6 * sigma + 1e-6) << spec << " shard " << s;
            }
            EXPECT_NEAR(sum, 1.0, 1e-12) << spec;
        }
    }

    TEST(EngineRangeShares, RangeBoundariesOfOrderedRules)
    {
        EXPECT_EQ(
            mustMake("range:bounds=10M|20M")->rangeBoundaries(), (std::vector<int64_t> { 10'000'000, 20'000'000 }));
        EXPECT_EQ(
            mustMake("range-mod:span=100,mod=2,dbs=3")->rangeBoundaries(), (std::vector<int64_t> { 0, 100, 200, 300 }));
        // Keyspace ids 0x40.., 0x80.., 0xc0..: only the first start is an int64 key.
        EXPECT_EQ(mustMake("vitess-numeric:shards=4")->rangeBoundaries(), (std::vector<int64_t> { int64_t(1) << 62 }));
        EXPECT_TRUE(mustMake("jump:buckets=4")->rangeBoundaries().empty());
    }

    // ---- Both engines against closed-form shares ---------------------------------------------------------------

    ScenarioConfig scenario(
        const std::string& rule, const std::string& keys, int64_t rows, double rate, double seconds, int nodes = 3)
    {
        const std::string text = "name: shares\nseed: 11\nduration: " + std::to_string(static_cast<int>(seconds))
            + "s\ntick: 1s\ncluster: { nodes: " + std::to_string(nodes) + ", node: { max_qps: 1T } }\n"
            + "data:\n  tables:\n    - { name: t_user, key: uid, rows: " + std::to_string(rows) + " }\n"
            + "sharding: { rule: \"" + rule + "\" }\nworkload:\n  rate: " + std::to_string(static_cast<int64_t>(rate))
            + "/s\n  keys: " + keys + "\n";
        ScenarioLoad load = loadScenarioText(text, "shares.yaml", "");
        EXPECT_TRUE(load.ok()) << load.errorText() << "\n" << text;
        return load.config.value_or(ScenarioConfig {});
    }

    // sum_{k=a}^{b} k^-theta in long double, smallest terms first.
    long double harmonic(int64_t a, int64_t b, double theta)
    {
        long double sum = 0;
        for (int64_t k = b; k >= a; --k)
            sum += std::pow(static_cast<long double>(k), -static_cast<long double>(theta));
        return sum;
    }

    // zipf(0.99) over 1000 keys on range:bounds=100|500: shard 0 holds keys 1..99, shard 1 100..499, shard 2
    // 500..1000, so their shares are H(1..99)/H(1000), H(100..499)/H(1000), H(500..1000)/H(1000).
    TEST(EngineShares, ZipfOnRangeMatchesHarmonicSumsInBothEngines)
    {
        const ScenarioConfig config
            = scenario("range:bounds=100|500", "{ distribution: zipf, theta: 0.99 }", 1000, 200'000, 10);
        const long double total = harmonic(1, 1000, 0.99);
        const double exact[3] = { static_cast<double>(harmonic(1, 99, 0.99) / total),
            static_cast<double>(harmonic(100, 499, 0.99) / total),
            static_cast<double>(harmonic(500, 1000, 0.99) / total) };

        const RunResult expected = mustRun(config, EngineMode::Expected);
        ASSERT_EQ(expected.shards.size(), 3u);
        EXPECT_EQ(expected.engine, EngineMode::Expected);
        for (int s = 0; s < 3; ++s)
            EXPECT_NEAR(expected.shards[static_cast<size_t>(s)].share, exact[s], 1e-12) << "shard " << s;

        const RunResult sampled = mustRun(config, EngineMode::Sampled);
        EXPECT_EQ(sampled.engine, EngineMode::Sampled);
        EXPECT_GT(sampled.requests, 1.9e6);
        for (int s = 0; s < 3; ++s) {
            const double sigma = std::sqrt(exact[s] * (1 - exact[s]) / sampled.requests);
            EXPECT_NEAR(sampled.shards[static_cast<size_t>(s)].share, exact[s], 4 * sigma) << "shard " << s;
            EXPECT_NEAR(sampled.shards[static_cast<size_t>(s)].share, exact[s], 1e-3) << "shard " << s;
        }
    }

    // Uniform keys 1..1000 on mod:n=4: exactly 250 keys each, so exactly a quarter.
    TEST(EngineShares, UniformOnModIsExactlyAQuarter)
    {
        const ScenarioConfig config = scenario("mod:n=4", "uniform", 1000, 200'000, 10, 4);
        const RunResult expected = mustRun(config, EngineMode::Expected);
        ASSERT_EQ(expected.shards.size(), 4u);
        for (const ShardSummary& shard : expected.shards)
            EXPECT_NEAR(shard.share, 0.25, 1e-14) << shard.name;
        for (const NodeSummary& node : expected.nodes)
            EXPECT_NEAR(node.share, 0.25, 1e-14) << node.name;
        const RunResult sampled = mustRun(config, EngineMode::Sampled);
        ASSERT_GT(sampled.requests, 1.9e6);
        const double sigma = std::sqrt(0.25 * 0.75 / sampled.requests);
        for (const ShardSummary& shard : sampled.shards)
            EXPECT_NEAR(shard.share, 0.25, 4 * sigma) << shard.name;
    }

    // The heat map's key buckets carry the law's exact masses (expected) and their draws (sampled).
    TEST(EngineShares, HeatMapBucketsFollowTheKeyLaw)
    {
        const ScenarioConfig config
            = scenario("jump:buckets=3", "{ distribution: zipf, theta: 0.99 }", 1000, 100'000, 5);
        const long double total = harmonic(1, 1000, 0.99);
        for (EngineMode mode : { EngineMode::Expected, EngineMode::Sampled }) {
            RunOptions options;
            options.engine = mode;
            options.heatmapKeyBuckets = 10;
            const auto result = runSimulation(config, options);
            ASSERT_TRUE(result.ok());
            ASSERT_GT(result->requests, 4.9e5);
            const HeatMap& heat = result->heatmap;
            EXPECT_EQ(heat.table, "t_user");
            ASSERT_EQ(heat.keyBuckets, 10);
            ASSERT_EQ(heat.timeBuckets, 5);
            EXPECT_DOUBLE_EQ(heat.keyMax, 1000);
            for (int b = 0; b < 10; ++b) {
                const double exact = static_cast<double>(harmonic(1 + 100 * b, 100 * (b + 1), 0.99) / total) * 100'000;
                double rate = 0;
                for (int t = 0; t < 5; ++t)
                    rate += heat.rate[static_cast<size_t>(t * 10 + b)] / 5;
                const double tolerance = mode == EngineMode::Expected ? 1e-9 * exact : 5 * std::sqrt(exact / 5) + 1;
                EXPECT_NEAR(rate, exact, tolerance) << engineModeName(mode) << " bucket " << b;
            }
        }
    }

} // namespace
} // namespace shardsim
