#pragma once
// The metrics phase of a tick (docs/engine-model.md §7): the imbalance over the nodes serving, the peak, the cluster
// series in windows and the heat map's rows, written into the run's result as the ticks pass.

#include <cstdint>
#include <vector>

#include "engine/cluster_layout.h"
#include "engine/imbalance_meter.h"
#include "engine/traffic.h"
#include "shardsim/engine/run_result.h"
#include "shardsim/metrics/tick_windows.h"

namespace shardsim::engine {

class TickMetrics {
public:
    // Heat map time buckets of `ticksPerBucket` ticks each; none when the run has no heat map.
    void setHeatBuckets(int64_t ticksPerBucket, size_t timeBuckets)
    {
        m_ticksPerHeatBucket = ticksPerBucket;
        m_heatSeconds.assign(timeBuckets, 0.0);
    }
    int64_t ticksPerHeatBucket() const { return m_ticksPerHeatBucket; }

    // Over the nodes in the cluster, up and holding a copy of some database: one that has not joined yet, has left,
    // is down or that the layout gives no data (more nodes than databases, added without a reshard) is no idle node.
    void measureImbalance(
        int64_t tick, const ClusterLayout& cluster, const TickTraffic& traffic, int downNodes, ClusterTick& out);
    // The tick's cluster values into the peak and the cluster series, its heat row into the heat map.
    void record(int64_t tick, double seconds, const ClusterTick& cluster, const TickTraffic& traffic, RunResult& result);
    // The window under way joins the cluster series (at the end of a run, however short it is).
    void closeClusterWindow(RunResult& result);
    // Requests per heat bucket become requests/s over the seconds each time bucket covered; a cancelled run keeps
    // the buckets it reached after `ticks` ticks.
    void finishHeatMap(int64_t ticks, HeatMap& heat) const;

private:
    ImbalanceMeter m_imbalance;
    Imbalance m_lastImbalance;
    std::vector<NodeId> m_serving; // the nodes the imbalance is over, for layout version m_servingVersion
    int m_servingVersion = -1;
    std::vector<double> m_servingRequests; // per tick, reused: requests of m_serving
    // The cluster series is kept in windows, so memory does not grow with the ticks; sinks see every tick.
    ClusterWindowMerger m_clusterWindow;
    int64_t m_ticksPerHeatBucket = 1;
    std::vector<double> m_heatSeconds; // per time bucket: seconds it covers so far; empty without a heat map
};

} // namespace shardsim::engine
