// What the default scenario's run says, and the headlines every run prints: cost, expectations in their units,
// where an expectation came from, nodes that never held data, re-replications without an "optimum".

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "cli_runner.h"

namespace {

const std::string kExample = SHARDSIM_RESOURCES "/scenarios/double-11-orders.yaml";

std::filesystem::path freshDirectory(const std::string& name)
{
    auto dir = std::filesystem::temp_directory_path() / ("shardsim-story-" + name + "-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

nlohmann::json readJson(const std::filesystem::path& path)
{
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

// The line of `text` holding `needle`, for messages that name the whole line a user reads.
bool hasLine(const std::string& text, const std::string& line)
{
    std::istringstream lines(text);
    for (std::string each; std::getline(lines, each);)
        if (each == line)
            return true;
    return false;
}

int lineOf(const std::string& file, const std::string& needle)
{
    std::ifstream in(file);
    int number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        if (line.find(needle) != std::string::npos)
            return number;
    }
    return 0;
}

TEST(StoryCli, TheDefaultRunSaysTheEveningCopesAndMidnightSheds)
{
    const auto dir = freshDirectory("default");
    const CliResult result = runCli({ "run", kExample, "--out", dir.string(), "--no-history" });
    // One expectation fails, as the story says: exit 1, named at its line of the file.
    EXPECT_EQ(result.exitCode, 1) << result.err;
    const int shedLine = lineOf(kExample, "metric: requests.shed_fraction");
    ASSERT_GT(shedLine, 0);
    EXPECT_NE(result.err.find(kExample + ":" + std::to_string(shedLine)
                  + ": expectation failed: requests.shed_fraction <= 1%"),
        std::string::npos)
        << result.err;
    // Expectations print in the units of the table above them: percentages, not fractions.
    // The scenario starts at 22:00: every moment reads on that clock, the spike at midnight, the reshard at 23:40.
    EXPECT_TRUE(hasLine(result.out, "clock      22:00 to 01:00")) << result.out;
    EXPECT_TRUE(hasLine(result.out, "  ok    peak.utilization <= 70% until 23:40  (saw 33.38% at 22:00)")) << result.out;
    // The peak a few minutes after midnight, about 7,300 s into the run.
    const size_t peak = result.out.find("\npeak       ");
    ASSERT_NE(peak, std::string::npos) << result.out;
    const std::string peakLine = result.out.substr(peak + 1, result.out.find('\n', peak + 1) - peak - 1);
    EXPECT_NE(peakLine.find("/s at 00:0"), std::string::npos) << peakLine;
    EXPECT_NE(peakLine.find(" (tick 7"), std::string::npos) << peakLine;
    EXPECT_NE(result.out.find("\n  at 23:40    add_nodes 4"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("  FAIL  requests.shed_fraction <= 1%  (saw 1"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("  ok    imbalance.max_over_mean <= 1.5  (saw 1.0"), std::string::npos) << result.out;
    // 8 nodes at 900 a month, 12 after the event at 23:40.
    EXPECT_TRUE(hasLine(result.out,
        "cost       7,200 per month for 8 nodes, 10,800 for the 12 after the events (nodes x "
        "cluster.node.cost_per_month)"))
        << result.out;
    // Every node holds data: the reshard placed the 12 databases on the 12 nodes, so nothing is warned.
    EXPECT_EQ(result.out.find("never held data"), std::string::npos) << result.out;
    EXPECT_EQ(result.out.find("hold no data"), std::string::npos) << result.out;

    const auto summary = readJson(dir / "summary.json");
    EXPECT_EQ(summary["start"], "22:00");
    EXPECT_EQ(summary["cost"]["nodes_at_start"], 8);
    EXPECT_EQ(summary["cost"]["nodes_at_end"], 12);
    EXPECT_EQ(summary["cost"]["per_month_at_start"], 7200.0);
    EXPECT_EQ(summary["cost"]["per_month_at_end"], 10800.0);
    EXPECT_EQ(summary["expectations"][0]["bound"], "<= 70% until 23:40");
    EXPECT_EQ(summary["expectations"][0]["line"], lineOf(kExample, "metric: peak.utilization"));
    EXPECT_FALSE(summary["expectations"][0].contains("origin"));
    // Served and shed add up to what was offered; more than a tenth was shed.
    const double offered = summary["offered_requests"].get<double>();
    const double served = summary["served_requests"].get<double>();
    const double shed = summary["shed_requests"].get<double>();
    const double queued = summary["queued_requests"].get<double>();
    EXPECT_NEAR(served + shed + queued, offered, offered * 1e-9);
    EXPECT_GT(shed / offered, 0.1);
    EXPECT_GT(summary["latency"]["p99_ms"].get<double>(), 100.0); // the spike's queues
}

TEST(StoryCli, AnExpectationFromSetNamesTheOverride)
{
    const auto dir = freshDirectory("set");
    const std::string set = "expect=[{ metric: peak.qps, at_most: 1 }]";
    const CliResult result = runCli(
        { "run", kExample, "--set", set, "--out", dir.string(), "--no-history", "--engine", "expected" });
    EXPECT_EQ(result.exitCode, 1) << result.err;
    EXPECT_NE(result.err.find("--set '" + set + "': expectation failed: peak.qps <= 1/s"), std::string::npos)
        << result.err;
    EXPECT_EQ(result.err.find(":1: expectation failed"), std::string::npos) << result.err;
    const auto summary = readJson(dir / "summary.json");
    EXPECT_EQ(summary["expectations"][0]["origin"], "--set '" + set + "'");
    EXPECT_FALSE(summary["expectations"][0].contains("line"));
}

// 6 nodes for 4 databases of one copy: node-5 and node-6 never get data, in describe and in run.
TEST(StoryCli, NodesThatCanNeverHoldDataAreNamedAndLeftOutOfTheImbalance)
{
    const auto dir = freshDirectory("idle");
    const auto file = dir / "idle.yaml";
    std::ofstream(file) << "name: idle\nduration: 10s\n"
                           "cluster: { nodes: 6, node: { max_qps: 10K, cost_per_month: 100 } }\n"
                           "data: { tables: [ { name: t, rows: 1000 } ] }\n"
                           "sharding: { rule: \"mod:n=4\" }\n"
                           "workload: { rate: 1K/s, keys: { distribution: uniform } }\n";
    const CliResult describe = runCli({ "describe", file.string() });
    ASSERT_EQ(describe.exitCode, 0) << describe.err;
    EXPECT_NE(describe.out.find("nodes without data  node-5 and node-6: no copy of the 4 databases is placed on them"),
        std::string::npos)
        << describe.out;

    const CliResult run
        = runCli({ "run", file.string(), "--out", (dir / "out").string(), "--no-history", "--engine", "expected" });
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_NE(run.out.find("note: node-5 and node-6 never held data"), std::string::npos) << run.out;
    const auto summary = readJson(dir / "out" / "summary.json");
    // Uniform keys on mod 4: the four nodes with data carry a quarter each, so the imbalance is exactly even; over
    // all six nodes it would be 1.5.
    EXPECT_NEAR(summary["imbalance"]["max_over_mean"].get<double>(), 1.0, 1e-9);
    EXPECT_NEAR(summary["imbalance"]["gini"].get<double>(), 0.0, 1e-9);
    EXPECT_EQ(summary["cost"]["per_month_at_start"], 600.0);
}

TEST(StoryCli, AReReplicationHasNoOptimumAndTheOldMetricNameIsNoted)
{
    const CliResult result = runCli(
        { "run", SHARDSIM_SCENARIOS "/events/lose-a-node-replicated.yaml", "--no-history", "--engine", "expected" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto at = result.out.find("re-replication of node-3: moved");
    ASSERT_NE(at, std::string::npos) << result.out;
    const std::string line = result.out.substr(at, result.out.find('\n', at) - at);
    EXPECT_EQ(line.find("optimum"), std::string::npos) << line;
    EXPECT_NE(result.out.find("'availability.failed_requests' is deprecated: write 'availability.failed_fraction'"),
        std::string::npos)
        << result.out;
}

} // namespace
