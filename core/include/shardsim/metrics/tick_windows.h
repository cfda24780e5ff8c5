#pragma once
// Consecutive ticks merged into windows: one rule for what a window keeps and one for how many ticks it holds.
// The run's cluster series (RunResult::cluster), the run history, nodes.csv and fanout.csv, and the desktop app's live
// and reopened charts all merge with these, so a window shows the same numbers wherever it is read.
// docs/outputs.md lists the rule field by field.

#include <cstdint>
#include <span>
#include <vector>

#include "shardsim/engine/run_result.h"

namespace shardsim {

inline constexpr int64_t kMaxClusterWindows = 2'000; // about two points per pixel across a screen
inline constexpr int64_t kMaxWindowsPerNode = 2'000; // enough for a chart's width
inline constexpr int64_t kMaxNodeWindows = 250'000; // over all nodes: a history row or a nodes.csv line each

struct WindowLayout {
    int64_t clusterTicks = 1; // ticks per cluster window; 1 up to kMaxClusterWindows ticks
    int64_t nodeTicks = 1; // ticks per node window: a whole number of cluster windows
};

// The windows of a run of `ticks` ticks on `nodes` nodes (every node it will have). A node window holds whole cluster
// windows, so the cluster numbers of a node window are the cluster windows it holds, merged.
WindowLayout windowLayout(int64_t ticks, int64_t nodes);

// Merges ticks, or whole windows, of the cluster into one ClusterWindow (see there for what each field keeps). The
// latency percentiles are the maximum over the parts that carry their own window's (ClusterTick::latencySolved); while
// none has been added, the latest part's, which is the last window solved before them.
class ClusterWindowMerger {
public:
    void add(int64_t tick, const ClusterTick& values)
    {
        add(ClusterWindow { tick, 1, values, values.qps, values.qps });
    }
    void add(const ClusterWindow& window);
    bool empty() const { return m_window.ticks == 0; }
    ClusterWindow window() const; // what was added so far
    void clear() { *this = ClusterWindowMerger {}; }

private:
    ClusterWindow m_window { 0, 0, {}, 0, 0 };
    // Sums of tick-weighted values for the means; double, in tick order, so long windows lose nothing.
    double m_qps = 0;
    double m_servedQps = 0;
    double m_shedQps = 0;
    double m_queued = 0;
    double m_meanUtilization = 0;
    int64_t m_parts = 0; // ticks or windows added
};

// Merges ticks, or whole windows, of every node into one NodeTick per node: qps, utilization and shedQps are the
// window's means (so requests add up), the latencies its worst tick (latencies are never negative; NaN when a tick's
// was) among the ticks that carry their own (NodeTick::latencySolved; while none has, the first tick's carried
// values), rows and bytes its last tick.
class NodeWindowMerger {
public:
    // The nodes' values over `ticks` ticks; a longer span than before adds nodes (added by events) from here on.
    void add(std::span<const NodeTick> nodes, int64_t ticks = 1);
    int64_t ticks() const { return m_ticks; }
    bool empty() const { return m_ticks == 0; }
    size_t nodeCount() const { return m_sums.size(); }
    NodeTick node(size_t node) const; // what was added so far for that node
    void window(std::vector<NodeTick>& out) const; // every node's
    void clear(); // keeps the node count

private:
    std::vector<NodeTick> m_sums; // qps, utilization and shedQps tick-weighted sums; the rest as merged
    int64_t m_ticks = 0;
};

} // namespace shardsim
