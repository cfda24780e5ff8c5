#include "models/history_snapshot.h"

#include "workers/run_collector.h"

namespace shardsim::ui {

namespace {
    std::shared_ptr<const TickWindow> tickWindow(const RunWindow& stored)
    {
        auto window = std::make_shared<TickWindow>();
        window->firstTick = stored.firstTick;
        window->ticks = stored.ticks;
        RunCollector::setCluster(*window, stored.cluster);
        window->resizeNodes(stored.nodes.size());
        for (size_t i = 0; i < stored.nodes.size(); ++i)
            window->setNode(i, stored.nodes[i]);
        return window;
    }
}

Result<ReopenedRun> reopenRun(const RunHistory& history, int64_t runId, const ChartRequest& charts, uint64_t generation)
{
    auto loaded = history.load(runId);
    if (!loaded)
        return fail(loaded.error());
    if (!loaded->has_value())
        return fail("there is no run " + std::to_string(runId) + " in the history any more");
    StoredRun& run = **loaded;

    auto snapshot = std::make_shared<RunSnapshot>();
    snapshot->generation = generation;
    snapshot->phase = run.record.cancelled ? RunPhase::Cancelled : RunPhase::Finished;
    snapshot->scenario = run.record.scenario;
    snapshot->tickSeconds = run.record.tickSeconds > 0 ? run.record.tickSeconds : 1.0;
    snapshot->ticksDone = run.record.ticks;
    snapshot->tickCount = run.record.ticks; // a cancelled run's time axis ends where it stopped
    snapshot->historyRunId = run.record.id;
    snapshot->nodeMaxQps = run.nodeMaxQps;
    snapshot->elapsedSeconds = run.record.wallSeconds;
    snapshot->windowTicks = run.windowTicks;
    for (const StoredNode& node : run.nodes)
        snapshot->nodes.push_back(NodeInfo { node.name, node.region });
    snapshot->windows.reserve(run.windows.size());
    for (const RunWindow& window : run.windows)
        snapshot->windows.push_back(tickWindow(window));
    snapshot->clock = RunClock(run.result.start, static_cast<double>(snapshot->tickCount) * snapshot->tickSeconds);
    snapshot->result = std::make_shared<const RunResult>(std::move(run.result));
    snapshot->charts = std::make_shared<const ChartData>(buildCharts(*snapshot, charts));
    snapshot->heatmapNotStored = run.record.clusterTickStride == 0;
    if (snapshot->heatmapNotStored)
        snapshot->error = QStringLiteral("Reopened from the run history: this run was stored by an older shardsim, "
                                         "which kept neither its heat map nor its cluster series.");

    ReopenedRun reopened;
    reopened.snapshot = std::move(snapshot);
    reopened.scenarioText = QString::fromStdString(run.scenarioText);
    reopened.displayName
        = QStringLiteral("run %1: %2").arg(run.record.id).arg(QString::fromStdString(run.record.scenario));
    return reopened;
}

} // namespace shardsim::ui
