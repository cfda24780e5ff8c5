// The job runner the Plan and Compare views run their work through: the result of the job asked for last is
// delivered, an earlier one's is dropped, a new request or cancel() cancels the job under way, and a sweep runs
// through it as `shardsim-cli sweep` runs it. The jobs wait on flags the test sets, never on time.
#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>

#include "shardsim/engine/simulation.h"
#include "shardsim/batch/sweep_run.h"
#include "shardsim/scenario/scenario_reader.h"
#include "workers/job_runner.h"

using namespace shardsim;
using namespace shardsim::ui;

namespace {

constexpr int kWaitMs = 60'000; // an upper bound for a stuck test, not a timing assumption

// Spins (yielding) until `flag` is set.
void waitFor(const std::atomic<bool>& flag)
{
    while (!flag.load())
        std::this_thread::yield();
}

} // namespace

TEST(JobRunner, ResultOfAnEarlierJobIsDroppedWhenItEndsLate)
{
    JobRunner runner;
    QSignalSpy dropped(&runner, &JobRunner::dropped);
    std::atomic<bool> releaseFirst { false };
    std::vector<std::string> shown;
    // The first job does not look at its cancel flag: only the generation keeps its result out.
    const uint64_t first = runner.start<std::string>(
        [&releaseFirst](const std::atomic<bool>&) {
            waitFor(releaseFirst);
            return std::string("first");
        },
        [&shown](std::string result) { shown.push_back(result); });
    EXPECT_TRUE(runner.busy());
    const uint64_t second = runner.start<std::string>([](const std::atomic<bool>&) { return std::string("second"); },
        [&shown](std::string result) { shown.push_back(result); });
    EXPECT_NE(first, second);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !runner.busy(); }, kWaitMs));
    EXPECT_EQ(shown, std::vector<std::string> { "second" });

    releaseFirst = true;
    ASSERT_TRUE(QTest::qWaitFor([&] { return dropped.count() == 1; }, kWaitMs));
    EXPECT_EQ(dropped.at(0).at(0).value<uint64_t>(), first);
    EXPECT_EQ(shown, std::vector<std::string> { "second" }) << "the late result must not replace the newer one";
    EXPECT_FALSE(runner.busy());
}

TEST(JobRunner, NewRequestCancelsTheJobUnderWay)
{
    JobRunner runner;
    QSignalSpy delivered(&runner, &JobRunner::delivered);
    QSignalSpy dropped(&runner, &JobRunner::dropped);
    std::atomic<bool> firstStarted { false };
    std::atomic<bool> firstSawCancel { false };
    int shown = 0;
    const uint64_t first = runner.start<int>(
        [&](const std::atomic<bool>& cancel) {
            firstStarted = true;
            waitFor(cancel);
            firstSawCancel = true;
            return 1;
        },
        [&shown](int value) { shown = value; });
    // Started for sure, so it is the running job, not a queued one, that the next request cancels.
    ASSERT_TRUE(QTest::qWaitFor([&] { return firstStarted.load(); }, kWaitMs));
    const uint64_t second
        = runner.start<int>([](const std::atomic<bool>&) { return 2; }, [&shown](int value) { shown = value; });
    ASSERT_TRUE(QTest::qWaitFor([&] { return delivered.count() == 1 && dropped.count() == 1; }, kWaitMs));
    EXPECT_TRUE(firstSawCancel);
    EXPECT_EQ(delivered.at(0).at(0).value<uint64_t>(), second);
    EXPECT_EQ(dropped.at(0).at(0).value<uint64_t>(), first);
    EXPECT_EQ(shown, 2);
}

TEST(JobRunner, CancelStopsTheJobAndDeliversNothing)
{
    JobRunner runner;
    QSignalSpy busy(&runner, &JobRunner::busyChanged);
    QSignalSpy dropped(&runner, &JobRunner::dropped);
    std::atomic<bool> sawCancel { false };
    bool called = false;
    runner.start<int>(
        [&sawCancel](const std::atomic<bool>& cancel) {
            waitFor(cancel);
            sawCancel = true;
            return 0;
        },
        [&called](int) { called = true; });
    runner.cancel();
    EXPECT_FALSE(runner.busy()) << "a cancelled job is no longer the view's business";
    ASSERT_EQ(busy.count(), 2);
    EXPECT_FALSE(busy.at(1).at(0).toBool());
    ASSERT_TRUE(QTest::qWaitFor([&] { return dropped.count() == 1; }, kWaitMs));
    EXPECT_TRUE(sawCancel);
    EXPECT_FALSE(called);
}

TEST(JobRunner, RunsASweepAsTheCommandLineDoes)
{
    const std::string file = SHARDSIM_TEST_DATA "/plans/growth-quarters.yaml";
    const ScenarioFileText text = readScenarioFileText(file);
    ASSERT_TRUE(text.ok());
    auto param = parseSweepParam("cluster.nodes=4,8");
    ASSERT_TRUE(param);
    const std::vector<SweepParam> params { *param };
    auto grid = sweepGrid(params);
    ASSERT_TRUE(grid);
    const std::vector<SweepPoint> points = *grid;
    const SweepScenarios scenarios
        = loadSweepScenarios(text.text, file, SHARDSIM_TEST_DATA "/plans", {}, params, points);
    ASSERT_TRUE(scenarios.errors.empty()) << scenarios.errors.front();

    JobRunner runner;
    std::optional<SweepRun> run;
    runner.start<SweepRun>(
        [&](const std::atomic<bool>& cancel) {
            SweepRunOptions options;
            options.engine = EngineMode::Expected;
            options.jobs = 2;
            options.record = false;
            options.cancel = &cancel;
            return runSweep(scenarios.configs, points, options);
        },
        [&run](SweepRun result) { run = std::move(result); });
    ASSERT_TRUE(QTest::qWaitFor([&] { return run.has_value(); }, kWaitMs));
    EXPECT_FALSE(run->cancelled);
    ASSERT_EQ(run->outcomes.size(), 2u);

    // Each row is the point's own run, made here without the runner or the pool.
    std::string expected = sweepCsvHeader(params);
    for (std::size_t i = 0; i < points.size(); ++i) {
        EXPECT_TRUE(run->outcomes[i].error.empty()) << run->outcomes[i].error;
        EXPECT_FALSE(run->outcomes[i].runId);
        RunOptions options;
        options.engine = EngineMode::Expected;
        auto result = runCompleteSimulation(scenarios.configs[i], options);
        ASSERT_TRUE(result) << result.error();
        expected += sweepCsvRow(points[i], *result);
    }
    EXPECT_EQ(sweepCsv(params, *run, true), expected);
    EXPECT_NE(expected.find("cluster.nodes"), std::string::npos);
}
