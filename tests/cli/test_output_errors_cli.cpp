// Outputs that cannot be written are errors a user sees: a full standard output for every command, and files of
// --out that fail name themselves and leave neither a truncated file nor a temporary one.

#include <algorithm>
#include <cmath>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_process.h"
#include "cli_runner.h"

namespace fs = std::filesystem;

namespace {

constexpr int kExitOutputFailed = 74;

class OutputErrorsCli : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path()
            / ("shardsim-outerr-" + std::to_string(getpid()) + "-"
                + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    std::string scenario(int nodes = 4, const std::string& duration = "10s") const
    {
        const fs::path path = m_dir / "uniform.yaml";
        std::ofstream(path) << "name: uniform\nduration: " << duration << "\ntick: 1s\nseed: 7\n"
                            << "cluster: { nodes: " << nodes << ", node: { max_qps: 10K } }\n"
                            << "data: { tables: [ { name: t, rows: 1000 } ] }\n"
                            << "sharding: { rule: \"mod:n=" << nodes << "\" }\n"
                            << "workload: { rate: 1K/s, keys: { distribution: uniform } }\n";
        return path.string();
    }

    static std::vector<std::string> entries(const fs::path& dir)
    {
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(dir))
            names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

    fs::path m_dir;
};

TEST_F(OutputErrorsCli, EveryCommandFailsWhenStandardOutputIsFull)
{
    const std::string file = scenario();
    const std::string db = (m_dir / "history.sqlite").string();
    ASSERT_EQ(runCli({ "run", file, "--history", db, "--quiet" }).exitCode, 0);
    setenv("SHARDSIM_UPDATE_GOLDEN", "1", 1); // check compares with a golden: write it first
    ASSERT_EQ(runCli({ "check", file }).exitCode, 0);
    unsetenv("SHARDSIM_UPDATE_GOLDEN");
    const std::string queries = SHARDSIM_TEST_DATA "/scenarios/valid/queries-8-shards.yaml";
    const std::vector<std::vector<std::string>> commands {
        { "route", "--rule", "mod:n=4", "7" },
        { "validate", file },
        { "describe", file },
        { "run", file, "--engine", "expected", "--no-history" },
        { "run", file, "--engine", "expected", "--no-history", "--format", "json" }, // more than a buffer
        { "explain", queries, "--op", "by_email" },
        { "check", file },
        { "migrate", "--from", "mod:n=2", "--to", "mod:n=4", "--keys", "100" },
        { "plan", SHARDSIM_TEST_DATA "/plans/uniform-jump.yaml" },
        { "sweep", file, "--param", "cluster.nodes=4", "--out", (m_dir / "sweep").string(), "--no-history" },
        { "compare", file, "--rules", "mod:n=4,jump:buckets=4" },
        { "history", "list", "--history", db },
        { "history", "show", "1", "--history", db },
        { "history", "export", "1", "--history", db },
    };
    for (const auto& args : commands) {
        std::string line;
        for (const std::string& arg : args)
            line += arg + " ";
        // The same command to a working standard output succeeds: only the full one fails it.
        const CliResult fine = runCli(args);
        ASSERT_EQ(fine.exitCode, 0) << line << fine.err;
        ASSERT_FALSE(fine.out.empty()) << line;
        CliProcess full(args, "/dev/full");
        ASSERT_TRUE(full.waitForExit(60'000)) << line;
        ASSERT_TRUE(full.exited()) << line;
        EXPECT_NE(full.exitCode(), 0) << line;
        EXPECT_NE(full.err().find("No space left on device"), std::string::npos) << line << full.err();
    }
}

TEST_F(OutputErrorsCli, TheMessageSaysStandardOutputAndTheExitCodeIs74)
{
    CliProcess full({ "route", "--rule", "mod:n=4", "7" }, "/dev/full");
    ASSERT_TRUE(full.waitForExit(60'000));
    EXPECT_EQ(full.exitCode(), kExitOutputFailed);
    EXPECT_EQ(full.err(), "error: writing to standard output: No space left on device\n");
}

TEST_F(OutputErrorsCli, AnOutFileThatCannotBeWrittenIsNamedAndLeavesNoTemporaryFile)
{
    const fs::path out = m_dir / "out";
    fs::create_directories(out / "summary.json"); // a directory where the file should go
    const CliResult result
        = runCli({ "run", scenario(), "--engine", "expected", "--out", out.string(), "--no-history" });
    EXPECT_EQ(result.exitCode, kExitOutputFailed) << result.err;
    EXPECT_NE(result.err.find("error: cannot write " + (out / "summary.json").string() + ": Is a directory"),
        std::string::npos)
        << result.err;
    EXPECT_EQ(entries(out), (std::vector<std::string> { "fanout.csv", "nodes.csv", "summary.json" }))
        << "complete files only; no temporary file";
}

TEST_F(OutputErrorsCli, AFullDiskWhileStreamingNodesCsvLeavesNoTruncatedFile)
{
    // Files of the process may not grow beyond 64 KiB: nodes.csv (64 nodes x 600 ticks) fails part way, as on a
    // full disk.
    const fs::path out = m_dir / "out";
    const std::string file = scenario(64, "10m");
    const pid_t child = fork();
    if (child == 0) {
        signal(SIGXFSZ, SIG_IGN);
        rlimit limit {};
        getrlimit(RLIMIT_FSIZE, &limit);
        limit.rlim_cur = 64 * 1024;
        setrlimit(RLIMIT_FSIZE, &limit);
        const int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        const int err = open((m_dir / "stderr.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(err, STDERR_FILENO);
        execl(SHARDSIM_CLI, SHARDSIM_CLI, "run", file.c_str(), "--engine", "expected", "--out", out.c_str(),
            "--no-history", static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), kExitOutputFailed);
    std::ifstream in(m_dir / "stderr.txt");
    const std::string err((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(err.find("error: cannot write " + (out / "nodes.csv").string() + ": File too large"), std::string::npos)
        << err;
    for (const std::string& name : entries(out)) {
        EXPECT_NE(name, "nodes.csv") << "no truncated nodes.csv";
        EXPECT_EQ(name.find(".partial"), std::string::npos) << name;
    }
}

TEST_F(OutputErrorsCli, MigrateEstimatesBeyondItsBudgetAndSaysSo)
{
    // 10^13 keys of hash-mod would route for hours key by key; 10^8 evenly spaced keys answer in seconds.
    const CliResult json = runCli({ "migrate", "--from", "hash-mod:n=8", "--to", "hash-mod:n=9", "--keys",
        "10000000000000", "--format", "json" });
    ASSERT_EQ(json.exitCode, 0) << json.err;
    const auto out = nlohmann::json::parse(json.out);
    EXPECT_EQ(out["keys"], 10'000'000'000'000u);
    EXPECT_EQ(out["exact"], false);
    EXPECT_EQ(out["sampled_keys"], 100'000'000u);
    const double p = out["moved_fraction"];
    const double error = out["moved_fraction_standard_error"];
    EXPECT_NEAR(error, std::sqrt(p * (1 - p) / 1e8), 1e-12);
    // hash mod 8 = hash mod 9 iff hash mod 72 < 8: 1/9 of the keys stay.
    EXPECT_NEAR(p, 8.0 / 9, 5 * error);

    const CliResult text
        = runCli({ "migrate", "--from", "hash-mod:n=8", "--to", "hash-mod:n=9", "--keys", "10000000000000" });
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_NE(text.out.find("estimated: 100000000 evenly spaced keys routed"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("moved_fraction    0.88"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find(" ± 0.0000"), std::string::npos) << text.out;

    // Within the budget the count is exact and says nothing of an estimate.
    const CliResult exact
        = runCli({ "migrate", "--from", "hash-mod:n=8", "--to", "hash-mod:n=9", "--keys", "1000", "--format", "json" });
    ASSERT_EQ(exact.exitCode, 0) << exact.err;
    EXPECT_EQ(nlohmann::json::parse(exact.out)["exact"], true);
    EXPECT_FALSE(nlohmann::json::parse(exact.out).contains("sampled_keys"));
}

} // namespace
