#pragma once
// Phase 4 of a tick: what the offered requests do to each node (docs/engine-model.md, "Node load and latency").
//
// A node serves at most max_qps (less a migration's background work). Requests beyond that wait in a queue that
// holds at most queue_timeout seconds of the node's work (max_qps x queue_timeout requests: a request that would wait
// longer has timed out at the client); what does not fit is shed. The queue drains whenever the offered rate drops
// below what the node serves. Every offered request is counted on its node as served, shed or still queued.
//
// Latency is that of M/M/c with a bounded queue (engine/mmc_response.h) at utilisation rho = offered work /
// max_qps: c = cluster.node.concurrency or max_qps x base_latency (at least 1), service time S = base_latency. A
// backlog B left at the end of the tick delays the tick's requests by d = B / max_qps and leaves queue_timeout - d of
// room to wait in, so a served request never waits more than queue_timeout. Nodes without a backlog read their
// percentiles from a ResponseTable; nodes with one are solved per tick.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/latency_mixture.h"
#include "engine/response_table.h"
#include "shardsim/engine/run_result.h"
#include "shardsim/scenario/cluster_config.h"

namespace shardsim::engine {

struct NodeStats {
    double requests = 0; // offered over the run
    double served = 0;
    double shed = 0;
    double queued = 0; // at the end
    double peakQps = 0;
    double peakUtilization = 0;
    std::array<double, 4> worst {}; // s: p50, p95, p99, p99.9 at the node's tick of highest p99
};

// The model's parameters for a node type: c, whether the scenario gave it, S and the queue's length.
ServiceModel serviceModelOf(const NodeSpec& spec);

class NodeLoad {
public:
    NodeLoad(int nodes, const NodeSpec& spec);

    // One tick of dt seconds with `offered` requests on each node: fills the nodes' offered, served, shed and queued
    // rates, utilisation and latency (rows and bytes are the storage model's; `ticks` may be empty when nobody reads
    // them), updates queues and run totals, and fills the cluster's rates, utilisation and latency percentiles.
    // `refused` requests reached no node but count in the cluster's offered rate.
    void evaluate(
        std::span<const double> offered, double refused, double dt, std::span<NodeTick> ticks, ClusterTick& cluster);

    // The cluster's percentiles are solved once per window of `ticks` evaluate() calls (and at the run's last of
    // `runTicks`), over every request served in the window. The window's other ticks carry the last window solved
    // (ClusterTick::latencySolved false), and while none is, the run's first window so far. Default: every tick.
    void setClusterWindow(int64_t ticks, int64_t runTicks);
    // Solves the window still open (a cancelled run's last) into `cluster`'s percentiles; false when none is open.
    bool closeWindow(ClusterTick& cluster);
    // Node latencies in `ticks` solved once per window of that many evaluate() calls (and at the run's last), for
    // sinks that only merge node windows (MetricsSink::wantsNodeLatencyEveryTick): a node's calm ticks peak at its
    // highest rho, since its percentiles grow with rho, so the window's worst is one table read at that rho, peaked
    // with its ticks behind a backlog. The window's last tick carries it (NodeTick::latencySolved); the other ticks
    // keep what the buffer held. Default: every tick.
    void setNodeWindow(int64_t ticks);
    // The next evaluate() closes the node window early (a run about to stop).
    void closeNodeWindowNext() { m_closeNodeWindow = true; }

    // Work besides the requests on each node for the next evaluate() calls, in request-equivalents per tick (a
    // migration's copy, docs/migration-model.md): it takes capacity and raises utilisation and latency but is not
    // counted as requests. Empty: none.
    void setBackground(std::span<const double> work);

    const ServiceModel& model() const { return m_model; }
    // Each node's offered load in the last evaluate() (offered work over max_qps).
    std::span<const double> utilization() const { return m_rho; }
    // Requests waiting on each node after the last evaluate().
    std::span<const double> backlog() const { return m_backlog; }
    std::vector<NodeStats> stats();
    // Requests still queued (the run ended before they were served).
    double queued() const;
    // Percentiles of every request served so far, over all nodes and ticks.
    LatencySummary runLatency();

private:
    // The queue step for every node: fills m_dropped, m_delay and m_served; returns the shed requests.
    double updateQueues(std::span<const double> offered, double capacity);
    void evaluateDelayed(size_t node, std::span<NodeTick> ticks);
    void solveNodeWindow(std::span<NodeTick> ticks); // every node's worst of the node window into its tick
    std::span<const uint32_t> queueing() const { return { m_queueing.data(), m_queueCount }; }
    void solveWindow(ClusterTick& cluster);
    void solveOpenWindow(); // the open window's requests so far into m_last, the window left open
    void setClusterLatency(ClusterTick& cluster, bool solved) const;
    void flushNode(size_t node); // its sums into the window's pool
    void enterCell(size_t node, double rho); // flushes the node when rho left its cell

    ServiceModel m_model;
    double m_maxQps;
    ResponseTable m_table;
    std::vector<double> m_backlog; // requests waiting per node
    std::vector<double> m_background; // request-equivalents per node per tick; zeros without a migration
    // Run totals per node, one array per field so that a tick's updates are plain loops over nodes.
    std::vector<double> m_requests;
    std::vector<double> m_servedTotal;
    std::vector<double> m_shed;
    std::vector<double> m_peakQps;
    std::vector<double> m_peakUtilization;
    // The worst tick: without a backlog a node's percentiles grow with rho, so its highest rho there; with one, the
    // percentiles of its worst such tick.
    std::vector<double> m_calmRho; // -1 before any tick without a backlog
    std::vector<std::array<double, 4>> m_worstDelayed; // s
    // Per tick, reused.
    std::vector<double> m_rho;
    std::vector<double> m_dropped;
    std::vector<double> m_delay; // s
    std::vector<double> m_served; // requests served in the tick
    // The nodes with a backlog or an overload in the last queue step: the first m_queueCount of m_queueing.
    std::vector<uint32_t> m_queueing;
    size_t m_queueCount = 0;
    std::vector<std::array<double, 4>> m_lastDelayed; // s, the last solution per node: the next tick's guess
    // The requests served in the open cluster window: pooled by cell, and those behind a backlog exactly when the
    // window is one tick (m_mixture), else by cell and delay step like the run's.
    LatencyPool m_windowPool;
    LatencyPool m_runPool;
    LatencyMixture m_mixture;
    // Per node, the served requests (and their sum of requests x rho) of its ticks without a backlog in the open
    // window since it entered its current cell.
    std::vector<uint32_t> m_nodeCell;
    std::vector<double> m_cellLow; // rho bounds inside m_nodeCell (ResponseTable::cellBounds)
    std::vector<double> m_cellHigh;
    std::vector<double> m_nodeWeight;
    std::vector<double> m_nodeWeightedRho;
    int64_t m_windowTicks = 1;
    int64_t m_runTicks = 0;
    int64_t m_evaluated = 0; // evaluate() calls so far
    bool m_windowOpen = false;
    bool m_solvedOnce = false; // a window has been solved: m_last is a whole window's
    // Node windows of latency (setNodeWindow): per node, the highest rho of the window's ticks without a backlog (-1:
    // none) and the worst mean and percentiles (s) of its ticks with one.
    int64_t m_nodeWindowTicks = 1;
    bool m_closeNodeWindow = false;
    std::vector<double> m_windowCalmRho;
    std::vector<std::array<double, 5>> m_windowDelayed;
    std::array<double, 4> m_serviceQuantiles {}; // s, Exp(mu)'s: a full queue's response beyond its delay
    bool m_backlogged = false; // some node ended the last tick with a queue
    std::array<double, 4> m_last {}; // the cluster's percentiles of the last window, s
};

} // namespace shardsim::engine
