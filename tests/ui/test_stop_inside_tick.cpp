// Stop reaches the engine inside a tick: a run whose one tick would take many minutes ends within moments of
// Stop, keeps no partial tick and says it was stopped.
#include <QTest>
#include <gtest/gtest.h>

#include "shardsim/scenario/scenario_reader.h"
#include "workers/run_controller.h"

using namespace shardsim;
using namespace shardsim::ui;

namespace {

// The engine as the app runs it, but always sampled: the app's auto engine would compute this run in moments.
RunFactory sampledEngineFactory()
{
    return [](const ScenarioConfig& config, RunOptions options) {
        options.engine = EngineMode::Sampled;
        return engineRunFactory()(config, std::move(options));
    };
}

std::shared_ptr<const ScenarioConfig> oneHugeTick()
{
    // A day in one tick at 1M/s: 8.64 x 10^10 requests to draw.
    ScenarioLoad load = loadScenarioText("name: huge-tick\nduration: 1d\ntick: 1d\ncluster: { nodes: 8 }\n"
                                         "data: { tables: [ { name: t, rows: 1M } ] }\n"
                                         "sharding: { rule: \"hash-mod:n=8\" }\nworkload: { rate: 1M/s }\n",
        "huge.yaml", {});
    EXPECT_TRUE(load.ok()) << load.errorText();
    return std::make_shared<const ScenarioConfig>(*load.config);
}

} // namespace

TEST(StopInsideATick, EndsARunWhoseOneTickTakesMinutes)
{
    RunController controller;
    controller.setRunFactory(sampledEngineFactory());
    controller.start(oneHugeTick());
    ASSERT_TRUE(QTest::qWaitFor([&] { return controller.snapshot() != nullptr; }, 10'000));
    QTest::qWait(300); // the worker is inside the tick now
    ASSERT_EQ(controller.state(), RunController::State::Running);
    controller.stop();
    // Generous: the bound catches a Stop that waits for the tick to end (minutes), not a slow machine.
    ASSERT_TRUE(QTest::qWaitFor([&] { return controller.state() == RunController::State::Stopped; }, 10'000))
        << "Stop did not reach the tick under way";
    QTest::qWait(50);
    const RunSnapshotPtr snapshot = controller.snapshot();
    ASSERT_TRUE(snapshot && snapshot->result);
    EXPECT_TRUE(snapshot->result->cancelled);
    EXPECT_EQ(snapshot->ticksDone, 0) << "the tick cut short is not counted";
    EXPECT_EQ(snapshot->result->requests, 0);
}
