#include "workers/run_collector.h"

#include <algorithm>

namespace shardsim::ui {

RunCollector::RunCollector(int64_t tickCount, double tickSeconds, double nodeMaxQps, int expectedNodes)
    : m_tickCount(tickCount)
    , m_tickSeconds(tickSeconds)
    , m_nodeMaxQps(nodeMaxQps)
    , m_windowTicks(windowLayout(tickCount, std::max(1, expectedNodes)).nodeTicks)
    , m_clusterTicks(windowLayout(tickCount, 1).clusterTicks)
{
    m_windows.reserve(static_cast<size_t>((tickCount + m_windowTicks - 1) / m_windowTicks));
}

void RunCollector::onStart(const RunStart& start)
{
    m_nodes.clear();
    for (const NodeSummary& node : start.nodes)
        m_nodes.push_back(NodeInfo { node.name, node.region });
    if (start.ticks > 0)
        m_tickCount = start.ticks;
    // Every node the run will have, added ones included: the windows the run history lays out.
    if (m_ticksSeen == 0) {
        const WindowLayout layout = windowLayout(m_tickCount, std::max<int64_t>(1, std::ssize(start.nodes)));
        m_windowTicks = layout.nodeTicks;
        m_clusterTicks = layout.clusterTicks;
    }
    if (start.tickSeconds > 0)
        m_tickSeconds = start.tickSeconds;
    m_clock = RunClock(start.start, static_cast<double>(m_tickCount) * m_tickSeconds);
}

void RunCollector::onTick(int64_t tick, const ClusterTick& cluster, std::span<const NodeTick> nodes)
{
    // Nodes added by events continue the numbering (node-9, node-10, ...); their region comes with the
    // result at the end.
    while (m_nodes.size() < nodes.size())
        m_nodes.push_back(NodeInfo { "node-" + std::to_string(m_nodes.size() + 1), {} });

    if (m_openNodes.empty())
        m_openFirstTick = tick;
    m_openNodes.add(nodes);
    m_openClusterTicks.add(tick, cluster);
    if ((tick + 1) % m_clusterTicks == 0) {
        m_openCluster.add(m_openClusterTicks.window());
        m_openClusterTicks.clear();
    }
    ++m_ticksSeen;
    if (m_openNodes.ticks() >= m_windowTicks)
        closeWindow();
}

void RunCollector::setCluster(TickWindow& window, const ClusterWindow& cluster)
{
    const ClusterTick& v = cluster.values;
    window.time = v.time;
    window.clusterQps = v.qps;
    window.clusterQpsMin = cluster.qpsMin;
    window.clusterQpsMax = cluster.qpsMax;
    window.clusterServedQps = v.servedQps;
    window.clusterShedQps = v.shedQps;
    window.clusterQueued = v.queued;
    window.maxUtilization = v.maxUtilization;
    window.clusterP50LatencyMs = v.p50LatencyMs;
    window.clusterP95LatencyMs = v.p95LatencyMs;
    window.clusterP99LatencyMs = v.p99LatencyMs;
    window.clusterP999LatencyMs = v.p999LatencyMs;
    window.maxOverMean = v.imbalance.maxOverMean;
}

std::shared_ptr<TickWindow> RunCollector::currentWindow() const
{
    auto window = std::make_shared<TickWindow>();
    window->firstTick = m_openFirstTick;
    window->ticks = m_openNodes.ticks();
    ClusterWindowMerger cluster = m_openCluster;
    if (!m_openClusterTicks.empty())
        cluster.add(m_openClusterTicks.window()); // a run's last window, or one still filling
    setCluster(*window, cluster.window());
    m_openNodes.window(m_values);
    window->resizeNodes(m_values.size());
    for (size_t i = 0; i < m_values.size(); ++i)
        window->setNode(i, m_values[i]);
    return window;
}

void RunCollector::closeWindow()
{
    m_windows.push_back(currentWindow());
    m_openNodes.clear();
    m_openCluster.clear();
    m_openClusterTicks.clear();
}

void RunCollector::onFinish(const RunResult& result)
{
    if (!m_openNodes.empty())
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
    snapshot->clock = m_clock;
    snapshot->tickCount = m_tickCount;
    snapshot->ticksDone = m_ticksSeen;
    snapshot->windowTicks = m_windowTicks;
    snapshot->nodeMaxQps = m_nodeMaxQps;
    snapshot->nodes = m_nodes;
    snapshot->windows = m_windows;
    if (!m_openNodes.empty())
        snapshot->windows.push_back(currentWindow());
    snapshot->result = m_result;
    if (m_result)
        snapshot->scenario = m_result->scenario;
    return snapshot;
}

} // namespace shardsim::ui
