// `shardsim-cli analyze`: candidate shard keys judged as MongoDB's analyzeShardKey does, with references worked out
// here from the scenario by hand.

#include <cmath>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace {

const std::string kKeys = SHARDSIM_TEST_DATA "/scenarios/valid/analyze-keys.yaml";

nlohmann::json analyzeJson(std::vector<std::string> args)
{
    args.insert(args.begin(), { "analyze", kKeys });
    args.insert(args.end(), { "--format", "json" });
    const CliResult result = runCli(args);
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return nlohmann::json::parse(result.out);
}

void expectShares(const nlohmann::json& side, double single, double multi, double scatter)
{
    EXPECT_NEAR(side["single_shard"].get<double>(), single, 1e-9);
    EXPECT_NEAR(side["multi_shard"].get<double>(), multi, 1e-9);
    EXPECT_NEAR(side["scatter_gather"].get<double>(), scatter, 1e-9);
}

TEST(AnalyzeCli, SequentialIdOnRangesIsMonotonicAndLoadsTheLastRange)
{
    const auto json = analyzeJson({});
    EXPECT_EQ(json["table"], "t_order");
    ASSERT_EQ(json["candidates"].size(), 1u);
    const auto& c = json["candidates"][0];
    EXPECT_EQ(c["key"], "id");
    EXPECT_EQ(c["rule"], "range:bounds=250K|500K|750K");
    EXPECT_EQ(c["cardinality"], 1'000'000);
    // Uniform keys: every value is drawn with frequency 1/rows.
    ASSERT_EQ(c["most_common"].size(), 5u);
    EXPECT_NEAR(c["most_common"][0]["frequency"].get<double>(), 1e-6, 1e-15);
    // Sequential ids are the insertion order itself.
    EXPECT_NEAR(c["monotonicity"]["coefficient"].get<double>(), 1, 1e-9);
    EXPECT_EQ(c["monotonicity"]["type"], "monotonic");
    // Reads: get_order (6) by the key, by_user (2) by another column; writes: place_order only.
    expectShares(c["reads"], 0.75, 0, 0.25);
    expectShares(c["writes"], 1, 0, 0);
    // Keys 1..1M over [.., 250K) [250K, 500K) [500K, 750K) [750K, ..): the last range holds 250,001 keys and takes
    // every insert (key 1,000,001); by_user asks all four shards. Shard requests per 10 calls: 6 + 2 x 4 + 2.
    const double last = 6 * 250'001.0 / 1e6 + 2 + 2;
    EXPECT_NEAR(c["hottest_shard_share"].get<double>(), last / 16, 1e-9);
    EXPECT_NE(c["verdict"].get<std::string>().find("monotonic: every insert lands on the last range (shard 3)"),
        std::string::npos)
        << c["verdict"];
}

TEST(AnalyzeCli, UuidKeyHashedIsNotMonotonicAndEven)
{
    const auto json = analyzeJson({ "--table", "t_ticket", "--rule", "hash-mod:n=4" });
    const auto& c = json["candidates"][0];
    EXPECT_EQ(c["cardinality"], 1'000'000);
    // 4,096 random ids against their order: r is about N(0, 1/64).
    EXPECT_LT(std::abs(c["monotonicity"]["coefficient"].get<double>()), 0.1);
    EXPECT_EQ(c["monotonicity"]["type"], "not monotonic");
    expectShares(c["reads"], 0.75, 0, 0.25); // get_ticket (6) on one shard, count (2) on every shard
    expectShares(c["writes"], 1, 0, 0);
    // A million hashed keys on 4 shards: each share is 1/4 within a few 1/sqrt(1M).
    EXPECT_NEAR(c["hottest_shard_share"].get<double>(), 0.25, 0.005);
    EXPECT_EQ(c["verdict"].get<std::string>().rfind("good: ", 0), 0u) << c["verdict"];
}

TEST(AnalyzeCli, ThreeTenantsOnFourShardsIsLowCardinality)
{
    const auto json = analyzeJson({ "--table", "t_tenant", "--rule", "mod:n=4" });
    const auto& c = json["candidates"][0];
    EXPECT_EQ(c["cardinality"], 3);
    ASSERT_EQ(c["most_common"].size(), 3u);
    for (const auto& value : c["most_common"])
        EXPECT_NEAR(value["frequency"].get<double>(), 1.0 / 3, 1e-9);
    EXPECT_EQ(c["most_common"][0]["value"], "1");
    // Keys 1, 2, 3 mod 4: shards 1, 2 and 3 take a third each, shard 0 nothing.
    EXPECT_NEAR(c["hottest_shard_share"].get<double>(), 1.0 / 3, 1e-9);
    EXPECT_NE(
        c["verdict"].get<std::string>().find("low cardinality: 3 distinct values for 4 shards"), std::string::npos)
        << c["verdict"];
}

TEST(AnalyzeCli, EveryKeyWithEveryRuleInTheOrderGiven)
{
    const auto json = analyzeJson(
        { "--key", "user_id", "--key", "created_at", "--rule", "mod:n=4", "--rule", "range:bounds=250K|500K|750K" });
    ASSERT_EQ(json["candidates"].size(), 4u);
    EXPECT_EQ(json["candidates"][0]["key"], "user_id");
    EXPECT_EQ(json["candidates"][0]["rule"], "mod:n=4");
    EXPECT_EQ(json["candidates"][1]["rule"], "range:bounds=250K|500K|750K");
    EXPECT_EQ(json["candidates"][3]["key"], "created_at");
    // By user_id: get_order (by id) now scatters, by_user finds one shard.
    expectShares(json["candidates"][0]["reads"], 0.25, 0, 0.75);
    EXPECT_EQ(json["candidates"][0]["monotonicity"]["type"], "not monotonic");
    EXPECT_EQ(json["candidates"][3]["monotonicity"]["type"], "monotonic");
    EXPECT_NEAR(json["candidates"][3]["monotonicity"]["coefficient"].get<double>(), 1, 1e-9);
}

TEST(AnalyzeCli, LookupsAndMultiKeyTransactionsCountAsTheRunCountsThem)
{
    const CliResult result = runCli(
        { "analyze", SHARDSIM_TEST_DATA "/scenarios/valid/queries-8-shards.yaml", "--key", "uid", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto c = nlohmann::json::parse(result.out)["candidates"][0];
    // Reads on t_user's keys weigh 20: get_user (10), login (mapping table, then one shard), by_nickname (gene),
    // my_orders, user_orders and with_region (bound or broadcast sides) find one shard; by_email, report,
    // deep_pages, product_join (t_product is not bound) and count_orders ask every shard.
    expectShares(c["reads"], 15.0 / 20, 0, 5.0 / 20);
    // Writes: transfer (2 keys on 8 shards: apart with probability 7/8), place_order (bound), sign_up.
    expectShares(c["writes"], (3 - 7.0 / 8) / 3, 7.0 / 8 / 3, 0);
}

TEST(AnalyzeCli, ZipfKeysMostCommonAreItsTopRanks)
{
    const auto json = analyzeJson({ "--set", "workload.keys.distribution=zipf" });
    const auto& common = json["candidates"][0]["most_common"];
    ASSERT_EQ(common.size(), 5u);
    // Zipf with theta 0.99 over 1M keys: key k is drawn with k^-0.99 / H, H = sum of j^-0.99 for j = 1..1M.
    double h = 0;
    for (int j = 1; j <= 1'000'000; ++j)
        h += std::pow(j, -0.99);
    for (int k = 1; k <= 5; ++k) {
        EXPECT_EQ(common[k - 1]["value"], std::to_string(k));
        EXPECT_NEAR(common[k - 1]["frequency"].get<double>(), std::pow(k, -0.99) / h, 1e-9);
    }
}

TEST(AnalyzeCli, TextNamesTheCandidateAndTheVerdict)
{
    const CliResult result = runCli({ "analyze", kKeys });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("t_order.id under range:bounds=250K|500K|750K (4 shards)"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("r = 1.000, monotonic"), std::string::npos) << result.out;
    EXPECT_NE(
        result.out.find("reads            75% single-shard, 0% multi-shard, 25% scatter-gather"), std::string::npos)
        << result.out;
}

TEST(AnalyzeCli, UnknownColumnIsAnErrorThatSuggests)
{
    const CliResult result = runCli({ "analyze", kKeys, "--key", "user" });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("--key: t_order has no column 'user'"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("user_id"), std::string::npos) << result.err;
}

} // namespace
