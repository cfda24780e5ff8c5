// Runs through the worker thread: to the end, one tick at a time, paused, stopped, replaced.
#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

#include "charts/decimation.h"
#include "scripted_run.h"
#include "workers/run_controller.h"

using namespace shardsim;
using namespace shardsim::ui;
using namespace std::chrono_literals;

namespace {

bool waitForState(RunController& controller, RunController::State state, int timeoutMs = 20'000)
{
    return QTest::qWaitFor([&] { return controller.state() == state; }, timeoutMs);
}

} // namespace

TEST(RunController, RunsToTheEndAndPublishesTheResult)
{
    RunController controller;
    controller.setRunFactory(test::scriptedRunFactory({ 4, 100 }));
    controller.start(test::scriptedScenario());
    ASSERT_TRUE(waitForState(controller, RunController::State::Finished));
    QTest::qWait(50); // the last snapshot is queued behind the state change
    const RunSnapshotPtr snapshot = controller.snapshot();
    ASSERT_TRUE(snapshot);
    EXPECT_EQ(snapshot->phase, RunPhase::Finished);
    EXPECT_EQ(snapshot->ticksDone, 100);
    ASSERT_EQ(snapshot->windows.size(), 100u) << "a short run keeps every tick";
    EXPECT_FLOAT_EQ(snapshot->windows[10]->qps[3], 400.f) << "node 4 serves 4 x 100 requests/s";
    ASSERT_TRUE(snapshot->result);
    EXPECT_FALSE(snapshot->result->cancelled);
    ASSERT_TRUE(snapshot->charts);
    EXPECT_EQ(snapshot->charts->nodeLines.size(), 4u);
    EXPECT_FALSE(snapshot->charts->heatmap.isNull());
}

TEST(RunController, StepRunsExactlyOneTickAndStaysPaused)
{
    RunController controller;
    controller.setRunFactory(test::scriptedRunFactory({ 4, 100 }));
    controller.start(test::scriptedScenario(), true);
    for (int i = 0; i < 3; ++i)
        controller.step();
    ASSERT_TRUE(QTest::qWaitFor([&] { return controller.snapshot() && controller.snapshot()->ticksDone == 3; }, 5000));
    QTest::qWait(100);
    EXPECT_EQ(controller.snapshot()->ticksDone, 3);
    EXPECT_EQ(controller.state(), RunController::State::Paused);
    controller.resume();
    ASSERT_TRUE(waitForState(controller, RunController::State::Finished));
}

TEST(RunController, PauseHoldsTheRunWhereItIs)
{
    RunController controller;
    controller.setRunFactory(test::scriptedRunFactory({ 4, 100'000, 1, 100, 200us }));
    controller.start(test::scriptedScenario());
    ASSERT_TRUE(QTest::qWaitFor([&] { return controller.snapshot() && controller.snapshot()->ticksDone > 10; }, 5000));
    controller.pause();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return controller.snapshot() && controller.snapshot()->phase == RunPhase::Paused; }, 5000));
    const int64_t held = controller.snapshot()->ticksDone;
    QTest::qWait(200);
    EXPECT_EQ(controller.snapshot()->ticksDone, held);
    EXPECT_EQ(controller.state(), RunController::State::Paused);
    controller.stop();
    ASSERT_TRUE(waitForState(controller, RunController::State::Stopped));
}

TEST(RunController, StopEndsALongRunPromptlyAndKeepsWhatWasSimulated)
{
    RunController controller;
    controller.setRunFactory(test::scriptedRunFactory({ 4, 1'000'000, 1, 100, 100us }));
    controller.start(test::scriptedScenario());
    ASSERT_TRUE(QTest::qWaitFor([&] { return controller.snapshot() && controller.snapshot()->ticksDone > 0; }, 5000));
    controller.stop();
    ASSERT_TRUE(waitForState(controller, RunController::State::Stopped, 2000)) << "a stop takes effect between ticks";
    QTest::qWait(50);
    const RunSnapshotPtr snapshot = controller.snapshot();
    ASSERT_TRUE(snapshot && snapshot->result);
    EXPECT_TRUE(snapshot->result->cancelled);
    EXPECT_GT(snapshot->ticksDone, 0);
    EXPECT_LT(snapshot->ticksDone, 1'000'000);
    EXPECT_EQ(snapshot->result->ticks, snapshot->ticksDone);
}

TEST(RunController, ANewRunDropsEverySnapshotOfTheOldOne)
{
    RunController controller;
    controller.setRunFactory(test::scriptedRunFactory({ 4, 1'000'000, 1, 100, 50us }));
    controller.start(test::scriptedScenario());
    ASSERT_TRUE(QTest::qWaitFor([&] { return controller.snapshot() != nullptr; }, 5000));
    const uint64_t old = controller.generation();

    controller.setRunFactory(test::scriptedRunFactory({ 2, 50 }));
    QSignalSpy snapshots(&controller, &RunController::snapshotChanged);
    controller.start(test::scriptedScenario());
    ASSERT_TRUE(waitForState(controller, RunController::State::Finished));
    QTest::qWait(200); // anything the old worker still had in flight arrives now
    ASSERT_GT(snapshots.count(), 0);
    for (const QList<QVariant>& arguments : snapshots) {
        const auto snapshot = arguments.at(0).value<RunSnapshotPtr>();
        ASSERT_TRUE(snapshot);
        EXPECT_GT(snapshot->generation, old);
        EXPECT_EQ(snapshot->nodeCount(), 2);
    }
}

TEST(RunController, APacedRunKeepsToItsSpeed)
{
    RunController controller;
    controller.setRunFactory(test::scriptedRunFactory({ 4, 10'000 }));
    controller.setSpeed(20); // 20 simulated seconds, so 20 one-second ticks, per wall-clock second
    controller.start(test::scriptedScenario());
    QTest::qWait(500);
    ASSERT_TRUE(controller.snapshot());
    EXPECT_LT(controller.snapshot()->ticksDone, 100) << "at full speed this run is over in a blink";
    controller.setSpeed(0);
    ASSERT_TRUE(waitForState(controller, RunController::State::Finished));
}

TEST(RunController, ReportsAFailureToCreateTheRun)
{
    RunController controller;
    controller.setRunFactory([](const ScenarioConfig&, RunOptions) -> Result<std::unique_ptr<SteppedRun>> {
        return fail("no simulator for this scenario");
    });
    controller.start(test::scriptedScenario());
    ASSERT_TRUE(waitForState(controller, RunController::State::Failed));
    QTest::qWait(20);
    ASSERT_TRUE(controller.snapshot());
    EXPECT_EQ(controller.snapshot()->error, "no simulator for this scenario");
}

TEST(RunController, ChartsNeverGetMorePointsThanTheWidthTheyAskedFor)
{
    RunController controller;
    controller.setRunFactory(test::scriptedRunFactory({ 40, 5000 }));
    controller.setChartRequest(ChartRequest { 300, 25 });
    controller.start(test::scriptedScenario(40, "5000s"));
    ASSERT_TRUE(waitForState(controller, RunController::State::Finished));
    QTest::qWait(50);
    const auto& charts = *controller.snapshot()->charts;
    EXPECT_LE(charts.clusterQps.size(), 300);
    EXPECT_LE(charts.heatmap.width(), 300);
    // 40 nodes: the 8 busiest, the selected node 26, and "others".
    ASSERT_EQ(charts.nodeLines.size(), 10u);
    EXPECT_EQ(charts.nodeLines[8].node, 25);
    EXPECT_EQ(charts.nodeLines.back().node, -1);
    for (const ChartLine& line : charts.nodeLines)
        EXPECT_LE(line.points.size(), 300) << line.name.toStdString();
}

TEST(Decimation, KeepsEveryPeakAndTroughWithinTheBudget)
{
    QVector<QPointF> points;
    for (int i = 0; i < 100'000; ++i)
        points.append({ double(i), i == 31'337 ? 1e6 : i == 77'777 ? -1e6 : std::sin(i / 100.0) });
    const QVector<QPointF> out = decimateMinMax(points, 500);
    EXPECT_LE(out.size(), 500);
    EXPECT_GE(out.size(), 400);
    EXPECT_TRUE(std::any_of(out.begin(), out.end(), [](const QPointF& p) { return p.y() == 1e6; }));
    EXPECT_TRUE(std::any_of(out.begin(), out.end(), [](const QPointF& p) { return p.y() == -1e6; }));
    EXPECT_TRUE(
        std::is_sorted(out.begin(), out.end(), [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); }));
    EXPECT_EQ(decimateMinMax(points.mid(0, 10), 500).size(), 10) << "short series pass unchanged";
}
