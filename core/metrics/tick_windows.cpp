#include "shardsim/metrics/tick_windows.h"

#include <algorithm>

namespace shardsim {

namespace {
    int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
}

WindowLayout windowLayout(int64_t ticks, int64_t nodes)
{
    ticks = std::max<int64_t>(1, ticks);
    WindowLayout layout;
    layout.clusterTicks = ceilDiv(ticks, kMaxClusterWindows);
    const int64_t perNode
        = std::clamp<int64_t>(kMaxNodeWindows / std::max<int64_t>(1, nodes), 1, kMaxWindowsPerNode);
    layout.nodeTicks = layout.clusterTicks * ceilDiv(ceilDiv(ticks, layout.clusterTicks), perNode);
    return layout;
}

void ClusterWindowMerger::add(const ClusterWindow& window)
{
    const ClusterTick& v = window.values;
    const auto ticks = static_cast<double>(window.ticks);
    ClusterTick& merged = m_window.values;
    if (empty()) {
        m_window = window;
    } else {
        m_window.qpsMin = std::min(m_window.qpsMin, window.qpsMin);
        m_window.qpsMax = std::max(m_window.qpsMax, window.qpsMax);
        m_window.ticks += window.ticks;
        merged.maxUtilization = std::max(merged.maxUtilization, v.maxUtilization);
        merged.p50LatencyMs = std::max(merged.p50LatencyMs, v.p50LatencyMs);
        merged.p99LatencyMs = std::max(merged.p99LatencyMs, v.p99LatencyMs);
        merged.imbalance.maxOverMean = std::max(merged.imbalance.maxOverMean, v.imbalance.maxOverMean);
        merged.imbalance.cv = std::max(merged.imbalance.cv, v.imbalance.cv);
        merged.imbalance.gini = std::max(merged.imbalance.gini, v.imbalance.gini);
        merged.migrationBytesPerSecond = std::max(merged.migrationBytesPerSecond, v.migrationBytesPerSecond);
        merged.downNodes = std::max(merged.downNodes, v.downNodes);
    }
    m_qps += v.qps * ticks;
    m_shedQps += v.shedQps * ticks;
    m_meanUtilization += v.meanUtilization * ticks;
    ++m_parts;
}

ClusterWindow ClusterWindowMerger::window() const
{
    ClusterWindow out = m_window;
    if (m_parts == 1)
        return out; // as it came, not multiplied and divided by its ticks
    const auto ticks = static_cast<double>(std::max<int64_t>(1, m_window.ticks));
    out.values.qps = m_qps / ticks;
    out.values.shedQps = m_shedQps / ticks;
    out.values.meanUtilization = m_meanUtilization / ticks;
    return out;
}

void NodeWindowMerger::add(std::span<const NodeTick> nodes, int64_t ticks)
{
    if (nodes.size() > m_sums.size()) {
        m_sums.resize(nodes.size());
        m_nodeTicks.resize(nodes.size(), 0);
    }
    const auto weight = static_cast<double>(ticks);
    for (size_t n = 0; n < nodes.size(); ++n) {
        const NodeTick& v = nodes[n];
        NodeTick& sum = m_sums[n];
        if (m_nodeTicks[n] == 0) {
            sum = NodeTick {};
            sum.meanLatencyMs = v.meanLatencyMs;
            sum.p99LatencyMs = v.p99LatencyMs;
        }
        sum.qps += v.qps * weight;
        sum.utilization += v.utilization * weight;
        sum.shedQps += v.shedQps * weight;
        sum.meanLatencyMs = std::max(sum.meanLatencyMs, v.meanLatencyMs);
        sum.p99LatencyMs = std::max(sum.p99LatencyMs, v.p99LatencyMs);
        sum.rows = v.rows;
        sum.bytes = v.bytes;
        m_nodeTicks[n] += ticks;
    }
    m_ticks += ticks;
}

NodeTick NodeWindowMerger::node(size_t node) const
{
    NodeTick out = m_sums[node];
    const auto ticks = static_cast<double>(std::max<int64_t>(1, m_nodeTicks[node]));
    out.qps /= ticks;
    out.utilization /= ticks;
    out.shedQps /= ticks;
    return out;
}

void NodeWindowMerger::window(std::vector<NodeTick>& out) const
{
    out.resize(m_sums.size());
    for (size_t n = 0; n < m_sums.size(); ++n)
        out[n] = node(n);
}

void NodeWindowMerger::clear()
{
    std::fill(m_nodeTicks.begin(), m_nodeTicks.end(), 0);
    m_ticks = 0;
}

} // namespace shardsim
