#include "engine/tick_metrics.h"

namespace shardsim::engine {

void TickMetrics::measureImbalance(
    int64_t tick, const ClusterLayout& cluster, const TickTraffic& traffic, int downNodes, ClusterTick& out)
{
    out.downNodes = downNodes;
    // The layout's version changes with every event that changes who may serve (a cutover, a failure, a recovery).
    const bool changed = cluster.version() != m_servingVersion || tick == 0;
    if (changed) {
        std::vector<bool> holds(static_cast<size_t>(cluster.nodeCount()), false);
        for (NodeId node : cluster.copies())
            holds[static_cast<size_t>(node)] = true;
        m_serving.clear();
        for (NodeId node : cluster.members())
            if (!cluster.isDown(node) && holds[static_cast<size_t>(node)])
                m_serving.push_back(node);
        m_servingVersion = cluster.version();
    }
    if (static_cast<int>(m_serving.size()) == cluster.nodeCount()) {
        if (!traffic.sameShape || changed)
            m_lastImbalance = m_imbalance.measure(traffic.nodeRequests);
    } else {
        m_servingRequests.clear();
        for (NodeId node : m_serving)
            m_servingRequests.push_back(traffic.nodeRequests[static_cast<size_t>(node)]);
        m_lastImbalance = m_imbalance.measure(m_servingRequests);
    }
    out.imbalance = m_lastImbalance;
}

void TickMetrics::record(
    int64_t tick, double seconds, const ClusterTick& cluster, const TickTraffic& traffic, RunResult& result)
{
    if (tick == 0 || cluster.qps > result.peak.qps)
        result.peak = PeakMoment { tick, cluster.time, cluster.qps };
    m_clusterWindow.add(tick, cluster);
    if ((tick + 1) % result.clusterWindowTicks == 0)
        closeClusterWindow(result);
    if (m_heatSeconds.empty())
        return;
    const auto bucket = static_cast<size_t>(tick / m_ticksPerHeatBucket);
    const size_t keys = static_cast<size_t>(result.heatmap.keyBuckets);
    double* row = result.heatmap.rate.data() + bucket * keys;
    for (size_t k = 0; k < keys; ++k)
        row[k] += traffic.heat[k];
    m_heatSeconds[bucket] += seconds;
}

void TickMetrics::closeClusterWindow(RunResult& result)
{
    if (m_clusterWindow.empty())
        return;
    result.cluster.push_back(m_clusterWindow.window().values);
    m_clusterWindow.clear();
}

void TickMetrics::finishHeatMap(int64_t ticks, HeatMap& heat) const
{
    if (m_heatSeconds.empty())
        return;
    const size_t keys = static_cast<size_t>(heat.keyBuckets);
    const auto reached = static_cast<size_t>((ticks + m_ticksPerHeatBucket - 1) / m_ticksPerHeatBucket);
    heat.timeBuckets = static_cast<int>(reached);
    heat.rate.resize(reached * keys);
    for (size_t t = 0; t < reached; ++t) {
        for (size_t k = 0; k < keys; ++k)
            heat.rate[t * keys + k] = m_heatSeconds[t] > 0 ? heat.rate[t * keys + k] / m_heatSeconds[t] : 0;
    }
}

} // namespace shardsim::engine
