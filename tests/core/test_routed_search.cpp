// A search by a routing value on Elasticsearch's partitioned index visits the shards of hash + j for j below
// partition_size (IndexRouting.collectSearchShards), while a get by _id and routing touches one shard. Checked on
// the rule against a reference computed here, and in both engines' fan-out.

#include <gtest/gtest.h>

#include <cmath>
#include <fmt/format.h>
#include <string>
#include <vector>

#include "engine_test_support.h"
#include "rules/systems/elasticsearch.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    using namespace shardsim::testing;

    // OperationRouting.searchShards: the shard of hash + j (Java int arithmetic) for j < partition, as
    // floorMod(h, R) / (R / N), each shard once, in the order reached.
    std::vector<int> referenceSearchShards(int32_t hash, int shards, int routingShards, int partition)
    {
        std::vector<int> out;
        for (int j = 0; j < partition; ++j) {
            const auto h
                = static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(hash) + static_cast<uint32_t>(j)));
            const int64_t r = ((h % routingShards) + routingShards) % routingShards;
            const int shard = static_cast<int>(r / (routingShards / shards));
            if (std::find(out.begin(), out.end(), shard) == out.end())
                out.push_back(shard);
        }
        return out;
    }

    std::vector<int> referenceSearchShards(const std::string& routing, int shards, int routingShards, int partition)
    {
        return referenceSearchShards(rules::systems::elasticsearchHash(routing), shards, routingShards, partition);
    }

    std::vector<int> ruleSearchShards(const ShardRule& rule, int64_t key)
    {
        std::vector<int> shards(static_cast<size_t>(rule.searchSpread()));
        shards.resize(static_cast<size_t>(rule.searchShardsOfInteger(key, shards)));
        return shards;
    }

    ShardRulePtr mustMake(const std::string& spec)
    {
        auto rule = makeRule(spec);
        EXPECT_TRUE(rule.ok()) << spec << ": " << (rule.ok() ? "" : rule.error());
        return rule.ok() ? *rule : nullptr;
    }

    struct Partitioned {
        std::string spec;
        int shards;
        int routingShards;
        int partition;
    };

    TEST(RoutedSearch, RuleVisitsTheShardsOfHashPlusJ)
    {
        const Partitioned cases[] = {
            { "elasticsearch:shards=6,routing_shards=6,partition_size=3", 6, 6, 3 },
            { "elasticsearch:shards=6,partition_size=3", 6, 768, 3 },
            { "elasticsearch:shards=5,version=9.4,partition_size=2", 5, 5, 2 },
            { "elasticsearch:shards=4,routing_shards=8,partition_size=3", 4, 8, 3 },
            { "elasticsearch:shards=3,routing_shards=6,partition_size=5", 3, 6, 5 },
        };
        for (const Partitioned& c : cases) {
            const ShardRulePtr rule = mustMake(c.spec);
            ASSERT_NE(rule, nullptr);
            EXPECT_EQ(rule->searchSpread(), std::min(c.partition, c.shards)) << c.spec;
            for (int64_t key = -20; key <= 300; ++key) {
                if (key == 0)
                    continue;
                EXPECT_EQ(ruleSearchShards(*rule, key),
                    referenceSearchShards(std::to_string(key), c.shards, c.routingShards, c.partition))
                    << c.spec << " key " << key;
            }
        }
    }

    TEST(RoutedSearch, SpreadHashesVisitAsEveryRoutingShardDoes)
    {
        // Evenly spread hashes: every routing shard r = 0 .. R - 1 alike, each visiting what the reference says.
        const Partitioned cases[] = {
            { "elasticsearch:shards=6,routing_shards=6,partition_size=3", 6, 6, 3 },
            { "elasticsearch:shards=6,partition_size=3", 6, 768, 3 },
            { "elasticsearch:shards=4,routing_shards=8,partition_size=3", 4, 8, 3 },
            { "elasticsearch:shards=3,routing_shards=6,partition_size=5", 3, 6, 5 },
            { "elasticsearch:shards=5,routing_shards=40,partition_size=20", 5, 40, 20 },
        };
        for (const Partitioned& c : cases) {
            const ShardRulePtr rule = mustMake(c.spec);
            ASSERT_NE(rule, nullptr);
            std::vector<double> histogram(static_cast<size_t>(rule->searchSpread()) + 1, 0.0);
            std::vector<double> visited(static_cast<size_t>(c.shards), 0.0);
            for (int32_t r = 0; r < c.routingShards; ++r) {
                const std::vector<int> shards = referenceSearchShards(r, c.shards, c.routingShards, c.partition);
                histogram[shards.size()] += 1.0 / c.routingShards;
                for (int shard : shards)
                    visited[static_cast<size_t>(shard)] += 1.0 / c.routingShards;
            }
            std::vector<double> ruleHistogram(histogram.size(), 0.0);
            std::vector<double> ruleVisited(visited.size(), 0.0);
            rule->addSpreadSearches(1, ruleVisited, ruleHistogram);
            for (size_t d = 0; d < histogram.size(); ++d)
                EXPECT_NEAR(ruleHistogram[d], histogram[d], 1e-12) << c.spec << " fan-out " << d;
            for (size_t s = 0; s < visited.size(); ++s)
                EXPECT_NEAR(ruleVisited[s], visited[s], 1e-12) << c.spec << " shard " << s;
        }
    }

    TEST(RoutedSearch, DefaultRoutingShardsKeepMostSearchesOnOneShard)
    {
        // 6 shards route through 768 routing shards, 128 to a shard: hash + 0..2 nearly always stay in one block, so
        // the partition spreads a routing value over one shard (elastic/elasticsearch#48863).
        const ShardRulePtr rule = mustMake("elasticsearch:shards=6,partition_size=3");
        ASSERT_NE(rule, nullptr);
        int single = 0;
        for (int64_t key = 1; key <= 1000; ++key)
            single += ruleSearchShards(*rule, key).size() == 1 ? 1 : 0;
        EXPECT_GT(single, 950);
        EXPECT_LT(single, 1000);
    }

    TEST(RoutedSearch, UnpartitionedSearchIsTheKeysShard)
    {
        const ShardRulePtr rule = mustMake("elasticsearch:shards=6");
        ASSERT_NE(rule, nullptr);
        EXPECT_EQ(rule->searchSpread(), 1);
        for (int64_t key = 1; key <= 50; ++key)
            EXPECT_EQ(ruleSearchShards(*rule, key), std::vector<int> { rule->shardOfInteger(key) }) << key;
    }

    TEST(RoutedSearch, ExplainNamesTheShardsASearchVisits)
    {
        const ShardRulePtr rule = mustMake("elasticsearch:shards=6,routing_shards=6,partition_size=3");
        ASSERT_NE(rule, nullptr);
        Explanation steps;
        ASSERT_TRUE(rule->route(Key::int64(42), &steps).ok());
        const std::vector<int> shards = referenceSearchShards("42", 6, 6, 3);
        ASSERT_EQ(shards.size(), 3u);
        EXPECT_EQ(steps.back(),
            fmt::format("a search with routing \"42\" visits the shards of {} + j for j = 0..2: shard-{}, shard-{}, "
                        "shard-{} (3 of 6)",
                rules::systems::elasticsearchHash("42"), shards[0], shards[1], shards[2]));
    }

    // ---- The engines ----------------------------------------------------------------------------------

    // 1,000 tenants, uniform: a search by tenant (a page), an aggregate by tenant and a get by tenant and _id.
    RunResult runTenants(const std::string& rule, EngineMode engine)
    {
        const std::string text = fmt::format(R"(name: tenants
seed: 3
duration: 20s
tick: 1s
cluster:
  nodes: 6
  node: {{ max_qps: 1M }}
data:
  tables:
    - {{ name: docs, key: tenant, rows: 1000 }}
sharding:
  rule: {}
workload:
  rate: 9K/s
  keys: uniform
  mix:
    - {{ op: search, kind: page, table: docs, by: tenant, limit: 10 }}
    - {{ op: stats, kind: aggregate, table: docs, by: tenant }}
    - {{ op: get, kind: point, table: docs, by: tenant }}
)",
            rule);
        ScenarioLoad load = loadScenarioText(text, "tenants.yaml", "");
        EXPECT_TRUE(load.ok()) << load.errorText();
        RunOptions options;
        options.engine = engine;
        auto result = runSimulation(load.config.value_or(ScenarioConfig {}), options);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
        return result.ok() ? *result : RunResult {};
    }

    class RoutedSearchEngines : public ::testing::TestWithParam<EngineMode> { };

    TEST_P(RoutedSearchEngines, PartitionOfThreeSearchesThreeShardsAndGetsOne)
    {
        const RunResult result = runTenants("elasticsearch:shards=6,routing_shards=6,partition_size=3", GetParam());
        for (const char* op : { "search", "stats" }) {
            const QuerySummary& search = querySummaryOf(result, op);
            EXPECT_DOUBLE_EQ(search.meanFanout, 3) << op;
            EXPECT_EQ(search.maxFanout, 3) << op;
            EXPECT_DOUBLE_EQ(search.amplification, 3) << op;
            EXPECT_DOUBLE_EQ(search.crossShardFraction, 1) << op;
        }
        EXPECT_DOUBLE_EQ(querySummaryOf(result, "search").rowsReadPerCall, 30); // 10 hits from each of the 3 shards
        const QuerySummary& get = querySummaryOf(result, "get");
        EXPECT_DOUBLE_EQ(get.meanFanout, 1);
        EXPECT_EQ(get.maxFanout, 1);
        EXPECT_DOUBLE_EQ(get.crossShardFraction, 0);
    }

    TEST_P(RoutedSearchEngines, UnpartitionedSearchStaysOnOneShard)
    {
        const RunResult result = runTenants("elasticsearch:shards=6", GetParam());
        EXPECT_DOUBLE_EQ(querySummaryOf(result, "search").meanFanout, 1);
        EXPECT_DOUBLE_EQ(querySummaryOf(result, "search").amplification, 1);
    }

    TEST_P(RoutedSearchEngines, DefaultRoutingShardsFanOutAsTheKeysHashesSay)
    {
        // The mean over the 1,000 tenants of the shards each one's search visits, computed here.
        double reference = 0;
        for (int tenant = 1; tenant <= 1000; ++tenant)
            reference += static_cast<double>(referenceSearchShards(std::to_string(tenant), 6, 768, 3).size()) / 1000;
        ASSERT_GT(reference, 1.0);
        const RunResult result = runTenants("elasticsearch:shards=6,partition_size=3", GetParam());
        const QuerySummary& search = querySummaryOf(result, "search");
        if (GetParam() == EngineMode::Expected) {
            EXPECT_NEAR(search.meanFanout, reference, 1e-9);
        } else {
            // 60,000 searches: within 5 standard deviations of a mean of 1 or 2 shards.
            const double p = reference - 1;
            EXPECT_NEAR(search.meanFanout, reference, 5 * std::sqrt(p * (1 - p) / search.calls));
        }
    }

    INSTANTIATE_TEST_SUITE_P(BothEngines, RoutedSearchEngines,
        ::testing::Values(EngineMode::Expected, EngineMode::Sampled),
        [](const auto& info) { return info.param == EngineMode::Expected ? "Expected" : "Sampled"; });

} // namespace
} // namespace shardsim
