// `shardsim-cli history` against history files prepared through the core API, as a user would meet them
// after a few runs.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "../core/history_test_support.h"
#include "cli_runner.h"

namespace {

using namespace shardsim;
using namespace shardsim::testing;

// A history with two runs: "orders" (all expectations held), then "users" (one failed, with overrides).
class HistoryCli : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto history = RunHistory::open(m_path);
        ASSERT_TRUE(history) << history.error();
        m_orders = recordRun(*history, SyntheticRun { .scenario = "orders", .seed = 7 });
        m_users = recordRun(*history,
            SyntheticRun { .scenario = "users",
                .seed = 9,
                .ticks = 4,
                .nodes = 2,
                .sourceText = "name: users\nduration: 4s\n",
                .overrides = { "cluster.nodes=2" },
                .failedExpectations = 1 });
    }

    CliResult history(std::vector<std::string> args) const
    {
        args.insert(args.begin(), "history");
        args.push_back("--history");
        args.push_back(m_path.string());
        return runCli(args);
    }

    ScratchDir m_dir;
    std::filesystem::path m_path = m_dir / "history.sqlite";
    int64_t m_orders = 0;
    int64_t m_users = 0;
};

TEST_F(HistoryCli, ListShowsEveryRunNewestFirst)
{
    const CliResult result = history({ "list" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const size_t header = result.out.find("SCENARIO");
    const size_t users = result.out.find("users");
    const size_t orders = result.out.find("orders");
    ASSERT_NE(header, std::string::npos) << result.out;
    ASSERT_NE(users, std::string::npos) << result.out;
    ASSERT_NE(orders, std::string::npos) << result.out;
    EXPECT_LT(header, users);
    EXPECT_LT(users, orders);
    EXPECT_NE(result.out.find("1 failed"), std::string::npos) << result.out;
}

TEST_F(HistoryCli, ListAsJsonIsAnArrayOfRuns)
{
    const CliResult result = history({ "list", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto runs = nlohmann::json::parse(result.out);
    ASSERT_TRUE(runs.is_array());
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0]["id"], m_users);
    EXPECT_EQ(runs[0]["scenario"], "users");
    EXPECT_EQ(runs[0]["seed"], 9);
    EXPECT_EQ(runs[0]["expectations_ok"], false);
    EXPECT_EQ(runs[1]["id"], m_orders);
    EXPECT_EQ(runs[1]["ticks"], 10);
    EXPECT_EQ(runs[1]["engine"], "expected");
}

TEST_F(HistoryCli, ListingAFileThatDoesNotExistShowsNoRunsAndCreatesNothing)
{
    const auto missing = m_dir / "never/history.sqlite";
    const CliResult json = runCli({ "history", "list", "--history", missing.string(), "--format", "json" });
    EXPECT_EQ(json.exitCode, 0) << json.err;
    EXPECT_EQ(nlohmann::json::parse(json.out), nlohmann::json::array());
    const CliResult text = runCli({ "history", "list", "--history", missing.string() });
    EXPECT_EQ(text.exitCode, 0) << text.err;
    EXPECT_NE(text.out.find("No runs"), std::string::npos) << text.out;
    EXPECT_FALSE(std::filesystem::exists(m_dir / "never"));
}

TEST_F(HistoryCli, ShowPrintsTheRunAndItsSummary)
{
    const CliResult result = history({ "show", std::to_string(m_users) });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("users (users.yaml)"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("cluster.nodes=2"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("2 checked, 1 failed"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("\"requests\": 4000"), std::string::npos) << result.out;
}

TEST_F(HistoryCli, ShowAsJsonHasTheSummaryParsedAndTheScenarioText)
{
    const CliResult result = history({ "show", std::to_string(m_users), "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto run = nlohmann::json::parse(result.out);
    EXPECT_EQ(run["id"], m_users);
    EXPECT_EQ(run["summary"]["scenario"], "users");
    EXPECT_EQ(run["scenario_text"], "name: users\nduration: 4s\n");
    EXPECT_EQ(run["overrides"], nlohmann::json::array({ "cluster.nodes=2" }));
    EXPECT_EQ(run["node_list"][1]["name"], "node-2");
}

TEST_F(HistoryCli, ShowScenarioPrintsTheStoredTextToRunAgain)
{
    const CliResult result = history({ "show", std::to_string(m_users), "--scenario" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(result.out, "name: users\nduration: 4s\n");
}

TEST_F(HistoryCli, AnIdThatIsNotStoredExitsTwoWithAHint)
{
    for (const std::string command : { "show", "export", "delete" }) {
        const CliResult result = history({ command, "999" });
        EXPECT_EQ(result.exitCode, 2) << command;
        EXPECT_NE(result.err.find("no run 999 in the run history " + m_path.string()), std::string::npos) << result.err;
        EXPECT_NE(result.err.find("history list"), std::string::npos) << result.err;
        EXPECT_TRUE(result.out.empty()) << result.out;
    }
}

TEST_F(HistoryCli, ExportWritesNodeTicksAsCsv)
{
    const CliResult result = history({ "export", std::to_string(m_users) });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    std::istringstream lines(result.out);
    std::string line;
    std::getline(lines, line);
    EXPECT_EQ(line,
        "tick,ticks,node,qps,utilization,p99_latency_ms,rows,bytes,served_qps,shed_qps,queued,p50_latency_ms,"
        "p95_latency_ms,p999_latency_ms");
    std::getline(lines, line);
    EXPECT_EQ(line, "0,1,node-1,100,0.1,2,0,0,98.25,1.5,0,1,2,5");
    int rows = 1;
    while (std::getline(lines, line))
        ++rows;
    EXPECT_EQ(rows, 8); // 4 ticks x 2 nodes

    const auto file = m_dir / "users.csv";
    const CliResult toFile = history({ "export", std::to_string(m_users), "--out", file.string() });
    ASSERT_EQ(toFile.exitCode, 0) << toFile.err;
    EXPECT_TRUE(toFile.out.empty());
    EXPECT_EQ(readFile(file), result.out);
}

TEST_F(HistoryCli, ExportAsJsonIsTheWholeRun)
{
    const CliResult result = history({ "export", std::to_string(m_orders), "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto bundle = nlohmann::json::parse(result.out);
    EXPECT_EQ(bundle["scenario"], "orders");
    EXPECT_EQ(bundle["node_ticks"]["rows"].size(), 30u);
    EXPECT_EQ(bundle["node_ticks"]["columns"].size(), bundle["node_ticks"]["rows"][0].size());
}

// A real run keeps what its pictures need: show names the heat map's shape, the JSON export adds the cluster series.
TEST_F(HistoryCli, ARunKeepsItsHeatMapAndClusterSeries)
{
    const CliResult run = runCli({ "run", SHARDSIM_SCENARIOS "/workload/hotspot-keys.yaml", "--quiet", "--format",
        "json", "--history", m_path.string() });
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto runs = nlohmann::json::parse(history({ "list", "--format", "json" }).out);
    ASSERT_EQ(runs[0]["scenario"], "hotspot-keys");
    const std::string id = std::to_string(runs[0]["id"].get<int64_t>());
    EXPECT_EQ(runs[0]["cluster_tick_stride"], 1);

    const CliResult shown = history({ "show", id });
    ASSERT_EQ(shown.exitCode, 0) << shown.err;
    EXPECT_NE(shown.out.find("heat map      t_item: 64 key ranges x 60 time buckets"), std::string::npos) << shown.out;
    const CliResult synthetic = history({ "show", std::to_string(m_users) });
    EXPECT_NE(synthetic.out.find("heat map      none"), std::string::npos) << synthetic.out;

    const CliResult exported = history({ "export", id, "--format", "json" });
    ASSERT_EQ(exported.exitCode, 0) << exported.err;
    const auto bundle = nlohmann::json::parse(exported.out);
    EXPECT_EQ(bundle["heatmap"]["key_buckets"], 64);
    EXPECT_EQ(bundle["heatmap"]["shard_boundaries"], nlohmann::json::array({ 2e6, 4e6, 6e6, 8e6 }));
    ASSERT_EQ(bundle["cluster_ticks"]["rows"].size(), 60u); // one row per tick below 2,000 ticks
    EXPECT_EQ(bundle["cluster_ticks"]["columns"][3], "qps");
    EXPECT_GT(bundle["cluster_ticks"]["rows"][0][3].get<double>(), 0);
    EXPECT_EQ(bundle["node_ticks"]["rows"].size(), 300u); // unchanged: 60 ticks x 5 nodes
}

TEST_F(HistoryCli, ExportToAPlaceThatCannotBeWrittenExitsTwo)
{
    const CliResult result
        = history({ "export", std::to_string(m_orders), "--out", (m_dir / "no/such/dir.csv").string() });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("cannot write"), std::string::npos) << result.err;
}

TEST_F(HistoryCli, DeleteRemovesOneRun)
{
    const CliResult result = history({ "delete", std::to_string(m_orders) });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(result.out, "deleted run " + std::to_string(m_orders) + "\n");
    const auto runs = nlohmann::json::parse(history({ "list", "--format", "json" }).out);
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0]["id"], m_users);
    EXPECT_EQ(history({ "delete", std::to_string(m_orders) }).exitCode, 2);

    const CliResult json = history({ "delete", std::to_string(m_users), "--format", "json" });
    ASSERT_EQ(json.exitCode, 0) << json.err;
    EXPECT_EQ(nlohmann::json::parse(json.out)["deleted"], m_users);
}

TEST_F(HistoryCli, WithoutHistoryTheFileUnderXdgDataHomeIsUsed)
{
    const char* saved = std::getenv("XDG_DATA_HOME");
    const std::string previous = saved ? saved : "";
    const ScratchDir dataHome;
    {
        auto stored = RunHistory::open(dataHome / "shardsim/history.sqlite");
        ASSERT_TRUE(stored) << stored.error();
        recordRun(*stored, SyntheticRun { .scenario = "from-xdg" });
    }
    setenv("XDG_DATA_HOME", dataHome.path().c_str(), 1);
    const CliResult result = runCli({ "history", "list", "--format", "json" });
    saved ? setenv("XDG_DATA_HOME", previous.c_str(), 1) : unsetenv("XDG_DATA_HOME");
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto runs = nlohmann::json::parse(result.out);
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0]["scenario"], "from-xdg");
}

TEST_F(HistoryCli, AFileThatIsNotAHistoryIsRefusedAndLeftAlone)
{
    const auto notes = m_dir / "notes.txt";
    std::ofstream(notes) << "not a database\n";
    const CliResult result = runCli({ "history", "list", "--history", notes.string() });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find(notes.string()), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("not an SQLite database"), std::string::npos) << result.err;
    EXPECT_EQ(readFile(notes), "not a database\n");
}

TEST_F(HistoryCli, AnIdBeyondTheLargestIsOutOfRangeNotClamped)
{
    for (const std::string command : { "show", "export", "delete" }) {
        const CliResult result = history({ command, "99999999999999999999" });
        EXPECT_EQ(result.exitCode, 2) << command;
        EXPECT_NE(result.err.find("run id 99999999999999999999 is out of range"), std::string::npos) << result.err;
        EXPECT_TRUE(result.out.empty()) << result.out;
    }
    EXPECT_EQ(nlohmann::json::parse(history({ "list", "--format", "json" }).out).size(), 2u);
}

// Eight runs of 200 ticks on 8 nodes, then three pages in the middle of the file overwritten.
class DamagedHistoryCli : public HistoryCli {
protected:
    void SetUp() override
    {
        {
            RunHistory stored = mustOpen(m_path);
            for (uint64_t seed = 1; seed <= 8; ++seed)
                recordRun(stored, SyntheticRun { .seed = seed, .ticks = 200, .nodes = 8 });
        }
        overwriteMiddle(m_path);
    }
};

TEST_F(DamagedHistoryCli, ListShowAndExportSayTheFileIsDamagedInsteadOfGivingPartOfIt)
{
    const std::string damaged = readFile(m_path);
    for (const std::vector<std::string>& command : std::vector<std::vector<std::string>> {
             { "list" }, { "list", "--format", "json" }, { "show", "1" }, { "export", "8" }, { "delete", "1" } }) {
        const CliResult result = history(command);
        EXPECT_EQ(result.exitCode, 2) << command[0];
        EXPECT_NE(result.err.find("run history " + m_path.string() + ": the file is damaged"), std::string::npos)
            << result.err;
        EXPECT_NE(result.err.find("shardsim-cli history recover --history " + m_path.string()), std::string::npos)
            << result.err;
        EXPECT_TRUE(result.out.empty()) << result.out;
    }
    EXPECT_EQ(readFile(m_path), damaged);
}

TEST_F(DamagedHistoryCli, RecoverCopiesTheReadableRunsIntoANewFileWithTheirIds)
{
    const auto target = m_dir / "recovered.sqlite";
    const CliResult result = runCli({ "history", "recover", "--history", m_path.string(), "--to", target.string() });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    std::smatch counts;
    ASSERT_TRUE(std::regex_search(result.out, counts, std::regex("Copied (\\d) of 8 runs from .* into ")))
        << result.out;
    const size_t copied = std::stoul(counts[1]);
    EXPECT_GT(copied, 0u);
    EXPECT_LT(copied, 8u);
    std::set<int64_t> lost;
    const std::regex lostLine("Lost run (\\d+): ");
    for (auto match = std::sregex_iterator(result.out.begin(), result.out.end(), lostLine);
         match != std::sregex_iterator(); ++match)
        lost.insert(std::stoll((*match)[1]));
    EXPECT_EQ(lost.size(), 8 - copied) << result.out;

    const CliResult list = runCli({ "history", "list", "--history", target.string(), "--format", "json" });
    ASSERT_EQ(list.exitCode, 0) << list.err;
    const auto runs = nlohmann::json::parse(list.out);
    ASSERT_EQ(runs.size(), copied);
    for (const auto& run : runs) {
        EXPECT_FALSE(lost.count(run["id"].get<int64_t>())) << run;
        EXPECT_EQ(run["seed"], run["id"]) << "each run kept its id; the seeds were 1..8";
        EXPECT_EQ(
            runCli({ "history", "export", std::to_string(run["id"].get<int64_t>()), "--history", target.string() })
                .exitCode,
            0);
    }

    const CliResult again = runCli({ "history", "recover", "--history", m_path.string(), "--to", target.string() });
    EXPECT_EQ(again.exitCode, 2);
    EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
}

TEST_F(HistoryCli, AnEmptiedSchemaVersionTableIsCalledDamaged)
{
    ASSERT_EQ(querySqlite(m_path, "DELETE FROM schema_version"), "");
    const CliResult result = history({ "list" });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("the file is damaged: its schema_version table"), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("migration"), std::string::npos) << result.err;
}

TEST_F(HistoryCli, AHistoryThatCannotBeWrittenIsStillListedShownAndExported)
{
    for (const bool directory : { false, true }) {
        WriteProtection protection(directory ? m_dir.path() : m_path);
        if (!protection.ok())
            GTEST_SKIP() << WriteProtection::kUnavailable;
        const CliResult list = history({ "list", "--format", "json" });
        ASSERT_EQ(list.exitCode, 0) << list.err;
        EXPECT_EQ(nlohmann::json::parse(list.out).size(), 2u);
        const CliResult show = history({ "show", std::to_string(m_users), "--scenario" });
        EXPECT_EQ(show.exitCode, 0) << show.err;
        EXPECT_EQ(show.out, "name: users\nduration: 4s\n");
        const CliResult exported = history({ "export", std::to_string(m_users) });
        EXPECT_EQ(exported.exitCode, 0) << exported.err;
        EXPECT_EQ(std::count(exported.out.begin(), exported.out.end(), '\n'), 9) << exported.out;
        const CliResult removed = history({ "delete", std::to_string(m_users) });
        EXPECT_EQ(removed.exitCode, 2);
        EXPECT_NE(removed.err.find(directory ? "is not writable" : "is read-only"), std::string::npos) << removed.err;
    }
}

TEST_F(HistoryCli, UsageErrorsExitTwo)
{
    EXPECT_EQ(runCli({ "history" }).exitCode, 2);
    EXPECT_EQ(history({ "show" }).exitCode, 2);
    EXPECT_EQ(history({ "show", "seven" }).exitCode, 2);
    EXPECT_EQ(history({ "export", "1", "--format", "xml" }).exitCode, 2);
    EXPECT_EQ(history({ "list", "--format", "csv" }).exitCode, 2);
}

} // namespace
