#include "workers/run_collector.h"

#include <algorithm>

namespace shardsim::ui {

namespace {
    // Node windows kept per run: 1,024 nodes x 2,000 windows, six floats each, is about 50 MB.
    constexpr int64_t kMaxNodeWindows = 2'000'000;
    // Enough for a chart across a 4K screen; more windows than this would only be decimated away.
    constexpr int64_t kMaxWindows = 2'000;

    template <typename T> void growTo(std::vector<T>& values, size_t size)
    {
        if (values.size() < size)
            values.resize(size, T {});
    }
}

RunCollector::RunCollector(int64_t tickCount, double tickSeconds, double nodeMaxQps, int expectedNodes)
    : m_tickCount(tickCount)
    , m_tickSeconds(tickSeconds)
    , m_nodeMaxQps(nodeMaxQps)
    , m_windowTicks(windowTicksFor(tickCount, std::max(1, expectedNodes)))
{
    m_windows.reserve(static_cast<size_t>((tickCount + m_windowTicks - 1) / m_windowTicks));
}

int64_t RunCollector::windowTicksFor(int64_t ticks, int64_t nodes)
{
    const int64_t maxWindows = std::clamp<int64_t>(kMaxNodeWindows / std::max<int64_t>(1, nodes), 16, kMaxWindows);
    return std::max<int64_t>(1, (ticks + maxWindows - 1) / maxWindows);
}

void RunCollector::onStart(const RunStart& start)
{
    m_nodes.clear();
    for (const NodeSummary& node : start.nodes)
        m_nodes.push_back(NodeInfo { node.name, node.region });
    if (start.ticks > 0)
        m_tickCount = start.ticks;
    if (start.tickSeconds > 0)
        m_tickSeconds = start.tickSeconds;
}

void RunCollector::onTick(int64_t tick, const ClusterTick& cluster, std::span<const NodeTick> nodes)
{
    // Nodes added by events continue the numbering (node-9, node-10, ...); their region comes with the
    // result at the end.
    while (m_nodes.size() < nodes.size())
        m_nodes.push_back(NodeInfo { "node-" + std::to_string(m_nodes.size() + 1), {} });

    if (m_open.ticks == 0) {
        m_open.firstTick = tick;
        m_open.time = cluster.time;
        m_open.clusterQpsMin = cluster.qps;
        m_open.clusterQpsMax = cluster.qps;
        m_open.maxUtilization = 0;
        m_open.clusterP99LatencyMs = 0;
        m_open.maxOverMean = 0;
    }
    const size_t count = nodes.size();
    growTo(m_open.peakQps, count);
    growTo(m_open.p99LatencyMs, count);
    growTo(m_open.rows, count);
    growTo(m_open.bytes, count);
    growTo(m_qpsSum, count);
    growTo(m_utilizationSum, count);
    for (size_t i = 0; i < count; ++i) {
        const NodeTick& node = nodes[i];
        m_qpsSum[i] += node.qps;
        m_utilizationSum[i] += node.utilization;
        m_open.peakQps[i] = std::max(m_open.peakQps[i], static_cast<float>(node.qps));
        m_open.p99LatencyMs[i] = std::max(m_open.p99LatencyMs[i], static_cast<float>(node.p99LatencyMs));
        m_open.rows[i] = static_cast<float>(node.rows);
        m_open.bytes[i] = static_cast<float>(node.bytes);
    }
    m_clusterQpsSum += cluster.qps;
    m_shedSum += cluster.shedQps;
    m_open.clusterQpsMin = std::min(m_open.clusterQpsMin, cluster.qps);
    m_open.clusterQpsMax = std::max(m_open.clusterQpsMax, cluster.qps);
    m_open.maxUtilization = std::max(m_open.maxUtilization, cluster.maxUtilization);
    m_open.clusterP99LatencyMs = std::max(m_open.clusterP99LatencyMs, cluster.p99LatencyMs);
    m_open.maxOverMean = std::max(m_open.maxOverMean, cluster.imbalance.maxOverMean);
    ++m_open.ticks;
    ++m_ticksSeen;
    if (m_open.ticks >= m_windowTicks)
        closeWindow();
}

std::shared_ptr<TickWindow> RunCollector::currentWindow() const
{
    auto window = std::make_shared<TickWindow>(m_open);
    const double ticks = static_cast<double>(std::max<int64_t>(1, m_open.ticks));
    window->qps.resize(m_qpsSum.size());
    window->utilization.resize(m_utilizationSum.size());
    for (size_t i = 0; i < m_qpsSum.size(); ++i) {
        window->qps[i] = static_cast<float>(m_qpsSum[i] / ticks);
        window->utilization[i] = static_cast<float>(m_utilizationSum[i] / ticks);
    }
    window->clusterQps = m_clusterQpsSum / ticks;
    window->shedQps = m_shedSum / ticks;
    return window;
}

void RunCollector::closeWindow()
{
    m_windows.push_back(currentWindow());
    m_open = TickWindow {};
    std::fill(m_qpsSum.begin(), m_qpsSum.end(), 0.0);
    std::fill(m_utilizationSum.begin(), m_utilizationSum.end(), 0.0);
    m_clusterQpsSum = 0;
    m_shedSum = 0;
}

void RunCollector::onFinish(const RunResult& result)
{
    if (m_open.ticks > 0)
        closeWindow();
    // The result knows every node's final name and region, including the ones events added.
    m_nodes.clear();
    for (const NodeSummary& node : result.nodes)
        m_nodes.push_back(NodeInfo { node.name, node.region });
    m_result = std::make_shared<const RunResult>(result);
}

std::shared_ptr<RunSnapshot> RunCollector::snapshot() const
{
    auto snapshot = std::make_shared<RunSnapshot>();
    snapshot->tickSeconds = m_tickSeconds;
    snapshot->tickCount = m_tickCount;
    snapshot->ticksDone = m_ticksSeen;
    snapshot->windowTicks = m_windowTicks;
    snapshot->nodeMaxQps = m_nodeMaxQps;
    snapshot->nodes = m_nodes;
    snapshot->windows = m_windows;
    if (m_open.ticks > 0)
        snapshot->windows.push_back(currentWindow());
    snapshot->result = m_result;
    if (m_result)
        snapshot->scenario = m_result->scenario;
    return snapshot;
}

} // namespace shardsim::ui
