#include "workers/run_snapshot.h"

#include <QCoreApplication>

#include <algorithm>
#include <array>

namespace shardsim::ui {

QString runPhaseName(RunPhase phase)
{
    switch (phase) {
    case RunPhase::Running:
        return QCoreApplication::translate("RunSnapshot", "running");
    case RunPhase::Paused:
        return QCoreApplication::translate("RunSnapshot", "paused");
    case RunPhase::Finished:
        return QCoreApplication::translate("RunSnapshot", "finished");
    case RunPhase::Cancelled:
        return QCoreApplication::translate("RunSnapshot", "stopped");
    case RunPhase::Failed:
        return QCoreApplication::translate("RunSnapshot", "failed");
    }
    return {};
}

namespace {
    // Every per-node series of a window, in NodeTick's field order.
    template <typename Window> auto nodeSeries(Window& w)
    {
        return std::array { &w.qps, &w.servedQps, &w.shedQps, &w.queued, &w.utilization, &w.p50LatencyMs,
            &w.p95LatencyMs, &w.p99LatencyMs, &w.p999LatencyMs, &w.rows, &w.bytes };
    }
}

void TickWindow::resizeNodes(size_t nodes)
{
    for (std::vector<float>* values : nodeSeries(*this))
        values->resize(nodes, 0.0f);
}

void TickWindow::setNode(size_t node, const NodeTick& v)
{
    qps[node] = static_cast<float>(v.qps);
    servedQps[node] = static_cast<float>(v.servedQps);
    shedQps[node] = static_cast<float>(v.shedQps);
    queued[node] = static_cast<float>(v.queued);
    utilization[node] = static_cast<float>(v.utilization);
    p50LatencyMs[node] = static_cast<float>(v.p50LatencyMs);
    p95LatencyMs[node] = static_cast<float>(v.p95LatencyMs);
    p99LatencyMs[node] = static_cast<float>(v.p99LatencyMs);
    p999LatencyMs[node] = static_cast<float>(v.p999LatencyMs);
    rows[node] = static_cast<float>(v.rows);
    bytes[node] = static_cast<float>(v.bytes);
}

NodeTick TickWindow::node(size_t node) const
{
    const auto at = [node](const std::vector<float>& values) { return node < values.size() ? values[node] : 0.0; };
    NodeTick v;
    v.qps = at(qps);
    v.servedQps = at(servedQps);
    v.shedQps = at(shedQps);
    v.queued = at(queued);
    v.utilization = at(utilization);
    v.p50LatencyMs = at(p50LatencyMs);
    v.p95LatencyMs = at(p95LatencyMs);
    v.p99LatencyMs = at(p99LatencyMs);
    v.p999LatencyMs = at(p999LatencyMs);
    v.rows = at(rows);
    v.bytes = at(bytes);
    return v;
}

int RunSnapshot::windowIndexOf(int64_t tick) const
{
    if (windows.empty())
        return -1;
    // Every window but the last holds exactly `windowTicks` ticks.
    const int64_t index = std::max<int64_t>(0, tick) / std::max<int64_t>(1, windowTicks);
    return static_cast<int>(std::min<int64_t>(index, static_cast<int64_t>(windows.size()) - 1));
}

const TickWindow* RunSnapshot::windowAt(int64_t tick) const
{
    const int index = windowIndexOf(tick);
    return index < 0 ? nullptr : windows[static_cast<size_t>(index)].get();
}

} // namespace shardsim::ui
