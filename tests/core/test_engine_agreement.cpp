// The sampled engine (individual requests) and the expected engine (shares from the distributions) describe the
// same run: their shard shares agree within sampling error for every key law on ordered, arithmetic and hashed
// rules.

#include <gtest/gtest.h>

#include <cmath>

#include "shardsim/engine/simulation.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    ScenarioConfig scenario(const std::string& rule, const std::string& keys, int nodes)
    {
        const std::string text = "name: agreement\nseed: 3\nduration: 8s\ncluster: { nodes: " + std::to_string(nodes)
            + ", node: { max_qps: 1T } }\ndata:\n  tables:\n    - { name: t_user, key: uid, rows: 1M, growth: 5K/s }\n"
            + "sharding: { rule: \"" + rule + "\" }\nworkload:\n  rate: 300K/s\n  keys: " + keys + "\n";
        ScenarioLoad load = loadScenarioText(text, "agreement.yaml", "");
        EXPECT_TRUE(load.ok()) << load.errorText() << "\n" << text;
        return load.config.value_or(ScenarioConfig {});
    }

    RunResult run(const ScenarioConfig& config, EngineMode engine)
    {
        RunOptions options;
        options.engine = engine;
        auto result = runSimulation(config, options);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
        return result.ok() ? *result : RunResult {};
    }

    // A key law and sum_k p_k^2 over the keys the expected engine does not route one by one (beyond its 65,536
    // hottest), for 1M keys. For a hashed rule those keys get each shard's expected fraction f of the hash space,
    // while the real keys land where their hashes send them: a shard's true share differs from the proportional
    // one by a standard deviation of sqrt(f (1 - f) sum_k p_k^2), which the comparison allows for.
    struct Law {
        std::string keys;
        double tailSquares;
    };

    const std::vector<Law> kLaws = {
        { "{ distribution: zipf, theta: 0.99 }", 9.2e-8 }, // sum_{k > 65536} k^-1.98 / H(10^6, 0.99)^2
        { "{ distribution: zipf, theta: 1.5 }", 1.7e-11 }, { "{ distribution: latest, theta: 0.9 }", 1.9e-7 },
        { "{ distribution: hotspot, hot_fraction: 10%, hot_ops: 90%, at: [40%, 50%] }", 8.1e-6 }, // 0.9^2 / 10^5 + ...
        { "{ distribution: hotspot, hot_ops: 80%, at: end, drift: 10%/s }", 3.3e-6 }, { "uniform", 1e-6 },
        { "{ distribution: scrambled-zipf, theta: 0.99 }", 3.5e-7 }, // the uniform tail, 59% of the draws
    };

    void expectAgreement(const std::string& rule, const Law& law, int nodes, bool hashed)
    {
        const std::string& keys = law.keys;
        const double f = 1.0 / nodes;
        const double slack = hashed ? 5 * std::sqrt(f * (1 - f) * law.tailSquares) : 0;
        SCOPED_TRACE(rule + " with " + keys);
        const ScenarioConfig config = scenario(rule, keys, nodes);
        const RunResult expected = run(config, EngineMode::Expected);
        const RunResult sampled = run(config, EngineMode::Sampled);
        ASSERT_EQ(expected.shards.size(), sampled.shards.size());
        ASSERT_GT(sampled.requests, 2.3e6);
        EXPECT_NEAR(sampled.requests, expected.requests, 5 * std::sqrt(expected.requests));
        double worst = 0;
        for (size_t s = 0; s < expected.shards.size(); ++s) {
            const double p = expected.shards[s].share;
            const double sigma = std::sqrt(p * (1 - p) / sampled.requests);
            const double gap = std::fabs(sampled.shards[s].share - p);
            worst = std::max(worst, gap / (5 * sigma + slack));
            EXPECT_NEAR(sampled.shards[s].share, p, 5 * sigma + slack) << expected.shards[s].name;
        }
        // The heat map agrees as well (bucket 0 is the hottest for zipf).
        const HeatMap& a = expected.heatmap;
        const HeatMap& b = sampled.heatmap;
        ASSERT_EQ(a.rate.size(), b.rate.size());
        double sumA = 0;
        double sumB = 0;
        for (size_t i = 0; i < a.rate.size(); ++i) {
            sumA += a.rate[i];
            sumB += b.rate[i];
        }
        EXPECT_NEAR(sumB / sumA, 1.0, 5 / std::sqrt(expected.requests) + 1e-9);
        ::testing::Test::RecordProperty("worst_over_tolerance", std::to_string(worst));
    }

    // Ordered and arithmetic rules: the expected engine is exact, so the two differ by sampling error alone.
    TEST(EngineAgreement, ExactRules)
    {
        for (const Law& law : kLaws) {
            expectAgreement("range:bounds=3|10|100|1K|5K|20K|100K|300K|600K|900K|1M", law, 12, false);
            expectAgreement("range-mod:span=250K,mod=3,dbs=5", law, 15, false);
        }
    }

    TEST(EngineAgreement, HashedRules)
    {
        for (const Law& law : kLaws) {
            expectAgreement("jump:buckets=16", law, 16, true);
            expectAgreement("hash-mod:n=12,hash=murmur3", law, 12, true);
            expectAgreement("ring:nodes=10,vnodes=50", law, 10, true);
            expectAgreement("maglev:nodes=9,table=4099", law, 9, true);
            expectAgreement("vitess-xxhash:shards=8", law, 8, true);
        }
    }

    // Residues of a long range are spread evenly but not exactly proportionally to a skewed law inside each segment;
    // the segments are short enough (1/64 of where they start) that the difference stays far below sampling error.
    TEST(EngineAgreement, ModuloRules)
    {
        for (const Law& law : kLaws) {
            expectAgreement("db-table:dbs=4,tables=4", law, 4, false);
            expectAgreement("mod:n=7", law, 7, false);
        }
    }

} // namespace
} // namespace shardsim
