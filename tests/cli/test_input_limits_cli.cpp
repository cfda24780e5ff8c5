// Input past the documented limits, and paths that are not files, are refused with exit 2 and their place by every
// command that reads a scenario; nothing hostile turns into an answer with exit 0.

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cli_runner.h"

namespace {

class InputLimitsCli : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = std::filesystem::temp_directory_path()
            / ("shardsim-limits-" + std::to_string(::getpid()) + "-"
                + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }

    // A scenario file of `workload.rate` and `timing`, with a plan: section so that `plan` reads it as well.
    std::string write(const std::string& name, const std::string& timing, const std::string& rate,
        const std::string& extra = {}) const
    {
        const std::string path = (m_dir / name).string();
        std::ofstream(path) << "name: limits\n"
                            << timing
                            << "\n"
                               "cluster: { nodes: 4, node: { max_qps: 1T } }\n"
                               "data: { tables: [ { name: t_user, key: uid, rows: 1M } ] }\n"
                               "sharding: { rule: mod:n=4 }\n"
                               "workload:\n"
                               "  rate: "
                            << rate << "\n"
                            << extra << "plan: { horizon: 1y, step: year }\n";
        return path;
    }

    std::string path(const std::string& name) const { return (m_dir / name).string(); }

    std::filesystem::path m_dir;
};

// Every command that reads a scenario, with what it needs besides the file.
std::vector<std::vector<std::string>> commandsOn(const std::string& file, const std::string& out)
{
    return { { "validate", file }, { "run", file, "--no-history" }, { "run", file, "--no-history", "--format", "json" },
        { "run", file, "--no-history", "--out", out }, { "plan", file }, { "plan", file, "--format", "json" },
        { "sweep", file, "--param", "cluster.nodes=4,8", "--out", out, "--no-history" } };
}

TEST_F(InputLimitsCli, GrowthPastTheRateLimitIsRefusedByEveryCommand)
{
    // The case: it printed "requests -nan", wrote "requests: null" and exited 0.
    const std::string file = write(
        "growth.yaml", "duration: 100y\ntick: 30d", "{ shape: constant, base: 1T/s, growth: 100000%/year }");
    for (const auto& args : commandsOn(file, path("out"))) {
        const CliResult result = runCli(args);
        const std::string all = result.out + result.err;
        EXPECT_EQ(result.exitCode, 2) << args[0] << ": " << all;
        EXPECT_NE(all.find(file + ":8:48: error: workload.rate.growth: 100000%/year over 36500d"), std::string::npos)
            << args[0] << ": " << all;
        EXPECT_NE(all.find("the limit of 10^12 requests/s (1T/s)"), std::string::npos) << args[0] << ": " << all;
        EXPECT_EQ(all.find("nan"), std::string::npos) << args[0] << ": " << all;
    }
    EXPECT_FALSE(std::filesystem::exists(path("out") + "/summary.json"));
}

TEST_F(InputLimitsCli, APeakPastTheRateLimitIsRefusedByEveryCommand)
{
    // It ran at 10^18 requests/s.
    const std::string file = write("peak.yaml", "duration: 1d\ntick: 1m", "{ shape: double-11, base: 1T/s, peak: 1000000x }");
    for (const auto& args : commandsOn(file, path("out"))) {
        const CliResult result = runCli(args);
        const std::string all = result.out + result.err;
        EXPECT_EQ(result.exitCode, 2) << args[0] << ": " << all;
        EXPECT_NE(all.find(file + ":8:47: error: workload.rate.peak: 1000000x times the base of 1T/s peaks at 10^18/s"),
            std::string::npos)
            << args[0] << ": " << all;
    }
}

TEST_F(InputLimitsCli, OverridesMeetTheSameLimits)
{
    const std::string file = write("fine.yaml", "duration: 1d\ntick: 1m", "{ shape: double-11, base: 1B/s }");
    ASSERT_EQ(runCli({ "validate", file }).exitCode, 0) << runCli({ "validate", file }).out;
    for (const std::string command : { "validate", "run", "plan" }) {
        std::vector<std::string> args { command, file, "--set", "workload.rate.peak=5000x" };
        if (args[0] == "run")
            args.push_back("--no-history");
        const CliResult result = runCli(args);
        EXPECT_EQ(result.exitCode, 2) << command;
        EXPECT_NE((result.out + result.err).find("override 'workload.rate.peak=5000x': error: workload.rate.peak"),
            std::string::npos)
            << command << ": " << result.out << result.err;
    }
    const CliResult sweep = runCli({ "sweep", file, "--param", "workload.rate.peak=2x,5000x", "--out", path("out"),
        "--no-history" });
    EXPECT_EQ(sweep.exitCode, 2);
    EXPECT_NE(sweep.err.find("the limit of 10^12 requests/s"), std::string::npos) << sweep.err;
}

TEST_F(InputLimitsCli, APlanWhoseGrowthPassesTheLimitByItsHorizonIsRefused)
{
    // Within the limit for the one day simulated; past it three years on, where the plan sizes the cluster.
    const std::string file
        = write("horizon.yaml", "duration: 1d\ntick: 1m", "{ shape: constant, base: 100B/s, growth: 300%/year }");
    EXPECT_EQ(runCli({ "run", file, "--no-history", "--engine", "expected", "-q" }).exitCode, 0);
    const CliResult result = runCli({ "plan", file, "--set", "plan.horizon=3y" });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("error: plan.horizon: the workload's growth takes the rate to 6.42T/s by the end of the "
                              "horizon"),
        std::string::npos)
        << result.err;
}

TEST_F(InputLimitsCli, AnExpectationOnNaNSaysWhatATresholdIs)
{
    const std::string file = write("nan.yaml", "duration: 1h", "1K/s",
        "expect:\n  - { metric: imbalance.max_over_mean, equals: .nan }\n");
    const CliResult result = runCli({ "validate", file });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.out.find(file
                  + ":9:48: error: expect[0].equals: expected a finite number like 0.99, a percentage like 5% or a "
                    "count like 1M, got '.nan'"),
        std::string::npos)
        << result.out;
}

TEST_F(InputLimitsCli, ControlCharactersInNamesNeverReachTheTerminal)
{
    const std::string file = path("escape.yaml");
    std::ofstream(file) << "name: \"x\\e]0;owned\\a\\e[2J\"\nduration: 1h\ncluster: { nodes: 4 }\n"
                           "data: { tables: [ { name: \"t\\e[31m\", rows: 1M } ] }\n"
                           "sharding: { rule: mod:n=4 }\nworkload: { rate: 1K/s }\n";
    for (const auto& args : { std::vector<std::string> { "validate", file },
             std::vector<std::string> { "run", file, "--no-history" } }) {
        const CliResult result = runCli(args);
        const std::string all = result.out + result.err;
        EXPECT_EQ(result.exitCode, 2) << args[0];
        EXPECT_NE(all.find(file + ":1:7: error: name: holds the control or invisible character U+001B"),
            std::string::npos)
            << all;
        EXPECT_NE(all.find(file + ":4:27: error: data.tables[0].name: 't\\x1b[31m' is not a valid name"),
            std::string::npos)
            << all;
        EXPECT_EQ(all.find('\x1b'), std::string::npos) << "a raw escape reached the terminal";
        EXPECT_EQ(all.find('\a'), std::string::npos);
    }
}

TEST_F(InputLimitsCli, PathsThatAreNotFilesAreRefusedAtOnce)
{
    ASSERT_EQ(::mkfifo(path("fifo.yaml").c_str(), 0600), 0);
    std::filesystem::create_directories(path("dir.yaml"));
    // A FIFO with no writer blocks whoever opens it: this returning at all shows it is never opened.
    for (const auto& [file, what] : { std::pair { path("fifo.yaml"), "it is not a regular file (it is a FIFO)" },
             std::pair { path("dir.yaml"), "it is a directory" },
             std::pair { std::string("/dev/zero"), "it is not a regular file (it is a character device)" } }) {
        for (const auto& args : { std::vector<std::string> { "validate", file },
                 std::vector<std::string> { "run", file, "--no-history" }, std::vector<std::string> { "plan", file },
                 std::vector<std::string> { "sweep", file, "--param", "cluster.nodes=4,8", "--out", path("out"),
                     "--no-history" } }) {
            const CliResult result = runCli(args);
            EXPECT_EQ(result.exitCode, 2) << args[0] << ' ' << file;
            EXPECT_NE((result.out + result.err).find(file + ": error: cannot open the file: " + what),
                std::string::npos)
                << args[0] << ": " << result.out << result.err;
        }
    }
}

TEST_F(InputLimitsCli, ATraceOrDirectoryFileThatIsNotAFileSaysWhatItIs)
{
    std::filesystem::create_directories(path("traces"));
    const std::string trace = write("trace.yaml", "duration: 1h", "1K/s", "  keys: { distribution: trace, file: /dev/zero }\n");
    CliResult result = runCli({ "validate", trace });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.out.find(trace + ":8:38:"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("workload.keys.file: /dev/zero is not a regular file (it is a character device)"),
        std::string::npos)
        << result.out;

    const std::string directory
        = write("traced.yaml", "duration: 1h", "1K/s", "  keys: { distribution: trace, file: traces }\n");
    result = runCli({ "validate", directory });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.out.find("workload.keys.file: " + path("traces") + " is a directory"), std::string::npos)
        << result.out;
    EXPECT_EQ(result.out.find("no such file"), std::string::npos) << result.out;

    result = runCli({ "route", "--rule", "directory:file=" + path("traces"), "1" });
    EXPECT_NE(result.exitCode, 0);
    EXPECT_NE((result.out + result.err).find("cannot read the directory file '" + path("traces") + "': it is a directory"),
        std::string::npos)
        << result.out << result.err;
}

TEST_F(InputLimitsCli, ABinaryFileIsDescribedAsOne)
{
    const std::string file = path("binary.yaml");
    std::ofstream(file, std::ios::binary) << "\x7f" << "ELF" << std::string(3, '\0') << "\xff\xfe";
    const CliResult result = runCli({ "validate", file });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.out.find(file + ":1: error: not a text file: found a NUL byte"), std::string::npos) << result.out;
}

TEST_F(InputLimitsCli, RatesPrintInTheirUnitAfterRounding)
{
    // 999,999/s rounds to 1000K at three digits: it must print as 1M/s.
    const std::string file = write("round.yaml", "duration: 10s\ntick: 1s", "999999/s");
    const CliResult result = runCli({ "run", file, "--no-history", "--engine", "expected" });
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("peak       1M/s"), std::string::npos) << result.out;
    EXPECT_EQ(result.out.find("e+0"), std::string::npos) << result.out;
}

} // namespace
