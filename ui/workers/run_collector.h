#pragma once
// The GUI's metrics sink: merges node ticks into TickWindows as the simulator streams them, so the
// views can show any moment of a run without keeping every node tick.

#include <chrono>
#include <memory>
#include <vector>

#include "shardsim/engine/metrics_sink.h"
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

    // Ticks per window: every tick its own window while that fits the budget of node windows.
    static int64_t windowTicksFor(int64_t ticks, int64_t nodes);

private:
    void closeWindow();
    std::shared_ptr<TickWindow> currentWindow() const;

    int64_t m_tickCount = 0;
    double m_tickSeconds = 1;
    double m_nodeMaxQps = 0;
    int64_t m_windowTicks = 1;
    int64_t m_ticksSeen = 0;
    std::vector<NodeInfo> m_nodes;
    std::vector<std::shared_ptr<const TickWindow>> m_windows;
    std::shared_ptr<const RunResult> m_result;

    // The window being filled, with double sums so long windows do not lose precision.
    TickWindow m_open;
    std::vector<double> m_qpsSum;
    std::vector<double> m_utilizationSum;
    double m_clusterQpsSum = 0;
    double m_shedSum = 0;
};

} // namespace shardsim::ui
