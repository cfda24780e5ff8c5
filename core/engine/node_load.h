#pragma once
// Phase 4 of a tick: what the offered requests do to each node.
//
// A node serves at most max_qps. Requests beyond that wait in a queue holding at most kQueueSeconds of the node's
// work (1 s: a request that waits longer has timed out at the client); what does not fit is shed. The queue
// drains whenever the offered rate drops below max_qps. Every offered request is counted on its node, shed or not.
//
// Latency is M/M/1 (Poisson arrivals, exponential service of mean S = base_latency, one server of rate
// mu = max_qps) at utilisation rho = offered qps / max_qps: the response time is exponential with mean
// S / (1 - rho), so
//   mean = S / (1 - rho),   p99 = S ln(100) / (1 - rho).
// rho is capped at rho_max = 1 - S / (S + kQueueSeconds), where the mean reaches a full queue's wait; a backlog B
// left at the end of the tick adds B / mu to both (every request waits for the backlog ahead of it).

#include <span>
#include <vector>

#include "engine/latency_mixture.h"
#include "shardsim/engine/run_result.h"
#include "shardsim/scenario/cluster_config.h"

namespace shardsim::engine {

struct NodeStats {
    double requests = 0; // offered over the run
    double shed = 0;
    double peakQps = 0;
    double peakUtilization = 0;
    double worstP99 = 0; // s
};

class NodeLoad {
public:
    static constexpr double kQueueSeconds = 1.0;

    NodeLoad(int nodes, const NodeSpec& spec);

    // One tick of dt seconds with `offered` requests on each node: fills the nodes' qps, utilisation, latency and
    // shed rate (rows and bytes are the storage model's; `ticks` may be empty when nobody reads them), updates
    // queues and run totals, and fills the cluster's qps, shed, utilisation and latency percentiles. `refused`
    // requests reached no node but count in the cluster's offered rate.
    void evaluate(
        std::span<const double> offered, double refused, double dt, std::span<NodeTick> ticks, ClusterTick& cluster);

    // Work besides the requests on each node for the next evaluate() calls, in request-equivalents per tick (a
    // migration's copy, docs/migration-model.md): it raises utilisation and latency but is not counted as requests.
    // Empty: none.
    void setBackground(std::span<const double> work);

    std::vector<NodeStats> stats() const;
    // Requests still queued (the run ended before they were served).
    double queued() const;

private:
    // The queue step for every node; the shed requests.
    double updateQueues(std::span<const double> offered, double capacity);

    double m_maxQps;
    double m_service; // s
    double m_maxRho;
    std::vector<double> m_backlog; // requests waiting per node
    std::vector<double> m_background; // request-equivalents per node per tick; zeros without a migration
    // Run totals per node, one array per field so that a tick's updates are plain loops over nodes.
    std::vector<double> m_requests;
    std::vector<double> m_shed;
    std::vector<double> m_peakQps;
    std::vector<double> m_peakUtilization;
    std::vector<double> m_worstP99; // s
    // Per tick, reused.
    std::vector<double> m_rho;
    std::vector<double> m_mean; // s
    std::vector<double> m_rate; // 1/s, for the mixture
    std::vector<double> m_dropped;
    std::vector<double> m_delay; // s
    std::vector<double> m_served; // requests not shed
    LatencyMixture m_mixture;
    bool m_backlogged = false; // some node ended the last tick with a queue
    double m_lastP50 = 0;
    double m_lastP99 = 0;
};

} // namespace shardsim::engine
