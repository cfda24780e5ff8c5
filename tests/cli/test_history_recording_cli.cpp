// `run` and `sweep` against a run history that cannot take the run, and many of them on one history at once:
// a run is either recorded or says on stderr, even with --quiet, that it was not, and exits 3.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>

#include "../core/history_test_support.h"
#include "cli_runner.h"

namespace {

using namespace shardsim;
using namespace shardsim::testing;

constexpr int kExitNotRecorded = 3;


// Ten ticks on four nodes: a run takes milliseconds, so what is measured is the history.
std::filesystem::path writeTinyScenario(const std::filesystem::path& dir)
{
    const auto path = dir / "tiny.yaml";
    std::ofstream(path) << "name: tiny\nduration: 10s\ntick: 1s\nseed: 7\n"
                           "cluster: { nodes: 4, node: { max_qps: 10K } }\n"
                           "data: { tables: [ { name: t, rows: 1000 } ] }\n"
                           "sharding: { rule: \"mod:n=4\" }\n"
                           "workload: { rate: 1K/s, keys: { distribution: uniform } }\n";
    return path;
}

std::vector<RunRecord> storedRuns(const std::filesystem::path& history)
{
    auto opened = RunHistory::openReadOnly(history);
    if (!opened)
        throw std::runtime_error(opened.error());
    return opened->list().value();
}

class NotRecorded : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_scenario = writeTinyScenario(m_dir.path());
        RunHistory history = mustOpen(m_history);
        for (uint64_t seed = 1; seed <= 8; ++seed)
            recordRun(history, SyntheticRun { .seed = seed, .ticks = 200, .nodes = 8 });
    }

    // A run that cannot be recorded still prints its summary and writes its --out files.
    void expectRunNotRecorded(std::string_view why)
    {
        const auto out = m_dir / "out";
        const CliResult result = runCli({ "run", m_scenario.string(), "--quiet", "--format", "json", "--out",
            out.string(), "--history", m_history.string() });
        EXPECT_EQ(result.exitCode, kExitNotRecorded) << result.err;
        EXPECT_TRUE(mentions(result.err, "run history " + m_history.string())) << result.err;
        EXPECT_TRUE(mentions(result.err, why)) << result.err;
        EXPECT_TRUE(mentions(result.err, "not recorded")) << result.err;
        EXPECT_EQ(nlohmann::json::parse(result.out)["scenario"], "tiny");
        EXPECT_EQ(nlohmann::json::parse(readFile(out / "summary.json"))["scenario"], "tiny");
        EXPECT_TRUE(std::filesystem::exists(out / "nodes.csv"));
    }

    ScratchDir m_dir;
    std::filesystem::path m_history = m_dir / "history.sqlite";
    std::filesystem::path m_scenario;
};

TEST_F(NotRecorded, ADamagedHistoryIsNotAppendedToAndTheRunSaysHowToRecover)
{
    overwriteMiddle(m_history);
    const std::string damaged = readFile(m_history);
    expectRunNotRecorded("the file is damaged");
    const CliResult again = runCli({ "run", m_scenario.string(), "--quiet", "--history", m_history.string() });
    EXPECT_TRUE(mentions(again.err, "shardsim-cli history recover --history " + m_history.string())) << again.err;
    EXPECT_EQ(readFile(m_history), damaged);
}

TEST_F(NotRecorded, AReadOnlyHistoryIsNotRecordedIntoButStillListed)
{
    WriteProtection protection(m_history);
    if (!protection.ok())
        GTEST_SKIP() << WriteProtection::kUnavailable;
    expectRunNotRecorded("is read-only");
    EXPECT_EQ(storedRuns(m_history).size(), 8u);
}

TEST_F(NotRecorded, AHistoryThatIsNotOneStillLetsTheRunWriteItsOutputs)
{
    m_history = m_dir / "notes.txt";
    std::ofstream(m_history) << "not a database\n";
    expectRunNotRecorded("not an SQLite database");
}

TEST_F(NotRecorded, ASweepSaysSoOnceEvenWhenQuietWritesItsCsvAndExitsThree)
{
    overwriteMiddle(m_history);
    const auto out = m_dir / "sweep";
    const CliResult result = runCli({ "sweep", m_scenario.string(), "--param", "cluster.nodes=4,8", "--jobs", "2",
        "--out", out.string(), "--history", m_history.string(), "--quiet" });
    EXPECT_EQ(result.exitCode, kExitNotRecorded) << result.err;
    EXPECT_TRUE(mentions(result.err, "the file is damaged")) << result.err;
    EXPECT_EQ(result.err.find("run history"), result.err.rfind("run history")) << "said once:\n" << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
    const std::string csv = readFile(out / "sweep.csv");
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3) << csv;
}

// Starts shardsim-cli with stdout and stderr in files, without waiting for it.
pid_t spawnCli(const std::vector<std::string>& args, const std::filesystem::path& output)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(
        &actions, STDOUT_FILENO, (output.string() + ".out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(
        &actions, STDERR_FILENO, (output.string() + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> copies = args;
    std::string program = SHARDSIM_CLI;
    std::vector<char*> argv { program.data() };
    for (std::string& arg : copies)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    return pid;
}

int waitFor(pid_t pid)
{
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// "recorded as runs 4-6, 9" -> 4 5 6 9
std::vector<int64_t> reportedIds(const std::string& out)
{
    std::vector<int64_t> ids;
    const size_t start = out.find("recorded as run");
    if (start == std::string::npos)
        return ids;
    const std::string list = out.substr(start, out.find('\n', start) - start);
    const std::regex item("(\\d+)(?:-(\\d+))?");
    for (auto match = std::sregex_iterator(list.begin(), list.end(), item); match != std::sregex_iterator(); ++match) {
        const int64_t first = std::stoll((*match)[1]);
        const int64_t last = (*match)[2].matched ? std::stoll((*match)[2]) : first;
        for (int64_t id = first; id <= last; ++id)
            ids.push_back(id);
    }
    return ids;
}

TEST(HistoryRecordingCli, ThirtyTwoRunsAndEightSweepsAtOnceOnANewHistoryAreAllRecorded)
{
    const ScratchDir dir;
    const auto scenario = writeTinyScenario(dir.path()).string();
    const std::string history = (dir / "history.sqlite").string();
    // The plain runs' seeds are 100..131; the sweeps run the scenario's seed, 7.
    std::vector<pid_t> runs;
    for (int i = 0; i < 32; ++i)
        runs.push_back(spawnCli({ "run", scenario, "--history", history, "--quiet", "--seed", std::to_string(100 + i) },
            dir / ("run" + std::to_string(i))));
    std::vector<pid_t> sweeps;
    for (int i = 0; i < 8; ++i) {
        const std::string name = "sweep" + std::to_string(i);
        sweeps.push_back(spawnCli({ "sweep", scenario, "--param", "cluster.nodes=4,8,16", "--jobs", "2", "--out",
                                      (dir / name).string(), "--history", history },
            dir / name));
    }
    for (size_t i = 0; i < runs.size(); ++i)
        EXPECT_EQ(waitFor(runs[i]), 0) << readFile(dir / ("run" + std::to_string(i) + ".err"));
    std::vector<std::vector<int64_t>> reported;
    for (size_t i = 0; i < sweeps.size(); ++i) {
        const std::string name = "sweep" + std::to_string(i);
        EXPECT_EQ(waitFor(sweeps[i]), 0) << readFile(dir / (name + ".err"));
        reported.push_back(reportedIds(readFile(dir / (name + ".out"))));
    }

    std::map<int64_t, RunRecord> stored;
    for (const RunRecord& run : storedRuns(history))
        stored[run.id] = run;
    EXPECT_EQ(stored.size(), 32u + 8u * 3u);
    std::set<int64_t> sweepIds;
    for (const std::vector<int64_t>& ids : reported) {
        // Exactly the sweep's own three runs, one per grid point: never a plain run, nor another sweep's.
        std::multiset<int> nodes;
        for (const int64_t id : ids) {
            EXPECT_TRUE(sweepIds.insert(id).second) << "run " << id << " reported twice";
            ASSERT_TRUE(stored.count(id)) << "run " << id;
            EXPECT_EQ(stored[id].seed, 7u) << "run " << id;
            nodes.insert(stored[id].nodes);
        }
        EXPECT_EQ(nodes, (std::multiset<int> { 4, 8, 16 }));
    }
    std::set<uint64_t> seeds;
    for (const auto& [id, run] : stored)
        if (!sweepIds.count(id))
            seeds.insert(run.seed);
    EXPECT_EQ(seeds.size(), 32u) << "every plain run is there once";
    EXPECT_EQ(*seeds.begin(), 100u);
    EXPECT_EQ(*seeds.rbegin(), 131u);
}

} // namespace
