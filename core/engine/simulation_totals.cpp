// The run's result at its end: totals per node, shard, operation and table, and the warnings the totals call for.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "engine/simulation_state.h"
#include "shardsim/common/units.h"
#include "shardsim/engine/cluster_cost.h"
#include "shardsim/engine/idle_nodes.h"
#include "shardsim/scenario/config_names.h"

namespace shardsim {

namespace {

    constexpr double kPageBytes = 16'384; // InnoDB's default page: what rows per page are counted against

    QuerySummary querySummary(const engine::OperationPlan& op, const engine::QueryTotals& totals)
    {
        QuerySummary out;
        out.op = op.name;
        out.kind = kOperationKindNames.name(op.query.kind);
        out.keys = op.keyLaw;
        out.calls = totals.calls;
        out.shardRequests = totals.shardRequests;
        const double calls = totals.calls > 0 ? totals.calls : 1;
        out.meanFanout = totals.fanout / calls;
        out.rowsReadPerCall = totals.rows / calls;
        out.extraLookupsPerCall = totals.lookups / calls;
        out.crossShardFraction = totals.crossShard / calls;
        out.extraRoundTripsPerCall = totals.roundTrips / calls;
        out.amplification = totals.shardRequests / calls;
        if (totals.perCallSet && totals.perCallConstant) {
            out.meanFanout = totals.perCall.fanout;
            out.rowsReadPerCall = totals.perCall.rows;
            out.extraLookupsPerCall = totals.perCall.lookups;
            out.crossShardFraction = totals.perCall.crossShard;
            out.amplification = totals.perCall.shardRequests;
        }
        out.fanoutHistogram = totals.histogram;
        // Mass below one part in 10^9 of the calls is rounding in the expected engine's histogram, not a fan-out.
        for (size_t d = 0; d < out.fanoutHistogram.size(); ++d) {
            if (out.fanoutHistogram[d] > 1e-9 * calls)
                out.maxFanout = static_cast<int>(d);
        }
        out.fanoutHistogram.resize(static_cast<size_t>(out.maxFanout) + 1);
        return out;
    }

} // namespace

RunResult SimulationState::finish()
{
    if (m_finished)
        return m_result;
    m_finished = true;
    const double seconds = std::min(m_config.duration, static_cast<double>(m_tick) * m_config.tick);
    m_result.cancelled = m_tick < m_ticks;
    m_result.ticks = m_tick;
    if (m_migration.running())
        endMigration(false, seconds);
    fillTotals(m_result, seconds);
    fillTables(m_result, seconds);
    m_result.cost = clusterCost(m_config);
    fillRanges(m_result);

    m_metrics.finishHeatMap(m_tick, m_result.heatmap);
    m_failures.summarize(m_result.availability, m_result.requests);
    addEndWarnings(m_result);
    m_metrics.closeClusterWindow(m_result);
    if (m_result.cancelled && !m_result.cluster.empty())
        m_load->closeWindow(m_result.cluster.back()); // the latency of the ticks the last window holds
    for (MetricsSink* sink : m_options.sinks)
        sink->onFinish(m_result);
    return m_result;
}

void SimulationState::addEndWarnings(RunResult& result)
{
    if (m_trace && !m_trace->problem().empty())
        result.warnings.push_back("workload.keys: the trace stopped replaying: " + m_trace->problem());
    if (m_failures.refused() > 0)
        result.warnings.push_back(fmt::format("{} requests had keys the rule {} cannot route; they reached no node",
            units::formatCount(m_failures.refused()), m_rule->spec()));
    if (m_failures.unavailable() > 0)
        result.warnings.push_back(fmt::format("{} requests ({:.4g}% of all) failed: every copy of their shard was on "
                                              "a node that was down",
            units::formatCount(m_failures.unavailable()), 100 * result.availability.failedFraction));
    if (const double queued = m_load->queued(); queued >= 1)
        result.warnings.push_back(fmt::format(
            "{} requests were still queued on overloaded nodes when the run ended", units::formatCount(queued)));
}

void SimulationState::fillTotals(RunResult& result, double seconds)
{
    std::vector<double> shardRequests;
    const std::vector<double> operationRequests = m_retired.operationsWith(*m_traffic, shardRequests);

    const std::vector<engine::NodeStats> stats = m_load->stats();
    const auto rows = m_storage->nodeRows();
    const auto bytes = m_storage->nodeBytes();
    std::vector<double> nodeRequests(stats.size());
    double requests = m_failures.failed();
    double served = 0;
    double shed = 0;
    double queued = 0;
    for (size_t n = 0; n < stats.size(); ++n) {
        nodeRequests[n] = stats[n].requests;
        requests += stats[n].requests;
        served += stats[n].served;
        shed += stats[n].shed;
        queued += stats[n].queued;
    }
    result.requests = requests;
    result.servedRequests = served;
    result.shedRequests = shed;
    result.queuedRequests = queued;
    result.failedRequests = m_failures.failed();
    result.service = m_load->model();
    result.latency = m_load->runLatency();
    for (size_t n = 0; n < stats.size(); ++n) {
        NodeSummary& node = result.nodes[n];
        node.requests = stats[n].requests;
        node.share = requests > 0 ? stats[n].requests / requests : 0;
        node.meanQps = seconds > 0 ? stats[n].requests / seconds : 0;
        node.peakQps = stats[n].peakQps;
        node.peakUtilization = stats[n].peakUtilization;
        node.p50LatencyMs = 1000 * stats[n].worst[0];
        node.p95LatencyMs = 1000 * stats[n].worst[1];
        node.p99LatencyMs = 1000 * stats[n].worst[2];
        node.p999LatencyMs = 1000 * stats[n].worst[3];
        node.servedRequests = stats[n].served;
        node.shedRequests = stats[n].shed;
        node.queuedRequests = stats[n].queued;
        node.rows = rows[n];
        node.bytes = bytes[n];
        node.storageUtilization = m_config.cluster.node.storage > 0 ? bytes[n] / m_config.cluster.node.storage : 0;
    }
    // Over the nodes that were part of the cluster at some moment and could hold data, each by its requests per
    // second present: a node that joins later is not idle for the time before, and one that no database was ever
    // placed on could not have taken a share (a node holding an empty range could, and counts). Without events every
    // node is present throughout and this is the totals' ratio.
    std::vector<bool> heldData(nodeRequests.size(), false);
    for (NodeId node : m_cluster->copies())
        if (static_cast<size_t>(node) < heldData.size())
            heldData[static_cast<size_t>(node)] = true;
    for (size_t n = 0; n < heldData.size(); ++n)
        heldData[n] = heldData[n] || nodeRequests[n] > 0 || rows[n] > 0;
    warnAboutNodesWithoutData(result, heldData);
    const std::vector<double> present = nodeSecondsPresent(m_config, seconds);
    std::vector<double> memberRequests;
    for (size_t n = 0; n < nodeRequests.size(); ++n)
        if (m_everMember[n] && heldData[n])
            memberRequests.push_back(
                n < present.size() && present[n] > 0 ? nodeRequests[n] / present[n] : nodeRequests[n]);
    result.imbalance = engine::imbalanceOf(memberRequests);

    // The last layout's shards, then those of the layouts its cutovers replaced: together the whole run's requests.
    result.shards = layoutShards();
    for (size_t s = 0; s < result.shards.size(); ++s)
        result.shards[s].requests = shardRequests[s];
    m_retired.addShards(result.shards, layoutRule());
    for (ShardSummary& shard : result.shards)
        shard.share = requests > 0 ? shard.requests / requests : 0;
    result.operations.clear();
    const auto& ops = m_plan->operations();
    for (size_t o = 0; o < ops.size(); ++o) {
        const double opRequests = operationRequests[o];
        result.operations.push_back(
            OperationSummary { ops[o].name, opRequests, requests > 0 ? opRequests / requests : 0 });
    }
    const std::vector<engine::QueryTotals> queries = m_retired.queriesWith(*m_traffic);
    result.queries.clear();
    result.clientRequests = 0;
    for (size_t o = 0; o < queries.size() && o < ops.size(); ++o)
        result.queries.push_back(querySummary(ops[o], queries[o]));
    const std::vector<std::vector<double>> nodeWork = m_retired.nodeWorkWith(*m_traffic);
    for (size_t o = 0; o < nodeWork.size() && o < result.queries.size(); ++o)
        result.queries[o].nodeLoad = nodeWork[o];
    for (const QuerySummary& query : result.queries)
        result.clientRequests += query.calls;
}

std::string SimulationState::shardName(int shard) const
{
    const std::string name = m_rule->shardName(shard % m_cluster->shardsPerGroup());
    if (m_cluster->groupCount() == 1)
        return name;
    const auto group = static_cast<size_t>(shard / m_cluster->shardsPerGroup());
    return m_config.data.databases[group].name + "/" + name;
}

std::vector<ShardSummary> SimulationState::layoutShards() const
{
    std::vector<ShardSummary> shards(static_cast<size_t>(m_cluster->shardCount()));
    for (int s = 0; s < m_cluster->shardCount(); ++s) {
        shards[static_cast<size_t>(s)].name = shardName(s);
        shards[static_cast<size_t>(s)].node = m_cluster->primaryOfShard(s);
    }
    return shards;
}

void SimulationState::fillTables(RunResult& result, double seconds)
{
    const auto limit = static_cast<double>(m_config.limits.maxRowsPerTable);
    result.tables.clear();
    for (size_t t = 0; t < m_plan->tables().size(); ++t) {
        const engine::TablePlan& plan = m_plan->tables()[t];
        TableSummary table;
        table.name = m_config.data.tables[t].name;
        table.rows = plan.rowsAt(seconds);
        table.rowSize = plan.rowSize;
        table.rowsPerPage = plan.rowSize > 0 ? std::floor(kPageBytes / plan.rowSize) : 0;
        if (plan.domain < 0) {
            // A full copy in every database.
            table.physicalTables = m_cluster->databasesPerGroup();
            table.maxRowsPerTable = table.rows;
            table.largest = "every database";
            table.overLimit = table.rows > limit ? table.physicalTables : 0;
        } else {
            const std::vector<double> rows = m_storage->shardRows(t, seconds);
            table.shareStandardError = m_storage->shareStandardError(t, seconds);
            table.physicalTables = static_cast<int>(rows.size());
            const int first = m_cluster->groupShard(plan.group, 0);
            for (size_t s = 0; s < rows.size(); ++s) {
                result.shards[static_cast<size_t>(first) + s].rows += rows[s];
                if (rows[s] > limit)
                    ++table.overLimit;
                if (s == 0 || rows[s] > table.maxRowsPerTable) {
                    table.maxRowsPerTable = rows[s];
                    table.largest = shardName(first + static_cast<int>(s));
                }
            }
            if (const double refused = m_storage->refusedRows(t, seconds); refused >= 1)
                result.warnings.push_back(fmt::format("{}: {} rows have keys the rule {} cannot route and are stored "
                                                      "nowhere",
                    table.name, units::formatCount(refused), m_rule->spec()));
        }
        if (table.shareStandardError > engine::RangeShareCounter::kShareError)
            result.warnings.push_back(fmt::format("{}: a shard's rows carry a standard error of {:.3g}% of them: the "
                                                  "rule's fractions stand in for most of its keys, too many to hash "
                                                  "one by one (docs/engine-model.md, \"Counted keys\")",
                table.name, 100 * table.shareStandardError));
        if (table.overLimit > 0)
            result.warnings.push_back(fmt::format("{}: {} of {} physical tables end above limits.max_rows_per_table "
                                                  "({}); the largest, {}, holds {} rows",
                table.name, table.overLimit, table.physicalTables, units::formatCount(limit), table.largest,
                units::formatCount(table.maxRowsPerTable)));
        result.tables.push_back(std::move(table));
    }
}

} // namespace shardsim
