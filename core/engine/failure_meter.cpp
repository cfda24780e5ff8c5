#include "engine/failure_meter.h"

#include <algorithm>

namespace shardsim::engine {

double FailureMeter::countUnavailable(double t0, double t1, const ClusterLayout& cluster, const RunPlan& plan,
    const StorageModel& storage, std::vector<double>& nodeRequests)
{
    const double before = m_unavailable;
    m_downNodes = cluster.downCount();
    if (m_downNodes == 0)
        return m_unavailable - before;
    // A down node receives only the requests of databases with no copy up (the others failed over).
    for (NodeId node = 0; node < cluster.nodeCount(); ++node) {
        double& requests = nodeRequests[static_cast<size_t>(node)];
        if (cluster.isDown(node) && requests > 0) {
            m_unavailable += requests;
            m_failed += requests;
            requests = 0;
        }
    }
    bool any = false;
    for (int d = 0; d < cluster.databaseCount(); ++d) {
        if (cluster.databaseAvailable(d))
            continue;
        any = true;
        if (m_everUnavailable[static_cast<size_t>(d)])
            continue;
        m_everUnavailable[static_cast<size_t>(d)] = true;
        // Users: the keys of the first sharded table on the database.
        for (size_t t = 0; t < plan.tables().size(); ++t) {
            if (plan.tables()[t].domain < 0)
                continue;
            const std::vector<double> rows = storage.shardRows(t, t0);
            double total = 0;
            double onDatabase = 0;
            for (size_t s = 0; s < rows.size(); ++s) {
                total += rows[s];
                const int shard = cluster.groupShard(plan.tables()[t].group, static_cast<int>(s));
                if (cluster.databaseOfShard(shard) == d)
                    onDatabase += rows[s];
            }
            m_affectedUsers += total > 0 ? onDatabase / total : 0;
            break;
        }
    }
    if (any)
        m_unavailableSeconds += t1 - t0;
    return m_unavailable - before;
}

void FailureMeter::summarize(AvailabilitySummary& out, double requests) const
{
    out.failedRequests = m_unavailable;
    out.failedFraction = requests > 0 ? m_unavailable / requests : 0;
    out.affectedUsersFraction = std::min(1.0, m_affectedUsers);
    out.unavailableSeconds = m_unavailableSeconds;
}

} // namespace shardsim::engine
