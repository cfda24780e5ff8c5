#pragma once
// The GUI's metrics sink: merges node ticks into TickWindows as the simulator streams them, so the
// views can show any moment of a run without keeping every node tick. The windows are the ones the run
// history stores, merged by the same rule, so a reopened run shows the same numbers.

#include <chrono>
#include <memory>
#include <vector>

#include "shardsim/engine/metrics_sink.h"
#include "shardsim/metrics/tick_windows.h"
#include "workers/run_snapshot.h"

namespace shardsim::ui {

class RunCollector : public MetricsSink {
public:
    // `nodeMaxQps`: requests/s of one node at 100% utilisation, for the charts' capacity line.
    RunCollector(int64_t tickCount, double tickSeconds, double nodeMaxQps, int expectedNodes);

    void onStart(const RunStart& start) override;
    void onTick(int64_t tick, const ClusterTick& cluster, std::span<const NodeTick> nodes) override;
    void onFinish(const RunResult& result) override;

    // A snapshot of what has been collected; `charts` is left for the caller to fill.
    std::shared_ptr<RunSnapshot> snapshot() const;
    int64_t ticksSeen() const { return m_ticksSeen; }
    // The finished run's result; null until onFinish.
    const RunResult* result() const { return m_result.get(); }

    // The cluster numbers of a window from the merged cluster window.
    static void setCluster(TickWindow& window, const ClusterWindow& cluster);

private:
    void closeWindow();
    std::shared_ptr<TickWindow> currentWindow() const;

    int64_t m_tickCount = 0;
    double m_tickSeconds = 1;
    RunClock m_clock;
    double m_nodeMaxQps = 0;
    int64_t m_windowTicks = 1;
    int64_t m_ticksSeen = 0;
    std::vector<NodeInfo> m_nodes;
    std::vector<std::shared_ptr<const TickWindow>> m_windows;
    std::shared_ptr<const RunResult> m_result;

    // The window being filled, merged in double precision so long windows lose nothing. Its cluster numbers merge
    // whole cluster windows, as a reopened run merges the stored ones, so both come out the same to the last bit.
    int64_t m_clusterTicks = 1;
    int64_t m_openFirstTick = 0;
    NodeWindowMerger m_openNodes;
    ClusterWindowMerger m_openClusterTicks; // the cluster window being filled
    ClusterWindowMerger m_openCluster; // the node window's closed cluster windows
    mutable std::vector<NodeTick> m_values; // reused
};

} // namespace shardsim::ui
