#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.h"

namespace {
std::vector<nlohmann::json> jsonLines(const std::string& text)
{
    std::vector<nlohmann::json> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(nlohmann::json::parse(line));
    return lines;
}
}

TEST(RouteCli, TheTwoLevelFormulaFromTheSources)
{
    // uid 9527 with TBL_NUM=10, DB_NUM=8: db = 9527 / 10 % 8 + 1 = 1, table = 9527 % 10 = 7.
    const CliResult result = runCli({ "route", "--rule", "db-table:dbs=8,tables=10", "9527" });
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(result.out, "9527 -> db1.t_7 (node node-1)\n");
}

TEST(RouteCli, JsonHasIndexShardDbAndTable)
{
    const CliResult result = runCli({ "route", "--rule", "db-table:dbs=8,tables=10", "--format", "json", "9527", "10" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto lines = jsonLines(result.out);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0]["key"], 9527);
    EXPECT_EQ(lines[0]["shard"], "db1.t_7");
    EXPECT_EQ(lines[0]["db"], 1);
    EXPECT_EQ(lines[0]["table"], 7);
    EXPECT_TRUE(lines[0]["index"].is_number_integer());
    EXPECT_EQ(lines[1]["db"], 2);
    EXPECT_EQ(lines[1]["table"], 0);
}

TEST(RouteCli, ExplainShowsTheArithmetic)
{
    const CliResult result = runCli({ "route", "--rule", "db-table:dbs=8,tables=10", "--explain", "9527" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("9527 / 10"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("9527 % 10"), std::string::npos) << result.out;
}

TEST(RouteCli, DoubleDashLetsNegativeKeysThrough)
{
    const CliResult result = runCli({ "route", "--rule", "mod:n=4", "--format", "json", "--", "-5", "7" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto lines = jsonLines(result.out);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0]["key"], -5);
    EXPECT_EQ(lines[1]["index"], 3);
}

TEST(RouteCli, NodesOptionFoldsDatabasesOntoFewerNodes)
{
    const CliResult result = runCli({ "route", "--rule", "mod:n=8", "--nodes", "2", "--format", "json", "5" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(jsonLines(result.out)[0]["node"], "node-2");
}

TEST(RouteCli, BadRuleIsAUsageErrorWithASuggestion)
{
    const CliResult result = runCli({ "route", "--rule", "jmup:buckets=4", "1" });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("did you mean 'jump'"), std::string::npos) << result.err;
}

TEST(RouteCli, UsageErrorsExitTwoWithAHint)
{
    const CliResult missingRule = runCli({ "route", "1" });
    EXPECT_EQ(missingRule.exitCode, 2);
    EXPECT_NE(missingRule.err.find("--help"), std::string::npos) << missingRule.err;

    const CliResult unknownCommand = runCli({ "rout" });
    EXPECT_EQ(unknownCommand.exitCode, 2);

    const CliResult stringForMod = runCli({ "route", "--rule", "mod:n=4", "alice" });
    EXPECT_EQ(stringForMod.exitCode, 2);
    EXPECT_NE(stringForMod.err.find("alice"), std::string::npos) << stringForMod.err;
}

TEST(RouteCli, HelpListsEveryRule)
{
    const CliResult result = runCli({ "route", "--help" });
    EXPECT_EQ(result.exitCode, 0);
    for (const char* rule : { "mod:", "hash-mod:", "range:", "range-mod:", "geo:", "directory:", "db-table:", "ring:",
             "jump:", "rendezvous:", "maglev:", "bounded:", "vitess-hash:", "vitess-xxhash:", "vitess-numeric:",
             "murmur3:", "mongo-hashed:", "auto-range:" })
        EXPECT_NE(result.out.find(rule), std::string::npos) << rule;
}
