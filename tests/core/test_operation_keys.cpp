// An operation of the mix may draw its keys by its own law (`key_distribution:`): both engines route each
// operation's calls by that law, so a shard's share is the mixture of the laws' shares weighted by the operations'
// shares of the calls, and the operation's fan-out follows its own law.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "shardsim/engine/simulation.h"
#include "shardsim/report/scenario_outline.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    constexpr int64_t kKeys = 1000;

    // 70% of the calls read by `readLaw`, 30% by workload.keys; both point reads of one key.
    std::string mixedScenario(const std::string& rule, const std::string& workloadKeys, const std::string& readLaw)
    {
        return "name: per-operation keys\nseed: 5\nduration: 10s\ntick: 1s\n"
               "cluster: { nodes: 4, node: { max_qps: 1T } }\n"
               "data:\n  tables:\n    - { name: t_order, key: order_id, rows: 1000 }\n"
               "sharding: { rule: \""
            + rule + "\" }\nworkload:\n  rate: 200K/s\n  keys: " + workloadKeys
            + "\n  mix:\n    - { op: recent, kind: point, table: t_order, weight: 7, key_distribution: " + readLaw
            + " }\n    - { op: other, kind: point, table: t_order, weight: 3 }\n";
    }

    ScenarioConfig mustLoad(const std::string& text)
    {
        ScenarioLoad load = loadScenarioText(text, "mixed.yaml", "");
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

    using Mass = std::function<long double(int64_t)>; // P(key k) for k in 1..kKeys

    Mass uniform()
    {
        return [](int64_t) { return 1.0L / kKeys; };
    }

    // (n + 1 - k)^-theta / H(n, theta): the newest key is the most popular.
    Mass latest(double theta)
    {
        long double total = 0;
        for (int64_t rank = kKeys; rank >= 1; --rank)
            total += std::pow(static_cast<long double>(rank), -static_cast<long double>(theta));
        return [theta, total](int64_t k) {
            return std::pow(static_cast<long double>(kKeys + 1 - k), -static_cast<long double>(theta)) / total;
        };
    }

    Mass zipf(double theta)
    {
        long double total = 0;
        for (int64_t k = kKeys; k >= 1; --k)
            total += std::pow(static_cast<long double>(k), -static_cast<long double>(theta));
        return [theta, total](int64_t k) {
            return std::pow(static_cast<long double>(k), -static_cast<long double>(theta)) / total;
        };
    }

    // hot_fraction 10%, hot_ops 90%, at start: keys 1..100 share 90%, the other 900 keys 10%.
    Mass hotspotAtStart()
    {
        return [](int64_t k) { return k <= 100 ? 0.9L / 100 : 0.1L / 900; };
    }

    std::vector<double> shardShares(const Mass& mass, int shards, const std::function<int(int64_t)>& shardOf)
    {
        std::vector<long double> sums(static_cast<size_t>(shards), 0.0L);
        for (int64_t k = 1; k <= kKeys; ++k)
            sums[static_cast<size_t>(shardOf(k))] += mass(k);
        return { sums.begin(), sums.end() };
    }

    void expectMixture(const std::string& rule, const std::string& workloadKeys, const std::string& readLaw,
        const Mass& readMass, const Mass& otherMass, int shards, const std::function<int(int64_t)>& shardOf)
    {
        SCOPED_TRACE(rule + ": reads " + readLaw + ", others " + workloadKeys);
        const std::vector<double> reads = shardShares(readMass, shards, shardOf);
        const std::vector<double> others = shardShares(otherMass, shards, shardOf);
        const ScenarioConfig config = mustLoad(mixedScenario(rule, workloadKeys, readLaw));

        const RunResult expected = mustRun(config, EngineMode::Expected);
        ASSERT_EQ(expected.shards.size(), static_cast<size_t>(shards));
        const RunResult sampled = mustRun(config, EngineMode::Sampled);
        ASSERT_EQ(sampled.shards.size(), static_cast<size_t>(shards));
        ASSERT_GT(sampled.requests, 1.9e6);
        for (size_t s = 0; s < reads.size(); ++s) {
            const double exact = 0.7 * reads[s] + 0.3 * others[s];
            EXPECT_NEAR(expected.shards[s].share, exact, 1e-12) << "shard " << s;
            const double sigma = std::sqrt(exact * (1 - exact) / sampled.requests);
            EXPECT_NEAR(sampled.shards[s].share, exact, 4 * sigma) << "shard " << s;
        }
    }

    TEST(OperationKeys, ModSharesAreTheMixtureOfTheOperationsLaws)
    {
        const auto mod4 = [](int64_t k) { return static_cast<int>(k % 4); };
        expectMixture("mod:n=4", "uniform", "{ distribution: latest, theta: 0.99 }", latest(0.99), uniform(), 4, mod4);
        expectMixture("mod:n=4", "{ distribution: zipf, theta: 1.2 }", "uniform", uniform(), zipf(1.2), 4, mod4);
    }

    TEST(OperationKeys, RangeSharesAreTheMixtureOfTheOperationsLaws)
    {
        // range:bounds=100|500: keys 1..99, 100..499 and 500..1000.
        const auto range = [](int64_t k) { return k < 100 ? 0 : k < 500 ? 1 : 2; };
        expectMixture("range:bounds=100|500", "{ distribution: zipf, theta: 0.99 }",
            "{ distribution: hotspot, hot_fraction: 10%, hot_ops: 90% }", hotspotAtStart(), zipf(0.99), 3, range);
        expectMixture("range:bounds=100|500", "uniform", "latest", latest(0.99), uniform(), 3, range);
    }

    // Without key_distribution the operation draws by workload.keys: the same shares as a mix of one operation.
    TEST(OperationKeys, AnOperationWithoutItsOwnLawKeepsWorkloadKeys)
    {
        const auto mod4 = [](int64_t k) { return static_cast<int>(k % 4); };
        expectMixture("mod:n=4", "{ distribution: zipf, theta: 0.99 }", "{ distribution: zipf, theta: 0.99 }",
            zipf(0.99), zipf(0.99), 4, mod4);
    }

    // A two-key transaction commits with 2PC when its keys land on two shards: 1 - sum_s p_s^2 of its own law.
    TEST(OperationKeys, FanOutFollowsTheOperationsOwnLaw)
    {
        const std::string text
            = "name: pairs\nseed: 5\nduration: 10s\ntick: 1s\n"
              "cluster: { nodes: 3, node: { max_qps: 1T } }\n"
              "data:\n  tables:\n    - { name: t_order, key: order_id, rows: 1000 }\n"
              "sharding: { rule: \"range:bounds=100|500\" }\nworkload:\n  rate: 200K/s\n  mix:\n"
              "    - { op: hot_pair, kind: transaction, table: t_order, keys: 2, weight: 1,\n"
              "        key_distribution: { distribution: hotspot, hot_fraction: 10%, hot_ops: 90% } }\n"
              "    - { op: pair, kind: transaction, table: t_order, keys: 2, weight: 1 }\n";
        const auto range = [](int64_t k) { return k < 100 ? 0 : k < 500 ? 1 : 2; };
        const auto crossShard = [&](const Mass& mass) {
            double same = 0;
            for (double p : shardShares(mass, 3, range))
                same += p * p;
            return 1 - same;
        };
        const ScenarioConfig config = mustLoad(text);
        for (EngineMode engine : { EngineMode::Expected, EngineMode::Sampled }) {
            const RunResult result = mustRun(config, engine);
            ASSERT_EQ(result.queries.size(), 2u);
            const double tolerance = engine == EngineMode::Expected ? 1e-12 : 5e-3;
            EXPECT_NEAR(result.queries[0].crossShardFraction, crossShard(hotspotAtStart()), tolerance);
            EXPECT_NEAR(result.queries[1].crossShardFraction, crossShard(uniform()), tolerance);
        }
    }

    TEST(OperationKeys, SameSeedSameRun)
    {
        const ScenarioConfig config = mustLoad(mixedScenario("mod:n=4", "uniform", "latest"));
        const RunResult first = mustRun(config, EngineMode::Sampled);
        const RunResult second = mustRun(config, EngineMode::Sampled);
        ASSERT_EQ(first.shards.size(), second.shards.size());
        for (size_t s = 0; s < first.shards.size(); ++s)
            EXPECT_EQ(first.shards[s].requests, second.shards[s].requests);
    }

    TEST(OperationKeys, DescribeAndRunNameTheOperationsLaw)
    {
        const ScenarioConfig config
            = mustLoad(mixedScenario("mod:n=4", "uniform", "{ distribution: latest, theta: 1.2 }"));
        const std::string outline = formatOutline(outlineScenario(config));
        EXPECT_NE(outline.find("70%  point on t_order by order_id, keys latest theta 1.2"), std::string::npos)
            << outline;
        const RunResult result = mustRun(config, EngineMode::Expected);
        ASSERT_EQ(result.queries.size(), 2u);
        EXPECT_EQ(result.queries[0].keys, "latest theta 1.2");
        EXPECT_EQ(result.queries[1].keys, "");
        const std::string json = summaryJson(result).dump();
        EXPECT_NE(json.find("\"keys\":\"latest theta 1.2\""), std::string::npos);
        EXPECT_EQ(json.find("\"keys\""), json.rfind("\"keys\"")); // only the operation with its own law
    }

    std::string firstError(const std::string& mixEntry)
    {
        const std::string text = "name: bad law\nduration: 1h\ncluster: { nodes: 4 }\n"
                                 "data:\n  tables:\n    - { name: t_order, key: order_id, rows: 1M }\n"
                                 "    - { name: t_region, key: region_id, rows: 10, broadcast: true }\n"
                                 "sharding: { rule: \"mod:n=4\" }\nworkload:\n  rate: 1K/s\n  mix:\n"
                                 "    - { op: get, kind: point, table: t_order }\n"
            + mixEntry + "\n";
        ScenarioLoad load = loadScenarioText(text, "bad.yaml", "");
        EXPECT_FALSE(load.ok());
        return load.errorText();
    }

    TEST(OperationKeys, ScenarioErrorsNameTheFieldAndItsPlace)
    {
        EXPECT_EQ(firstError("    - { op: recent, kind: point, table: t_order, key_distribution: latst }"),
            "bad.yaml:13:68: error: workload.mix[1].key_distribution: unknown key distribution 'latst'; did you mean "
            "'latest'? (expected uniform | zipf | scrambled-zipf | hotspot | latest | trace | sample | recent)\n");
        EXPECT_EQ(firstError("    - { op: add, kind: insert, table: t_order, key_distribution: latest }"),
            "bad.yaml:13:66: error: workload.mix[1].key_distribution: add has no key law: an insert writes the next "
            "ids of its table's id scheme and draws no keys\n");
        EXPECT_EQ(firstError("    - { op: list, kind: page, table: t_order, key_distribution: zipf }"),
            "bad.yaml:13:65: error: workload.mix[1].key_distribution: list has no key law: a page without 'by' asks "
            "every shard and draws no keys\n");
        EXPECT_EQ(firstError("    - { op: regions, kind: point, table: t_region, key_distribution: zipf }"),
            "bad.yaml:13:70: error: workload.mix[1].key_distribution: regions has no key law: its tables are "
            "broadcast: every call reads one whole copy and draws no keys\n");
        EXPECT_EQ(firstError("    - { op: replay, kind: point, table: t_order, key_distribution: { distribution: "
                             "trace, file: t.csv } }"),
            "bad.yaml:13:84: error: workload.mix[1].key_distribution.distribution: a trace replays every operation's "
            "requests as recorded; give it as workload.keys, not on one operation\n");
        EXPECT_EQ(firstError("    - { op: recent, kind: point, table: t_order, key_distribution: { distribution: "
                             "latest, theta: -1 } }"),
            "bad.yaml:13:99: error: workload.mix[1].key_distribution.theta: must be at least 0 (got -1)\n");
    }

    // A trace replays every operation's keys as recorded, so an operation's own law would never be used.
    TEST(OperationKeys, ATraceLeavesNoOperationItsOwnLaw)
    {
        const std::string directory = std::string(SHARDSIM_TEST_DATA) + "/scenarios/valid";
        std::string text = readScenarioFileText(directory + "/trace-replay.yaml").text;
        const std::string get = "table: t_user }";
        ASSERT_NE(text.find(get), std::string::npos);
        text.replace(text.find(get), get.size(), "table: t_user, key_distribution: zipf }");
        ScenarioLoad load = loadScenarioText(text, "trace.yaml", directory);
        EXPECT_EQ(load.errorText(),
            "trace.yaml:14:64: error: workload.mix[0].key_distribution: workload.keys replays a trace, which records "
            "the keys of every operation; an operation's own law would never be used\n");
    }

    TEST(OperationKeys, DurationsInPartsAreReadWhereverADurationIs)
    {
        const ScenarioConfig config = mustLoad("name: parts\nduration: 1h30m\ntick: 1m30s\ncluster: { nodes: 4 }\n"
                                               "data:\n  tables:\n    - { name: t_order, key: order_id, rows: 1M }\n"
                                               "sharding: { rule: \"mod:n=4\" }\nworkload:\n  rate: 1K/s\n"
                                               "events:\n  - { at: 1h0m30s, add_nodes: 1 }\n");
        EXPECT_EQ(config.duration, 5400);
        EXPECT_EQ(config.tick, 90);
        ASSERT_EQ(config.events.size(), 1u);
        EXPECT_EQ(config.events[0].at, 3630);
        ScenarioLoad bad = loadScenarioText("name: parts\nduration: 1h30\ncluster: { nodes: 4 }\n"
                                            "data:\n  tables:\n    - { name: t_order, key: order_id, rows: 1M }\n"
                                            "sharding: { rule: \"mod:n=4\" }\nworkload:\n  rate: 1K/s\n",
            "parts.yaml", "");
        EXPECT_EQ(bad.errorText(),
            "parts.yaml:2:11: error: duration: missing unit after '30' in '1h30'; write every part with its unit, "
            "like 1h30m\n");
    }

} // namespace
} // namespace shardsim
