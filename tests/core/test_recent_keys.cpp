// `distribution: recent`: a share of the requests uniform over the newest keys (the last `window` of inserts, or a
// count), the rest uniform over all keys. The law's exact range probabilities, its draws, both engines' shard
// shares against shares computed here from the formula, `describe`'s words, and the reader's messages.

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "shardsim/engine/simulation.h"
#include "shardsim/planner/capacity_plan.h"
#include "shardsim/scenario/scenario_reader.h"
#include "shardsim/workload/key_distribution.h"
#include "shardsim/workload/random_streams.h"
#include "shardsim/workload/recent_keys.h"

namespace shardsim {
namespace {

    using workload::RecentKeys;

    KeyDistributionConfig recentConfig(double windowKeys, double share)
    {
        KeyDistributionConfig config;
        config.kind = KeyDistributionKind::Recent;
        config.windowKeys = windowKeys;
        config.share = share;
        return config;
    }

    TEST(RecentKeys, TheNewestKeysGetTheirShareAndTheirPartOfTheRest)
    {
        // 1,000 keys, the newest 100 (901..1000), 70% on them: they get 0.7 + 0.3 x 100/1000.
        RecentKeys keys(100, 0.7, 1'000);
        EXPECT_EQ(keys.firstRecentKey(), 901u);
        EXPECT_DOUBLE_EQ(keys.probabilityOfRange(901, 1'000), 0.73);
        EXPECT_DOUBLE_EQ(keys.probabilityOfRange(1, 900), 0.27);
        EXPECT_DOUBLE_EQ(keys.probabilityOfRange(1'000, 1'000), 0.7 / 100 + 0.3 / 1'000);
        EXPECT_DOUBLE_EQ(keys.probabilityOfRange(1, 1), 0.3 / 1'000);
        EXPECT_DOUBLE_EQ(keys.probabilityOfRange(891, 910), 0.7 * 10 / 100 + 0.3 * 20 / 1'000);
        EXPECT_DOUBLE_EQ(keys.probabilityOfRange(1, 5'000), 1.0);

        // New rows push the window on: the same 100 keys, now 1001..1100 of 1,100.
        keys.setKeyCount(1'100);
        EXPECT_EQ(keys.firstRecentKey(), 1'001u);
        EXPECT_DOUBLE_EQ(keys.probabilityOfRange(1'001, 1'100), 0.7 + 0.3 * 100 / 1'100);

        // A window longer than the table holds every key: uniform.
        RecentKeys whole(5'000, 0.7, 1'000);
        EXPECT_EQ(whole.firstRecentKey(), 1u);
        EXPECT_DOUBLE_EQ(whole.probabilityOfRange(1, 250), 0.25);
    }

    TEST(RecentKeys, DrawsHitTheNewestKeysAsOftenAsTheLawSays)
    {
        RecentKeys keys(100'000, 0.7, 10'000'000);
        workload::RandomEngine engine = workload::RandomStreams(3).engine("keys");
        const int draws = 200'000;
        int recent = 0;
        int firstHalf = 0;
        for (int i = 0; i < draws; ++i) {
            const uint64_t key = keys.sample(engine);
            ASSERT_GE(key, 1u);
            ASSERT_LE(key, 10'000'000u);
            recent += key > 9'900'000 ? 1 : 0;
            firstHalf += key <= 5'000'000 ? 1 : 0;
        }
        const auto expectShare = [draws](int count, double p) {
            EXPECT_NEAR(count / double(draws), p, 4 * std::sqrt(p * (1 - p) / draws));
        };
        expectShare(recent, 0.7 + 0.3 * 0.01);
        expectShare(firstHalf, 0.3 * 0.5);
    }

    TEST(RecentKeys, FactoryNeedsKeysInTheWindowAndAShare)
    {
        workload::RandomEngine placement(1);
        auto made = workload::makeKeyDistribution(recentConfig(100, 0.7), 1'000, placement);
        ASSERT_TRUE(made) << made.error();
        EXPECT_EQ((*made)->describe(), "recent(70% of requests on keys 901..1000 of 1000)");

        KeyDistributionConfig noGrowth = recentConfig(0, 0.7);
        noGrowth.window = 7 * 86'400;
        auto refused = workload::makeKeyDistribution(noGrowth, 1'000, placement);
        ASSERT_FALSE(refused);
        EXPECT_NE(
            refused.error().find("the last 7d of inserts hold no keys: the table has no growth"), std::string::npos)
            << refused.error();
        EXPECT_FALSE(workload::makeKeyDistribution(recentConfig(100, 1.5), 1'000, placement));
    }

    TEST(RecentKeys, DescribedInTheScenariosWords)
    {
        KeyDistributionConfig byTime = recentConfig(0, 0.7);
        byTime.window = 7 * 86'400;
        EXPECT_EQ(workload::describeKeyLaw(byTime), "recent: 70% of requests on the keys of the last 7d");
        EXPECT_EQ(workload::describeKeyLaw(recentConfig(10e6, 0.7)), "recent: 70% of requests on the newest 10M keys");
    }

    ScenarioConfig mustLoad(const std::string& text)
    {
        ScenarioLoad load = loadScenarioText(text, "recent.yaml", "");
        EXPECT_TRUE(load.ok()) << load.errorText() << "\n" << text;
        return load.config.value_or(ScenarioConfig {});
    }

    RunResult mustRun(const ScenarioConfig& config, EngineMode engine)
    {
        RunOptions options;
        options.engine = engine;
        auto result = runSimulation(config, options);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
        return result.ok() ? *result : RunResult {};
    }

    // 1,000,000 orders growing by 1 a second; the range rule keeps keys up to 900,000 on shard 0, the newer ones on
    // shard 1. `reads` draw by `law`, `writes` (weight 3 of 10) uniformly, as workload.keys says.
    std::string ordersScenario(const std::string& law, const std::string& growth = "86400/day")
    {
        return "name: recent orders\nseed: 9\nduration: 2s\ntick: 1s\n"
               "cluster: { nodes: 2, node: { max_qps: 1T } }\n"
               "data:\n  tables:\n    - { name: t_order, key: order_id, rows: 1M, growth: "
            + growth
            + " }\n"
              "sharding: { rule: \"range:bounds=900001\" }\n"
              "workload:\n  rate: 500K/s\n  keys: uniform\n  mix:\n"
              "    - { op: reads, kind: point, table: t_order, weight: 7, key_distribution: "
            + law
            + " }\n"
              "    - { op: writes, kind: transaction, table: t_order, weight: 3 }\n";
    }

    void expectNewestRangeShare(const std::string& law, double windowKeys)
    {
        SCOPED_TRACE(law);
        // Reads: 70% on the window (keys n - w + 1..n, all on shard 1) and 30% spread over all n keys, of which
        // n - 900,000 are on shard 1. Writes: uniform. n is 1,000,000 (it grows by 2 in the run: < 1e-6).
        const double n = 1e6;
        const double reads = 0.7 + 0.3 * (n - 900'000) / n;
        const double writes = (n - 900'000) / n;
        const double exact = 0.7 * reads + 0.3 * writes;
        EXPECT_GT(windowKeys, 0);
        EXPECT_LE(windowKeys, 100'000); // the window lies inside shard 1

        const ScenarioConfig config = mustLoad(ordersScenario(law));
        const RunResult expected = mustRun(config, EngineMode::Expected);
        ASSERT_EQ(expected.shards.size(), 2u);
        EXPECT_NEAR(expected.shards[1].share, exact, 1e-6);
        const RunResult sampled = mustRun(config, EngineMode::Sampled);
        ASSERT_EQ(sampled.shards.size(), 2u);
        ASSERT_GT(sampled.requests, 9e5);
        EXPECT_NEAR(sampled.shards[1].share, exact, 4 * std::sqrt(exact * (1 - exact) / sampled.requests));
    }

    TEST(RecentKeys, BothEnginesPutTheNewestKeysShareOnTheNewestRange)
    {
        // A window of time: 1 row/s over 27h46m40s (100,000 s) is 100,000 keys, the newest range's own.
        expectNewestRangeShare("{ distribution: recent, window: 27h46m40s, share: 70% }", 100'000);
        expectNewestRangeShare("{ distribution: recent, keys: 50K, share: 70% }", 50'000);
    }

    TEST(RecentKeys, OnlyTheOperationThatCarriesTheLawReadsTheNewestKeys)
    {
        // The writes read the newest 10 keys only (share 100%), the reads stay uniform (workload.keys).
        std::string text = ordersScenario("uniform");
        text.replace(text.find("weight: 3 }"), 11,
            "weight: 3, key_distribution: { distribution: recent, keys: 10, share: 100% } }");
        const RunResult run = mustRun(mustLoad(text), EngineMode::Expected);
        ASSERT_EQ(run.shards.size(), 2u);
        EXPECT_NEAR(run.shards[1].share, 0.7 * 0.1 + 0.3, 1e-6);
    }

    // The planner holds each period's rows still (no growth); the window keeps the keys it held with the growth.
    TEST(RecentKeys, ThePlannerKeepsTheWindowsKeys)
    {
        const ScenarioConfig config = mustLoad(ordersScenario("{ distribution: recent, window: 27h46m40s, share: 70% }"));
        auto plan = planCapacity(config);
        ASSERT_TRUE(plan.ok()) << plan.error();
        ASSERT_TRUE(plan->today.peakUtilization.has_value()) << "the run of today's cluster failed";
        // The busiest node is shard 1's, as in the run: 0.7 x 0.73 + 0.3 x 0.1 of 500K/s over 1T/s.
        EXPECT_NEAR(*plan->today.peakUtilization, 0.541 * 500e3 / 1e12, 0.541 * 500e3 / 1e12 * 1e-3);
    }

    std::string loadErrors(const std::string& text)
    {
        ScenarioLoad load = loadScenarioText(text, "recent.yaml", "");
        EXPECT_FALSE(load.ok()) << text;
        return load.errorText();
    }

    TEST(RecentKeys, TheReaderNamesTheLineColumnAndFieldOfABadValue)
    {
        // Line 14 is the reads operation, line 12 workload.keys.
        const auto errorsOf = [](const std::string& law, const std::string& growth = "86400/day") {
            return loadErrors(ordersScenario(law, growth));
        };
        const std::string share = errorsOf("{ distribution: recent, window: 7d, share: 170% }");
        EXPECT_NE(share.find("recent.yaml:14:121:"), std::string::npos) << share; // the 170%
        EXPECT_NE(share.find("workload.mix[0].key_distribution.share"), std::string::npos) << share;

        const std::string missing = errorsOf("{ distribution: recent, window: 7d }");
        EXPECT_NE(missing.find("workload.mix[0].key_distribution: missing required key 'share'"), std::string::npos)
            << missing;

        const std::string neither = errorsOf("{ distribution: recent, share: 70% }");
        EXPECT_NE(neither.find("recent needs its newest keys"), std::string::npos) << neither;

        const std::string both = errorsOf("{ distribution: recent, window: 7d, keys: 10M, share: 70% }");
        EXPECT_NE(both.find("workload.mix[0].key_distribution.keys: contradicts 'window'"), std::string::npos) << both;

        const std::string badWindow = errorsOf("{ distribution: recent, window: seven days, share: 70% }");
        EXPECT_NE(badWindow.find("workload.mix[0].key_distribution.window: expected a duration"), std::string::npos)
            << badWindow;

        const std::string word = errorsOf("recent");
        EXPECT_NE(
            word.find("workload.mix[0].key_distribution: recent needs its share and newest keys"), std::string::npos)
            << word;

        const std::string notHotspot = errorsOf("{ distribution: hotspot, share: 70% }");
        EXPECT_NE(notHotspot.find("share"), std::string::npos) << notHotspot;

        // A table that does not grow has no last 7 days: refused at the window, with the way out.
        const std::string noGrowth = errorsOf("{ distribution: recent, window: 7d, share: 70% }", "0/day");
        EXPECT_NE(noGrowth.find("workload.mix[0].key_distribution.window: table 't_order' has no growth, so its last "
                                "7d of inserts hold no keys"),
            std::string::npos)
            << noGrowth;
        EXPECT_NE(noGrowth.find("recent.yaml:14:110:"), std::string::npos) << noGrowth; // the 7d
        // ... and workload.keys too, for the operations that draw by it.
        std::string text = ordersScenario("uniform", "0/day");
        text.replace(text.find("keys: uniform"), 13, "keys: { distribution: recent, window: 7d, share: 70% }");
        const std::string workloadKeys = loadErrors(text);
        EXPECT_NE(workloadKeys.find("recent.yaml:12:41:"), std::string::npos) << workloadKeys;
        EXPECT_NE(workloadKeys.find("workload.keys.window: table 't_order' has no growth"), std::string::npos)
            << workloadKeys;
        // A count needs no growth.
        mustLoad(ordersScenario("{ distribution: recent, keys: 10K, share: 70% }", "0/day"));
    }

} // namespace
} // namespace shardsim
