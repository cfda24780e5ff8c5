#pragma once
// Requests that reached no node — keys the rule refused, shards with every copy on a down node — and what an outage
// cost: the users whose shard was unreachable and the seconds some shard was (docs/migration-model.md).

#include <vector>

#include "engine/cluster_layout.h"
#include "engine/run_plan.h"
#include "engine/storage_model.h"
#include "shardsim/engine/run_result.h"

namespace shardsim::engine {

class FailureMeter {
public:
    // The current layout's databases, none unavailable yet (at the start and after a cutover).
    void resetDatabases(int databases) { m_everUnavailable.assign(static_cast<size_t>(databases), false); }

    void addRefused(double requests)
    {
        m_failed += requests;
        m_refused += requests;
    }
    // Over [t0, t1): the requests offered to down nodes fail (they are taken out of `nodeRequests`: only databases
    // with no copy up still route to a down node). Returns the requests that failed so.
    double countUnavailable(double t0, double t1, const ClusterLayout& cluster, const RunPlan& plan,
        const StorageModel& storage, std::vector<double>& nodeRequests);

    int downNodes() const { return m_downNodes; } // in the last tick counted
    double failed() const { return m_failed; } // refused and unavailable, over the run
    double refused() const { return m_refused; }
    double unavailable() const { return m_unavailable; }
    void summarize(AvailabilitySummary& out, double requests) const;

private:
    double m_failed = 0;
    double m_refused = 0; // requests whose key the rule refused
    double m_unavailable = 0; // requests failed because their shard had no copy up
    double m_affectedUsers = 0;
    double m_unavailableSeconds = 0;
    int m_downNodes = 0;
    std::vector<bool> m_everUnavailable; // per database of the current rule
};

} // namespace shardsim::engine
