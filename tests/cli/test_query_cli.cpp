// Query costs as a user sees them: summary.json's queries, fanout.csv, expect: on per-operation metrics, and
// `explain`.

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "cli_runner.h"

namespace {

const std::string kQueries = SHARDSIM_TEST_DATA "/scenarios/valid/queries-8-shards.yaml";

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

nlohmann::json queryOf(const nlohmann::json& summary, const std::string& op)
{
    for (const auto& query : summary["queries"])
        if (query["op"] == op)
            return query;
    ADD_FAILURE() << "no operation " << op;
    return {};
}

class QueryCli : public ::testing::TestWithParam<std::string> { };

TEST_P(QueryCli, SummaryReportsTheTextbookCosts)
{
    const CliResult result = runCli(
        { "run", kQueries, "--engine", GetParam(), "--format", "json", "--no-history", "--set", "duration=20s" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto summary = nlohmann::json::parse(result.out);
    const auto transfer = queryOf(summary, "transfer");
    const double calls = transfer["calls"];
    EXPECT_NEAR(transfer["cross_shard_fraction"].get<double>(), 0.875, 5 * std::sqrt(0.875 * 0.125 / calls) + 1e-9);
    EXPECT_DOUBLE_EQ(queryOf(summary, "report")["rows_read_per_call"].get<double>(), 8 * 1020.0);
    EXPECT_EQ(queryOf(summary, "report")["max_fanout"], 8);
    EXPECT_NEAR(queryOf(summary, "login")["extra_lookups_per_call"].get<double>(), 1, 1e-9);
    EXPECT_NEAR(queryOf(summary, "login")["mean_fanout"].get<double>(), 1, 1e-9);
    EXPECT_NEAR(queryOf(summary, "by_nickname")["amplification"].get<double>(), 1, 1e-9);
    EXPECT_NEAR(queryOf(summary, "by_email")["mean_fanout"].get<double>(), 8, 1e-9);
    EXPECT_NEAR(queryOf(summary, "with_region")["mean_fanout"].get<double>(), 1, 1e-9);
    EXPECT_NEAR(queryOf(summary, "count_orders")["mean_fanout"].get<double>(), 8, 1e-9);
    EXPECT_EQ(queryOf(summary, "count_orders")["fanout_histogram"].size(), 9u);
    EXPECT_GT(summary["requests"].get<double>(), 2 * summary["client_requests"].get<double>());
}

INSTANTIATE_TEST_SUITE_P(BothEngines, QueryCli, ::testing::Values("expected", "sampled"));

TEST(QueryCliOutputs, RunOutWritesFanoutCsvPerTickAndOperation)
{
    const auto dir = std::filesystem::temp_directory_path() / ("shardsim-cli-fanout-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    const CliResult result = runCli(
        { "run", kQueries, "--engine", "expected", "--out", dir.string(), "--no-history", "--set", "duration=3s" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    std::istringstream csv(readFile(dir / "fanout.csv"));
    std::string line;
    std::getline(csv, line);
    EXPECT_EQ(line, "tick,ticks,op,calls,shard_requests,mean_fanout,rows_read,lookups,cross_shard_fraction");
    int rows = 0;
    bool sawReport = false;
    while (std::getline(csv, line)) {
        ++rows;
        if (line.rfind("1,1,report,", 0) == 0) {
            sawReport = true;
            // 20K/s x 1/24 of the mix = 833.3 calls, each 8 shard requests of 1020 rows.
            double calls = 0, requests = 0, fanout = 0, rowsRead = 0, lookups = 0, cross = 0;
            ASSERT_EQ(std::sscanf(line.c_str(), "1,1,report,%lf,%lf,%lf,%lf,%lf,%lf", &calls, &requests, &fanout,
                          &rowsRead, &lookups, &cross),
                6)
                << line;
            EXPECT_NEAR(calls, 20'000.0 / 24, 1e-6);
            EXPECT_NEAR(requests, 8 * calls, 1e-6);
            EXPECT_NEAR(fanout, 8, 1e-9);
            EXPECT_NEAR(rowsRead, 8 * 1020 * calls, 1e-3);
            EXPECT_EQ(lookups, 0);
            EXPECT_NEAR(cross, 1, 1e-9);
        }
    }
    EXPECT_EQ(rows, 3 * 15);
    EXPECT_TRUE(sawReport);
    std::filesystem::remove_all(dir);
}

TEST(QueryCliOutputs, ExpectationsOnOperationMetrics)
{
    const auto dir = std::filesystem::temp_directory_path() / ("shardsim-cli-qexpect-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    std::string text = readFile(kQueries);
    text += "expect:\n  - { metric: queries.transfer.cross_shard_fraction, equals: 0.875 }\n"
            "  - { metric: queries.report.rows_read_per_call, equals: 8160 }\n"
            "  - { metric: transactions.cross_shard_fraction, at_most: 0.5 }\n";
    std::ofstream(dir / "q.yaml") << text;
    const CliResult result
        = runCli({ "run", (dir / "q.yaml").string(), "--engine", "expected", "--no-history", "--set", "duration=3s" });
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("ok    queries.transfer.cross_shard_fraction"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("ok    queries.report.rows_read_per_call"), std::string::npos) << result.out;
    // transfer (7/8) and place_order (0) in equal numbers: 7/16 of the transactions use 2PC.
    EXPECT_NE(result.out.find("ok    transactions.cross_shard_fraction"), std::string::npos) << result.out;

    std::ofstream(dir / "bad.yaml") << readFile(kQueries)
                                    << "expect:\n  - { metric: queries.transfr.mean_fanout, at_most: 2 }\n";
    const CliResult bad = runCli({ "validate", (dir / "bad.yaml").string() });
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.out.find("no operation named 'transfr' in workload.mix; did you mean 'transfer'?"), std::string::npos)
        << bad.out;
    std::filesystem::remove_all(dir);
}

TEST(QueryCliExplain, DeepPageOnEveryShard)
{
    const CliResult result = runCli({ "explain", kQueries, "--op", "report" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("every shard returns offset + limit rows"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("the router merges 8 x 1020 = 8160 rows and returns 20"), std::string::npos);
    EXPECT_NE(result.out.find("fan-out 8 shards, 8 shard requests, 0 lookups, 8160 rows read"), std::string::npos);
}

TEST(QueryCliExplain, TransactionKeysDecideTwoPhaseCommit)
{
    const CliResult apart
        = runCli({ "explain", kQueries, "--op", "transfer", "--key", "3", "--key", "12", "--format", "json" });
    ASSERT_EQ(apart.exitCode, 0) << apart.err;
    const auto json = nlohmann::json::parse(apart.out);
    EXPECT_EQ(json["fanout"], 2);
    EXPECT_EQ(json["two_phase"], true);
    EXPECT_EQ(json["shard_requests"], 4); // two writes, two prepares
    const CliResult together = runCli({ "explain", kQueries, "--op", "transfer", "--key", "3", "--key", "11" });
    EXPECT_NE(together.out.find("one database: a local commit, no 2PC"), std::string::npos) << together.out;
}

TEST(QueryCliExplain, LookupRemedies)
{
    const CliResult login = runCli({ "explain", kQueries, "--op", "login", "--key", "42" });
    EXPECT_NE(login.out.find("lookup   t_user_login_name_map"), std::string::npos) << login.out;
    EXPECT_NE(login.out.find("fan-out 1 shard, 2 shard requests, 1 lookup"), std::string::npos) << login.out;
    const CliResult gene = runCli({ "explain", kQueries, "--op", "by_nickname", "--key", "42" });
    EXPECT_NE(gene.out.find("with no lookup"), std::string::npos) << gene.out;
    EXPECT_NE(gene.out.find("fan-out 1 shard, 1 shard request, 0 lookups"), std::string::npos) << gene.out;
    const CliResult scatter = runCli({ "explain", kQueries, "--op", "by_email" });
    EXPECT_NE(scatter.out.find("fan-out 8 shards"), std::string::npos) << scatter.out;
}

TEST(QueryCliExplain, UnknownOperationIsAUsageError)
{
    const CliResult result = runCli({ "explain", kQueries, "--op", "transfr" });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(
        result.err.find("no operation named 'transfr' in workload.mix; did you mean 'transfer'?"), std::string::npos)
        << result.err;
}

} // namespace
