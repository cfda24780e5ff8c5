// The choosing-a-shard-key lesson walks through `shardsim-cli analyze` on its own file: its candidates are pinned by
// a golden beside the lesson (SHARDSIM_UPDATE_GOLDEN=1 rewrites it), and the numbers its text quotes are checked
// here against references worked out by hand.

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.h"

namespace {

const std::string kLesson = SHARDSIM_SCENARIOS "/ids/choosing-a-shard-key.yaml";
const std::string kGolden = SHARDSIM_SCENARIOS "/ids/choosing-a-shard-key.analyze.golden.json";
const std::string kRange = "range:bounds=1M|2M|3M|4M|5M|6M|7M";
const std::string kHashed = "hash-mod:n=8,hash=java"; // the canonical spec of hash-mod:n=8

// In the command's own field order, as the golden keeps it.
nlohmann::ordered_json lessonAnalysis()
{
    const CliResult result = runCli({ "analyze", kLesson, "--key", "order_id", "--key", "user_id", "--key", "status",
        "--key", "created_at", "--rule", kRange, "--rule", "hash-mod:n=8", "--format", "json" });
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return result.exitCode == 0 ? nlohmann::ordered_json::parse(result.out) : nlohmann::ordered_json {};
}

const nlohmann::ordered_json& candidate(
    const nlohmann::ordered_json& analysis, const std::string& key, const std::string& rule)
{
    for (const auto& c : analysis["candidates"])
        if (c["key"] == key && c["rule"] == rule)
            return c;
    static const nlohmann::ordered_json none;
    ADD_FAILURE() << "no candidate " << key << " under " << rule;
    return none;
}

TEST(AnalyzeLessonCli, TheLessonsCandidatesMatchTheirGolden)
{
    const nlohmann::ordered_json now = lessonAnalysis();
    if (std::getenv("SHARDSIM_UPDATE_GOLDEN")) {
        std::ofstream(kGolden) << now.dump(2) << '\n';
        GTEST_SKIP() << "rewrote " << kGolden;
    }
    std::ifstream in(kGolden);
    ASSERT_TRUE(in) << kGolden << " is missing; SHARDSIM_UPDATE_GOLDEN=1 writes it";
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(nlohmann::ordered_json::parse(text.str()), now) << "now:\n" << now.dump(2);
}

TEST(AnalyzeLessonCli, TheNumbersTheLessonQuotes)
{
    const nlohmann::ordered_json analysis = lessonAnalysis();
    ASSERT_EQ(analysis["candidates"].size(), 8u);
    // Reads are my_orders (5, by user_id) and get_order (3, by order_id); the only write is place_order.
    const auto& orderRange = candidate(analysis, "order_id", kRange);
    EXPECT_EQ(orderRange["monotonicity"]["type"], "monotonic");
    EXPECT_NEAR(orderRange["reads"]["scatter_gather"].get<double>(), 5.0 / 8, 1e-12);
    EXPECT_NEAR(orderRange["writes"]["single_shard"].get<double>(), 1, 1e-12);
    // node-8 ([7M, inf): 1,000,001 of the 8M ids) per 10 calls: 3 x 1,000,001/8M + 5 scatters + 2 inserts, of 45.
    EXPECT_NEAR(orderRange["hottest_shard_share"].get<double>(), (3 * 1'000'001.0 / 8e6 + 5 + 2) / 45, 1e-12);
    const std::string verdict = orderRange["verdict"];
    EXPECT_NE(verdict.find("monotonic: every insert lands on the last range (shard 7)"), std::string::npos) << verdict;
    EXPECT_NE(verdict.find("62.5% of the reads name no shard key"), std::string::npos) << verdict;

    // Hashed, order_id spreads its inserts; its reads scatter all the same.
    const auto& orderHashed = candidate(analysis, "order_id", kHashed);
    EXPECT_EQ(orderHashed["verdict"].get<std::string>().find("monotonic:"), std::string::npos);
    EXPECT_NEAR(orderHashed["reads"]["scatter_gather"].get<double>(), 5.0 / 8, 1e-12);

    // user_id hashed: my_orders on one shard, get_order everywhere; 8M values hashed onto 8 shards, 1/8 each within
    // a few 1/sqrt(1M).
    const auto& userHashed = candidate(analysis, "user_id", kHashed);
    EXPECT_NEAR(userHashed["reads"]["single_shard"].get<double>(), 5.0 / 8, 1e-12);
    EXPECT_NEAR(userHashed["reads"]["scatter_gather"].get<double>(), 3.0 / 8, 1e-12);
    EXPECT_NEAR(userHashed["hottest_shard_share"].get<double>(), 0.125, 0.002);
    EXPECT_EQ(userHashed["verdict"].get<std::string>().rfind("good: 8000000 distinct values, 62.5% of reads", 0), 0u)
        << userHashed["verdict"];

    // status: five values for eight shards, whatever the rule.
    for (const std::string& rule : { kRange, kHashed }) {
        const auto& status = candidate(analysis, "status", rule);
        EXPECT_EQ(status["cardinality"], 5);
        EXPECT_NE(status["verdict"].get<std::string>().find(
                      "low cardinality: 5 distinct values for 8 shards, so at most 5 shards hold data"),
            std::string::npos)
            << status["verdict"];
    }

    // created_at reads as insert times: 8M rows at 1M/day, row 1 went in (8M - 1) x 86.4 ms = 691,199.9136 s before.
    EXPECT_EQ(candidate(analysis, "created_at", kRange)["most_common"][0]["value"], "7d23h59m59.914s before the start");
}

} // namespace
