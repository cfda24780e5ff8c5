#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sqlite3.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_runner.h"
#include "shardsim/history/run_history.h"

namespace {

const std::string kExample = SHARDSIM_RESOURCES "/scenarios/double-11-orders.yaml";

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// What SQLite itself says of the file, opened read-only and independently of the history code.
std::string integrityCheck(const std::string& path)
{
    sqlite3* db = nullptr;
    std::string answer = "cannot open";
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK
            && sqlite3_step(statement) == SQLITE_ROW)
            answer = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return answer;
}

std::filesystem::path freshDirectory(const std::string& name)
{
    auto dir = std::filesystem::temp_directory_path() / ("shardsim-cli-" + name + "-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    return dir;
}

// A small scenario with an analytic answer: uniform keys on mod:n=4 put exactly a quarter on each node.
std::filesystem::path writeUniformScenario(const std::filesystem::path& dir, const std::string& expect)
{
    std::filesystem::create_directories(dir);
    const auto path = dir / "uniform.yaml";
    std::ofstream(path) << "name: uniform-mod\nduration: 10s\ntick: 1s\nseed: 7\n"
                           "cluster: { nodes: 4, node: { max_qps: 10K } }\n"
                           "data: { tables: [ { name: t, rows: 1000 } ] }\n"
                           "sharding: { rule: \"mod:n=4\" }\n"
                           "workload: { rate: 1K/s, keys: { distribution: uniform } }\n"
                        << expect;
    return path;
}

} // namespace

TEST(RunCli, WritesTheDocumentedOutputs)
{
    const auto dir = freshDirectory("outputs");
    const auto scenario = writeUniformScenario(dir, "");
    const CliResult result
        = runCli({ "run", scenario.string(), "--out", (dir / "out").string(), "--engine", "expected", "--no-history" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto summary = nlohmann::json::parse(readFile(dir / "out" / "summary.json"));
    for (const char* field : { "scenario", "seed", "engine", "ticks", "tick_seconds", "requests", "offered_requests",
             "served_requests", "shed_requests", "queued_requests", "service", "latency", "nodes", "shards",
             "imbalance", "peak", "expectations" })
        EXPECT_TRUE(summary.contains(field)) << field;
    for (const char* field : { "p50_ms", "p95_ms", "p99_ms", "p999_ms" })
        EXPECT_TRUE(summary["latency"][field].is_number()) << field;
    for (const char* field : { "servers", "service_time_ms", "queue_timeout_s" })
        EXPECT_TRUE(summary["service"][field].is_number()) << field;
    EXPECT_EQ(summary["service"]["servers_from"], "max_qps x base_latency") << "the scenario gives no concurrency";
    EXPECT_EQ(summary["offered_requests"], summary["requests"]) << "nothing failed, so every request reached a node";
    EXPECT_EQ(summary["scenario"], "uniform-mod");
    EXPECT_EQ(summary["engine"], "expected");
    EXPECT_EQ(summary["ticks"], 10);
    EXPECT_NEAR(summary["requests"].get<double>(), 10'000, 1e-6);
    ASSERT_EQ(summary["nodes"].size(), 4u);
    for (const auto& node : summary["nodes"]) {
        EXPECT_NEAR(node["share"].get<double>(), 0.25, 1e-9) << node;
        EXPECT_TRUE(node["name"].is_string() && node["region"].is_string()) << node;
        for (const char* field : { "requests", "mean_qps", "peak_qps", "peak_utilization",
                 "p50_latency_ms", "p95_latency_ms", "p99_latency_ms", "p999_latency_ms", "served_requests",
                 "shed_requests", "queued_requests", "rows", "bytes" })
            EXPECT_TRUE(node[field].is_number()) << field;
    }
    const std::string nodesCsv = readFile(dir / "out" / "nodes.csv");
    EXPECT_EQ(nodesCsv.rfind("tick,ticks,node,qps,utilization,p99_latency_ms,rows,bytes,served_qps,shed_qps,queued,"
                             "p50_latency_ms,p95_latency_ms,p999_latency_ms\n",
                  0),
        0u);
    EXPECT_EQ(std::count(nodesCsv.begin(), nodesCsv.end(), '\n'), 1 + 10 * 4);
    std::istringstream csvLines(nodesCsv);
    std::string firstLine;
    std::getline(csvLines, firstLine); // the header
    std::getline(csvLines, firstLine);
    EXPECT_EQ(std::count(firstLine.begin(), firstLine.end(), ','), 13) << "14 columns: " << firstLine;
    EXPECT_FALSE(readFile(dir / "out" / "heatmap.csv").empty());
    EXPECT_NE(result.out.find("node-1"), std::string::npos) << result.out;
    // The text summary: offered / served / shed, the latency percentiles and the concurrency used.
    for (const char* line : { "\nload       10K offered to the nodes: ", "\nlatency    p50 ", "\nservice    c = ",
             " (max_qps × base_latency) per node, service time 1ms, queue_timeout 1s\n", "p99.9 ms" })
        EXPECT_NE(result.out.find(line), std::string::npos) << line << "\n" << result.out;
}

// A run longer than the windows: nodes.csv holds one line per node per window, unless --full-resolution asks for
// every tick, which says up front how big the file will be.
TEST(RunCli, NodesCsvIsInWindowsUnlessFullResolutionIsAsked)
{
    const auto dir = freshDirectory("windows");
    const auto scenario = writeUniformScenario(dir, "");
    const std::vector<std::string> run { "run", scenario.string(), "--engine", "expected", "--no-history", "--set",
        "duration=5000s" };
    auto windowed = run;
    windowed.insert(windowed.end(), { "--out", (dir / "windows").string() });
    const CliResult byWindow = runCli(windowed);
    ASSERT_EQ(byWindow.exitCode, 0) << byWindow.err;
    EXPECT_EQ(byWindow.err.find("full resolution"), std::string::npos) << byWindow.err;
    const std::string csv = readFile(dir / "windows" / "nodes.csv");
    // 5,000 ticks in windows of 3 ticks (at most 2,000 windows): 1,667 windows, the last of 2 ticks, on 4 nodes.
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 1'667 * 4);
    const size_t first = csv.find("\n0,3,node-1,");
    ASSERT_NE(first, std::string::npos) << csv.substr(0, 200);
    EXPECT_NEAR(std::stod(csv.substr(first + 12)), 250, 1e-9) << "a quarter of 1K/s, the window's mean";
    EXPECT_NE(csv.find("\n4998,2,node-4,"), std::string::npos);

    auto full = run;
    full.insert(full.end(), { "--out", (dir / "full").string(), "--full-resolution" });
    const CliResult byTick = runCli(full);
    ASSERT_EQ(byTick.exitCode, 0) << byTick.err;
    EXPECT_NE(byTick.err.find("nodes.csv at full resolution: 5000 ticks x 4 nodes = 20K lines, about 3.5 MB"),
        std::string::npos)
        << byTick.err;
    const std::string ticks = readFile(dir / "full" / "nodes.csv");
    EXPECT_EQ(std::count(ticks.begin(), ticks.end(), '\n'), 1 + 5'000 * 4);
    EXPECT_NE(ticks.find("\n4999,1,node-4,"), std::string::npos);

    auto withoutOut = run;
    withoutOut.push_back("--full-resolution");
    const CliResult refused = runCli(withoutOut);
    EXPECT_EQ(refused.exitCode, 2) << refused.err;
    EXPECT_NE(refused.err.find("--out"), std::string::npos) << refused.err;
    std::filesystem::remove_all(dir);
}

TEST(RunCli, SameSeedSameBytesOnAnyThreadCount)
{
    const auto dir = freshDirectory("determinism");
    const auto scenario = writeUniformScenario(dir, "");
    for (const char* threads : { "1", "2" })
        ASSERT_EQ(runCli({ "run", scenario.string(), "--engine", "sampled", "--threads", threads, "--out",
                               (dir / threads).string(), "--no-history", "--quiet" })
                      .exitCode,
            0);
    EXPECT_EQ(readFile(dir / "1" / "summary.json"), readFile(dir / "2" / "summary.json"));
    EXPECT_EQ(readFile(dir / "1" / "nodes.csv"), readFile(dir / "2" / "nodes.csv"));
}

TEST(RunCli, AFailedExpectationExitsOneAndSaysWhich)
{
    const auto dir = freshDirectory("expect");
    const auto scenario = writeUniformScenario(dir, "expect:\n  - { metric: peak.qps, at_most: 500 }\n");
    const CliResult result = runCli({ "run", scenario.string(), "--engine", "expected", "--no-history" });
    EXPECT_EQ(result.exitCode, 1) << result.out << result.err;
    EXPECT_NE(result.err.find("peak.qps"), std::string::npos) << result.err;
    EXPECT_NE(result.out.find("FAIL"), std::string::npos) << result.out;
}

TEST(RunCli, InvalidInputExitsTwo)
{
    EXPECT_EQ(runCli({ "run", SHARDSIM_TEST_DATA "/cli/broken.yaml", "--no-history" }).exitCode, 2);
    EXPECT_EQ(runCli({ "run", kExample, "--set", "cluster.nodes=0", "--no-history" }).exitCode, 2);
    EXPECT_EQ(runCli({ "run", kExample, "--engine", "fast", "--no-history" }).exitCode, 2);
}

TEST(RunCli, QuietMeansNothingOnStderr)
{
    const auto dir = freshDirectory("quiet");
    const auto scenario = writeUniformScenario(dir, "");
    const CliResult result = runCli({ "run", scenario.string(), "--quiet", "--no-history" });
    EXPECT_EQ(result.exitCode, 0);
    EXPECT_TRUE(result.err.empty()) << result.err;
}

TEST(RunCli, JsonFormatPrintsTheSummary)
{
    const auto dir = freshDirectory("json");
    const auto scenario = writeUniformScenario(dir, "");
    const CliResult result = runCli({ "run", scenario.string(), "--format", "json", "--no-history" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(nlohmann::json::parse(result.out)["nodes"].size(), 4u);
}

TEST(RunCli, EveryRunIsRecordedInTheHistory)
{
    const auto dir = freshDirectory("history");
    const auto scenario = writeUniformScenario(dir, "");
    const std::string db = (dir / "history.sqlite").string();
    ASSERT_EQ(runCli({ "run", scenario.string(), "--history", db, "--quiet" }).exitCode, 0);
    ASSERT_EQ(runCli({ "run", scenario.string(), "--history", db, "--quiet", "--seed", "8" }).exitCode, 0);
    const CliResult list = runCli({ "history", "list", "--history", db, "--format", "json" });
    ASSERT_EQ(list.exitCode, 0) << list.err;
    const auto runs = nlohmann::json::parse(list.out);
    ASSERT_EQ(runs.size(), 2u) << list.out;
    EXPECT_EQ(runs[0]["seed"], 8) << "newest first";

    EXPECT_EQ(runCli({ "run", scenario.string(), "--history", db, "--no-history" }).exitCode, 2)
        << "--history and --no-history exclude each other";
}

TEST(RunCli, ARunKilledHalfWayLeavesEveryEarlierRunIntact)
{
    const auto dir = freshDirectory("kill");
    const auto quick = writeUniformScenario(dir, "");
    const std::string db = (dir / "history.sqlite").string();
    ASSERT_EQ(runCli({ "run", quick.string(), "--history", db, "--quiet" }).exitCode, 0);

    // Long enough to be killed in the middle: 100 days of one-second ticks on 1,024 nodes.
    const auto slow = dir / "slow.yaml";
    std::ofstream(slow) << "name: slow\nduration: 100d\ntick: 1s\n"
                           "cluster: { nodes: 1024 }\n"
                           "data: { tables: [ { name: t, rows: 1M } ] }\n"
                           "sharding: { rule: \"mod:n=1024\" }\n"
                           "workload: { rate: 1K/s }\n";
    const pid_t child = fork();
    if (child == 0) {
        execl(SHARDSIM_CLI, SHARDSIM_CLI, "run", slow.c_str(), "--history", db.c_str(), "--quiet", "--engine",
            "expected", static_cast<char*>(nullptr));
        _exit(127);
    }
    usleep(700'000);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the run finished before it could be killed";

    EXPECT_EQ(integrityCheck(db), "ok");
    auto history = shardsim::RunHistory::open(db);
    ASSERT_TRUE(history) << history.error();
    const auto runs = history->list();
    ASSERT_TRUE(runs) << runs.error();
    ASSERT_EQ(runs->size(), 1u);
    EXPECT_EQ(runs->front().scenario, "uniform-mod");
}
