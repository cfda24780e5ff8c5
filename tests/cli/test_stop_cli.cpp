// Ctrl-C stops every long command at once and leaves nothing half done: no file in --out (not even a temporary
// one), no row in the run history, exit 130. Bounds on time here are generous (10 s): they catch a command that
// does not stop, not a slow machine.

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

#include "cli_process.h"
#include "cli_runner.h"
#include "shardsim/history/run_history.h"

namespace fs = std::filesystem;

namespace {

constexpr int kExitInterrupted = 130;
constexpr int kStopBoundMs = 10'000;

class StopCli : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path()
            / ("shardsim-stop-" + std::to_string(getpid()) + "-"
                + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    // One tick of a whole day at 1M/s: 8.64 x 10^10 requests for the sampled engine, many minutes of drawing.
    std::string hugeTick() const
    {
        const fs::path path = m_dir / "huge-tick.yaml";
        std::ofstream(path) << "name: huge-tick\nduration: 1d\ntick: 1d\n"
                               "cluster: { nodes: 8 }\n"
                               "data: { tables: [ { name: t, rows: 1M } ] }\n"
                               "sharding: { rule: \"hash-mod:n=8\" }\n"
                               "workload: { rate: 1M/s }\n";
        return path.string();
    }

    // A history holding one quick run.
    std::string historyWithOneRun() const
    {
        const fs::path quick = m_dir / "quick.yaml";
        std::ofstream(quick) << "name: quick\nduration: 5s\ntick: 1s\ncluster: { nodes: 2 }\n"
                                "data: { tables: [ { name: t, rows: 100 } ] }\n"
                                "sharding: { rule: \"mod:n=2\" }\nworkload: { rate: 10/s }\n";
        const std::string db = (m_dir / "history.sqlite").string();
        const CliResult result = runCli({ "run", quick.string(), "--history", db, "--quiet" });
        EXPECT_EQ(result.exitCode, 0) << result.err;
        return db;
    }

    static size_t runsIn(const std::string& db)
    {
        auto history = shardsim::RunHistory::open(db);
        EXPECT_TRUE(history) << history.error();
        auto runs = history ? history->list()
                            : shardsim::Result<std::vector<shardsim::RunRecord>>(shardsim::fail("no history"));
        EXPECT_TRUE(runs) << runs.error();
        return runs ? runs->size() : 0;
    }

    static std::vector<std::string> entries(const fs::path& dir)
    {
        std::vector<std::string> names;
        if (fs::exists(dir))
            for (const auto& entry : fs::directory_iterator(dir))
                names.push_back(entry.path().filename().string());
        return names;
    }

    fs::path m_dir;
};

TEST_F(StopCli, RunStopsInsideAHugeTickAndLeavesNoFileAndNoHistoryRow)
{
    const std::string db = historyWithOneRun();
    const fs::path out = m_dir / "out";
    CliProcess run({ "run", hugeTick(), "--engine", "sampled", "--out", out.string(), "--history", db });
    // The warning comes just before the first tick starts.
    ASSERT_TRUE(run.waitForStderr("--engine expected", kStopBoundMs)) << run.err();
    EXPECT_NE(run.err().find("warning: the sampled engine will draw about 86.4B requests"), std::string::npos)
        << run.err();
    usleep(300'000); // well inside the one tick
    run.interrupt();
    ASSERT_TRUE(run.waitForExit(kStopBoundMs)) << "Ctrl-C did not stop the run";
    ASSERT_TRUE(run.exited()) << "ended by signal " << run.signal();
    EXPECT_EQ(run.exitCode(), kExitInterrupted) << run.err();
    EXPECT_NE(run.err().find("interrupted: nothing was written or recorded"), std::string::npos) << run.err();
    EXPECT_EQ(entries(out), std::vector<std::string> {}) << "no output file, no temporary file";
    EXPECT_EQ(runsIn(db), 1u) << "no history row for the interrupted run";
}

TEST_F(StopCli, ASmallSampledRunSaysNothingAboutTime)
{
    const fs::path path = m_dir / "small.yaml";
    std::ofstream(path) << "name: small\nduration: 10s\ntick: 1s\ncluster: { nodes: 2 }\n"
                           "data: { tables: [ { name: t, rows: 100 } ] }\n"
                           "sharding: { rule: \"mod:n=2\" }\nworkload: { rate: 1K/s }\n";
    const CliResult result = runCli({ "run", path.string(), "--engine", "sampled", "--no-history" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(result.err.find("will draw"), std::string::npos) << result.err;
}

TEST_F(StopCli, SweepStopsAndWritesNoCsvAndRecordsNoRun)
{
    const std::string db = historyWithOneRun();
    const fs::path out = m_dir / "sweep";
    CliProcess sweep({ "sweep", hugeTick(), "--param", "cluster.nodes=4,8", "--jobs", "2", "--engine", "sampled",
        "--out", out.string(), "--history", db });
    usleep(800'000);
    sweep.interrupt();
    ASSERT_TRUE(sweep.waitForExit(kStopBoundMs)) << "Ctrl-C did not stop the sweep";
    ASSERT_TRUE(sweep.exited()) << "ended by signal " << sweep.signal();
    EXPECT_EQ(sweep.exitCode(), kExitInterrupted) << sweep.err();
    EXPECT_EQ(entries(out), std::vector<std::string> {}) << "no sweep.csv";
    EXPECT_EQ(runsIn(db), 1u);
}

TEST_F(StopCli, PlanStopsAndWritesNoPlan)
{
    // A plan of ten years by month on four node types: hundreds of simulations, many seconds.
    const fs::path path = m_dir / "long-plan.yaml";
    std::ofstream(path) << "name: long-plan\nduration: 1d\ntick: 1m\n"
                           "cluster: { nodes: 64, node: { max_qps: 20K, storage: 2TB } }\n"
                           "data: { tables: [ { name: t_user, key: uid, rows: 900M, growth: 10/s } ] }\n"
                           "sharding: { rule: \"jump:buckets=64\" }\n"
                           "workload: { rate: { shape: diurnal, base: 1M/s, peak: 3x, growth: 40%/year } }\n"
                           "plan:\n  horizon: 10y\n  step: month\n"
                           "  node_types:\n"
                           "    - { name: s, max_qps: 10K, storage: 1TB, cost_per_month: 100 }\n"
                           "    - { name: m, max_qps: 20K, storage: 2TB, cost_per_month: 180 }\n"
                           "    - { name: l, max_qps: 40K, storage: 4TB, cost_per_month: 330 }\n"
                           "    - { name: xl, max_qps: 80K, storage: 8TB, cost_per_month: 600 }\n";
    const fs::path out = m_dir / "plan";
    CliProcess plan({ "plan", path.string(), "--out", out.string() });
    usleep(800'000);
    plan.interrupt();
    ASSERT_TRUE(plan.waitForExit(kStopBoundMs)) << "Ctrl-C did not stop the plan";
    ASSERT_TRUE(plan.exited()) << "ended by signal " << plan.signal();
    EXPECT_EQ(plan.exitCode(), kExitInterrupted) << plan.err();
    EXPECT_EQ(entries(out), std::vector<std::string> {}) << "no plan.json";
}

TEST_F(StopCli, MigrateEndsAtOnce)
{
    // Five tables of a billion rows on a hashed rule: each counted on 10^8 keys, seconds in all.
    const fs::path path = m_dir / "big-tables.yaml";
    std::ofstream(path) << "name: big-tables\nduration: 1m\ncluster: { nodes: 8 }\n"
                           "data:\n  tables:\n"
                           "    - { name: a, key: a_id, rows: 1B }\n"
                           "    - { name: b, key: b_id, rows: 1B }\n"
                           "    - { name: c, key: c_id, rows: 1B }\n"
                           "    - { name: d, key: d_id, rows: 1B }\n"
                           "    - { name: e, key: e_id, rows: 1B }\n"
                           "sharding: { rule: \"hash-mod:n=8\" }\n"
                           "workload: { rate: 1K/s }\n";
    CliProcess migrate({ "migrate", "--scenario", path.string(), "--to", "hash-mod:n=9" });
    usleep(500'000);
    migrate.interrupt();
    ASSERT_TRUE(migrate.waitForExit(kStopBoundMs)) << "Ctrl-C did not stop migrate";
    // migrate writes nothing before it prints: Ctrl-C has its default action, which a shell reports as 130.
    EXPECT_FALSE(migrate.exited()) << "it finished before Ctrl-C: " << migrate.err();
    EXPECT_EQ(migrate.signal(), SIGINT);
}

} // namespace
