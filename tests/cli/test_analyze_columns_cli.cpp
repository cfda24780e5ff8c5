// `analyze` on columns the scenario describes: a column's stated number of distinct values (`values:`), its errors
// at their place, and a time column's values read as insert times.

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "cli_runner.h"

namespace {

// A t_order of 1M rows on 4 nodes with the columns given (YAML, one mapping line).
std::string writeScenario(const std::string& name, const std::string& columns, const std::string& table = {})
{
    const auto path = std::filesystem::temp_directory_path()
        / ("shardsim-analyze-" + std::to_string(getpid()) + "-" + name + ".yaml");
    std::ofstream(path) << "name: " << name << R"(
duration: 10s
cluster: { nodes: 4 }
data:
  tables:
    - name: t_order
      rows: 1M
      growth: 1M/day
)" << table
                        << "      columns: " << columns << R"(
sharding: { rule: "mod:n=4" }
workload:
  rate: 1K/s
  keys: uniform
  mix:
    - { op: get_order, kind: point, table: t_order, weight: 3 }
    - { op: by_status, kind: point, table: t_order, by: status, weight: 1 }
)";
    return path.string();
}

nlohmann::json candidate(const std::string& file, const std::string& key)
{
    const CliResult result = runCli({ "analyze", file, "--key", key, "--format", "json" });
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return result.exitCode == 0 ? nlohmann::json::parse(result.out)["candidates"][0] : nlohmann::json {};
}

TEST(AnalyzeColumnsCli, StatedValuesAreTheCardinalityAndFewerThanShardsLeaveShardsEmpty)
{
    const std::string file = writeScenario("status-values", "{ status: { kind: indexed, values: 3 }, note: plain }");
    const auto status = candidate(file, "status");
    EXPECT_EQ(status["cardinality"], 3);
    // Three values drawn evenly: a third each, named as values, not keys.
    ASSERT_EQ(status["most_common"].size(), 3u);
    EXPECT_EQ(status["most_common"][0]["value"], "value 1");
    EXPECT_NEAR(status["most_common"][2]["frequency"].get<double>(), 1.0 / 3, 1e-12);
    // Values 1, 2, 3 mod 4: shard 0 never holds a row; by_status (1 in 4) finds one shard, get_order asks all four.
    EXPECT_NE(status["verdict"].get<std::string>().find(
                  "low cardinality: 3 distinct values for 4 shards, so at most 3 shards hold data"),
        std::string::npos)
        << status["verdict"];
    EXPECT_NEAR(status["reads"]["single_shard"].get<double>(), 0.25, 1e-12);
    // A column with no stated values keeps one per row.
    EXPECT_EQ(candidate(file, "note")["cardinality"], 1'000'000);
    std::filesystem::remove(file);
}

TEST(AnalyzeColumnsCli, AShardKeyOtherThanTheKeyDoesNotFollowTheIdScheme)
{
    // Sequential order ids grow with insertion order; the user_id orders are sharded by does not.
    const std::string file = writeScenario("shard-key", "{ status: indexed }", "      shard_key: user_id\n");
    EXPECT_EQ(candidate(file, "id")["monotonicity"]["type"], "monotonic");
    const auto user = candidate(file, "user_id")["monotonicity"];
    EXPECT_EQ(user["type"], "not monotonic");
    EXPECT_EQ(user["coefficient"], 0.0);
    std::filesystem::remove(file);
}

TEST(AnalyzeColumnsCli, ValuesOnATimeColumnIsAnErrorAtItsPlace)
{
    const std::string file
        = writeScenario("time-values", "{ status: indexed, created_at: { kind: time, values: 30 } }");
    const CliResult result = runCli({ "analyze", file });
    EXPECT_EQ(result.exitCode, 2);
    // Line 9 is the columns line; the value 30 sits at its column.
    const std::string line = "      columns: { status: indexed, created_at: { kind: time, values: 30 } }";
    const auto column = line.find("30") + 1;
    EXPECT_NE(result.err.find(file + ":9:" + std::to_string(column)
                  + ": error: data.tables[0].columns.created_at.values: a time column has one value per row"),
        std::string::npos)
        << result.err;
    std::filesystem::remove(file);
}

TEST(AnalyzeColumnsCli, BadValuesAreErrorsThatNameTheField)
{
    struct Case {
        std::string columns;
        std::string table;
        std::string message;
    };
    const std::vector<Case> cases {
        { "{ status: { values: 0 } }", "", "data.tables[0].columns.status.values: must be at least 1 (got 0)" },
        { "{ status: { values: lots } }", "", "data.tables[0].columns.status.values: " },
        { "{ status: { valeus: 5 } }", "", "unknown key 'valeus'; did you mean 'values'?" },
        { "{ status: { kind: unique, values: 5 } }", "", "a unique column has one value per row" },
        { "{ user_id: { values: 5 } }", "      shard_key: user_id\n",
            "data.tables[0].columns.user_id.values: 'user_id' is the table's shard key" },
    };
    for (const Case& c : cases) {
        const std::string file = writeScenario("bad-values", c.columns, c.table);
        const CliResult result = runCli({ "validate", file });
        EXPECT_EQ(result.exitCode, 2) << c.columns;
        EXPECT_NE(result.out.find(file + ":"), std::string::npos) << result.out;
        EXPECT_NE(result.out.find(c.message), std::string::npos) << c.columns << "\n" << result.out;
        std::filesystem::remove(file);
    }
}

TEST(AnalyzeColumnsCli, TimeColumnValuesAreInsertTimes)
{
    const std::string file = writeScenario("time-column", "{ status: indexed, created_at: time }");
    const auto created = candidate(file, "created_at");
    // Uniform keys: the oldest rows first. 1M rows at 1M/day, one every 86.4 ms: row 1 went in 999,999 x 86.4 ms =
    // 86,399.9136 s before the start, and row 2 86.4 ms later.
    ASSERT_EQ(created["most_common"].size(), 5u);
    EXPECT_EQ(created["most_common"][0]["value"], "23h59m59.914s before the start");
    EXPECT_EQ(created["most_common"][1]["value"], "23h59m59.827s before the start");
    const CliResult text = runCli({ "analyze", file, "--key", "created_at" });
    EXPECT_NE(text.out.find("most common      23h59m59.914s before the start (1 in 1M)"), std::string::npos)
        << text.out;
    // The newest rows are hottest under `latest`: the last row went in at the start, the one before 86.4 ms earlier.
    const CliResult latest
        = runCli({ "analyze", file, "--key", "created_at", "--set", "workload.keys=latest", "--format", "json" });
    ASSERT_EQ(latest.exitCode, 0) << latest.err;
    const auto common = nlohmann::json::parse(latest.out)["candidates"][0]["most_common"];
    EXPECT_EQ(common[0]["value"], "the start");
    EXPECT_EQ(common[1]["value"], "86.4ms before the start");
    std::filesystem::remove(file);
}

} // namespace

namespace {

const std::string kTraceScenario = SHARDSIM_TEST_DATA "/analyze/orders-trace.yaml";

TEST(AnalyzeTraceCli, TheWorkloadsTraceGivesCardinalityMostCommonAndOrder)
{
    const auto c = candidate(kTraceScenario, "id");
    // t_order's 12 rows of the trace (the 2 of t_user left out): keys 7, 42, 101..106, so 8 distinct, not the
    // model's 1,000.
    EXPECT_EQ(c["cardinality"], 8);
    const std::vector<std::pair<std::string, double>> expected { { "42", 3.0 / 12 }, { "7", 2.0 / 12 },
        { "101", 2.0 / 12 }, { "102", 1.0 / 12 }, { "103", 1.0 / 12 } };
    ASSERT_EQ(c["most_common"].size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(c["most_common"][i]["value"], expected[i].first) << i;
        EXPECT_NEAR(c["most_common"][i]["frequency"].get<double>(), expected[i].second, 1e-12) << i;
    }
    // The six inserts are 101..106 in order: r = 1 exactly.
    EXPECT_NEAR(c["monotonicity"]["coefficient"].get<double>(), 1, 1e-12);
    EXPECT_EQ(c["monotonicity"]["type"], "monotonic");
    EXPECT_EQ(c["monotonicity"]["how"], "Pearson r of the 6 keys inserted in orders-trace.csv with their order");
    // 8 values for 4 shards is 2 a shard: enough; the monotonic ids on ranges are the problem.
    EXPECT_NE(
        c["verdict"].get<std::string>().find("monotonic: every insert lands on the last range"), std::string::npos)
        << c["verdict"];
    EXPECT_EQ(c["verdict"].get<std::string>().find("low cardinality"), std::string::npos) << c["verdict"];
}

TEST(AnalyzeTraceCli, ATraceOnTheCommandLineReplacesTheKeyLaw)
{
    const CliResult result = runCli({ "analyze", SHARDSIM_TEST_DATA "/scenarios/valid/analyze-keys.yaml", "--trace",
        SHARDSIM_TEST_DATA "/analyze/falling-reads.csv", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto c = nlohmann::json::parse(result.out)["candidates"][0];
    EXPECT_EQ(c["cardinality"], 5);
    // 500, 400, ... 100 against their places 0..4: r = -1, monotonic (|r| >= 0.7), over the reads since no row
    // inserts.
    EXPECT_NEAR(c["monotonicity"]["coefficient"].get<double>(), -1, 1e-12);
    EXPECT_EQ(c["monotonicity"]["type"], "monotonic");
    EXPECT_EQ(c["monotonicity"]["how"],
        "falling-reads.csv has no inserts on t_order: Pearson r of the 5 keys requested with their order");
    EXPECT_EQ(c["most_common"][0]["value"], "100") << "equal counts are listed by key";
}

TEST(AnalyzeTraceCli, AMalformedTraceIsAnErrorWithItsLine)
{
    const std::string trace = SHARDSIM_TEST_DATA "/analyze/bad-trace.csv";
    const CliResult result
        = runCli({ "analyze", SHARDSIM_TEST_DATA "/scenarios/valid/analyze-keys.yaml", "--trace", trace });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find(trace + ":3:"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("get_ordr"), std::string::npos) << result.err;
}

} // namespace
