#include "shardsim/metrics/tick_windows.h"

#include <algorithm>
#include <cmath>

namespace shardsim {

namespace {
    int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

    // The larger of the two, or NaN when either is: a tick that went wrong must not vanish into a window's peak.
    double peak(double window, double tick) { return tick > window || std::isnan(tick) ? tick : window; }
    double quietest(double window, double tick) { return tick < window || std::isnan(tick) ? tick : window; }
    int peak(int window, int tick) { return std::max(window, tick); }

    // A node's sums before its first tick: no latency yet, solved or carried.
    constexpr NodeTick kNothingYet = [] {
        NodeTick tick;
        tick.latencySolved = false;
        return tick;
    }();

    // Only a tick that closes its cluster window carries that window's percentiles; the others carry an earlier
    // window's and count only while nothing solved has been added, so that an open window still shows the latest.
    void mergeLatency(ClusterTick& merged, const ClusterTick& v)
    {
        if (!v.latencySolved && merged.latencySolved)
            return;
        const bool replace = v.latencySolved != merged.latencySolved || !v.latencySolved;
        merged.p50LatencyMs = replace ? v.p50LatencyMs : peak(merged.p50LatencyMs, v.p50LatencyMs);
        merged.p95LatencyMs = replace ? v.p95LatencyMs : peak(merged.p95LatencyMs, v.p95LatencyMs);
        merged.p99LatencyMs = replace ? v.p99LatencyMs : peak(merged.p99LatencyMs, v.p99LatencyMs);
        merged.p999LatencyMs = replace ? v.p999LatencyMs : peak(merged.p999LatencyMs, v.p999LatencyMs);
        merged.latencySolved = v.latencySolved;
    }
}

WindowLayout windowLayout(int64_t ticks, int64_t nodes)
{
    ticks = std::max<int64_t>(1, ticks);
    WindowLayout layout;
    layout.clusterTicks = ceilDiv(ticks, kMaxClusterWindows);
    const int64_t perNode = std::clamp<int64_t>(kMaxNodeWindows / std::max<int64_t>(1, nodes), 1, kMaxWindowsPerNode);
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
        m_window.qpsMin = quietest(m_window.qpsMin, window.qpsMin);
        m_window.qpsMax = peak(m_window.qpsMax, window.qpsMax);
        m_window.ticks += window.ticks;
        merged.maxUtilization = peak(merged.maxUtilization, v.maxUtilization);
        mergeLatency(merged, v);
        merged.imbalance.maxOverMean = peak(merged.imbalance.maxOverMean, v.imbalance.maxOverMean);
        merged.imbalance.cv = peak(merged.imbalance.cv, v.imbalance.cv);
        merged.imbalance.gini = peak(merged.imbalance.gini, v.imbalance.gini);
        merged.migrationBytesPerSecond = peak(merged.migrationBytesPerSecond, v.migrationBytesPerSecond);
        merged.downNodes = peak(merged.downNodes, v.downNodes);
    }
    m_qps += v.qps * ticks;
    m_servedQps += v.servedQps * ticks;
    m_shedQps += v.shedQps * ticks;
    m_queued += v.queued * ticks;
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
    out.values.servedQps = m_servedQps / ticks;
    out.values.shedQps = m_shedQps / ticks;
    out.values.queued = m_queued / ticks;
    out.values.meanUtilization = m_meanUtilization / ticks;
    return out;
}

// GCC's -O3 splits the loop below into one pass over the nodes per field, which costs several times the one pass.
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("no-tree-loop-distribution")))
#endif
void NodeWindowMerger::add(std::span<const NodeTick> nodes, int64_t ticks)
{
    // Called for every node at every tick of a run with nodes.csv or the history: one pass, whose branches go the
    // same way for every node of a tick.
    if (nodes.size() > m_sums.size())
        m_sums.resize(nodes.size(), kNothingYet); // a node added by an event was idle before
    const auto weight = static_cast<double>(ticks);
    const bool first = m_ticks == 0;
    const NodeTick* __restrict in = nodes.data();
    NodeTick* __restrict sums = m_sums.data();
    for (size_t n = 0; n < nodes.size(); ++n) {
        const NodeTick v = in[n];
        NodeTick sum = sums[n];
        sum.qps += v.qps * weight;
        sum.utilization += v.utilization * weight;
        sum.servedQps += v.servedQps * weight;
        sum.shedQps += v.shedQps * weight;
        sum.queued += v.queued * weight;
        if (v.latencySolved && sum.latencySolved) {
            sum.meanLatencyMs = peak(sum.meanLatencyMs, v.meanLatencyMs);
            sum.p50LatencyMs = peak(sum.p50LatencyMs, v.p50LatencyMs);
            sum.p95LatencyMs = peak(sum.p95LatencyMs, v.p95LatencyMs);
            sum.p99LatencyMs = peak(sum.p99LatencyMs, v.p99LatencyMs);
            sum.p999LatencyMs = peak(sum.p999LatencyMs, v.p999LatencyMs);
        } else if (v.latencySolved || first) {
            // The first solved tick, or the first tick's carried values while none is solved.
            sum.meanLatencyMs = v.meanLatencyMs;
            sum.p50LatencyMs = v.p50LatencyMs;
            sum.p95LatencyMs = v.p95LatencyMs;
            sum.p99LatencyMs = v.p99LatencyMs;
            sum.p999LatencyMs = v.p999LatencyMs;
            sum.latencySolved = v.latencySolved;
        }
        sum.rows = v.rows;
        sum.bytes = v.bytes;
        sums[n] = sum;
    }
    m_ticks += ticks;
}

NodeTick NodeWindowMerger::node(size_t node) const
{
    NodeTick out = m_sums[node];
    const auto ticks = static_cast<double>(std::max<int64_t>(1, m_ticks));
    out.qps /= ticks;
    out.utilization /= ticks;
    out.servedQps /= ticks;
    out.shedQps /= ticks;
    out.queued /= ticks;
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
    std::fill(m_sums.begin(), m_sums.end(), kNothingYet);
    m_ticks = 0;
}

} // namespace shardsim
