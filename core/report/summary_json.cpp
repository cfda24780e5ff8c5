#include "shardsim/report/summary_json.h"

#include <algorithm>

namespace shardsim {

namespace {

    nlohmann::ordered_json imbalanceJson(const Imbalance& imbalance)
    {
        return { { "max_over_mean", imbalance.maxOverMean }, { "cv", imbalance.cv }, { "gini", imbalance.gini } };
    }

    nlohmann::ordered_json serviceJson(const ServiceModel& service)
    {
        return {
            { "servers", service.servers },
            { "servers_from", service.serversGiven ? "concurrency" : "max_qps x base_latency" },
            { "service_time_ms", service.serviceTimeS * 1e3 },
            { "queue_timeout_s", service.queueTimeoutS },
        };
    }

} // namespace

double offeredRequests(const RunResult& result) { return result.requests - result.failedRequests; }

nlohmann::ordered_json summaryJson(const RunResult& result)
{
    nlohmann::ordered_json json;
    json["scenario"] = result.scenario;
    json["seed"] = result.seed;
    json["engine"] = engineModeName(result.engine);
    json["ticks"] = result.ticks;
    json["tick_seconds"] = result.tickSeconds;
    if (result.start) // the clock the run's times read on; tick times stay seconds since the start
        json["start"] = formatTimeOfDay(*result.start);
    json["requests"] = result.requests;
    json["offered_requests"] = offeredRequests(result);
    json["served_requests"] = result.servedRequests;
    json["shed_requests"] = result.shedRequests;
    json["queued_requests"] = result.queuedRequests;
    json["failed_requests"] = result.failedRequests;
    json["cancelled"] = result.cancelled;
    json["service"] = serviceJson(result.service);
    json["latency"] = {
        { "p50_ms", result.latency.p50Ms },
        { "p95_ms", result.latency.p95Ms },
        { "p99_ms", result.latency.p99Ms },
        { "p999_ms", result.latency.p999Ms },
    };
    json["cost"] = {
        { "nodes_at_start", result.cost.nodesAtStart },
        { "nodes_at_end", result.cost.nodesAtEnd },
        { "per_month_at_start", result.cost.monthlyAtStart },
        { "per_month_at_end", result.cost.monthlyAtEnd },
    };

    auto& nodes = json["nodes"] = nlohmann::ordered_json::array();
    for (const NodeSummary& node : result.nodes) {
        auto& entry = nodes.emplace_back(nlohmann::ordered_json {
            { "name", node.name },
            { "region", node.region },
            { "requests", node.requests },
            { "share", node.share },
            { "mean_qps", node.meanQps },
            { "peak_qps", node.peakQps },
            { "peak_utilization", node.peakUtilization },
            { "p50_latency_ms", node.p50LatencyMs },
            { "p95_latency_ms", node.p95LatencyMs },
            { "p99_latency_ms", node.p99LatencyMs },
            { "p999_latency_ms", node.p999LatencyMs },
            { "served_requests", node.servedRequests },
            { "shed_requests", node.shedRequests },
            { "queued_requests", node.queuedRequests },
            { "rows", node.rows },
            { "bytes", node.bytes },
            { "storage_utilization", node.storageUtilization },
        });
        if (!node.database.empty()) // only with business databases, so other summaries keep their shape
            entry["database"] = node.database;
    }
    auto& shards = json["shards"] = nlohmann::ordered_json::array();
    for (const ShardSummary& shard : result.shards) {
        shards.push_back({
            { "name", shard.name },
            { "node", shard.node >= 0 && shard.node < static_cast<int>(result.nodes.size())
                    ? result.nodes[static_cast<size_t>(shard.node)].name
                    : std::string() }, // "": a shard of an earlier layout, whose rows moved away
            { "requests", shard.requests },
            { "share", shard.share },
            { "rows", shard.rows },
        });
    }
    auto& tables = json["tables"] = nlohmann::ordered_json::array();
    for (const TableSummary& table : result.tables) {
        tables.push_back({
            { "name", table.name },
            { "rows", table.rows },
            { "physical_tables", table.physicalTables },
            { "max_rows_per_table", table.maxRowsPerTable },
            { "largest", table.largest },
            { "over_limit", table.overLimit },
            { "row_size", table.rowSize },
            { "rows_per_page", table.rowsPerPage },
            { "share_standard_error", table.shareStandardError },
        });
    }
    // The largest over the tables: how far any shard's rows may be off (docs/engine-model.md, "Counted keys").
    double shareError = 0;
    for (const TableSummary& table : result.tables)
        shareError = std::max(shareError, table.shareStandardError);
    json["rows"] = { { "share_standard_error", shareError } };
    auto& operations = json["operations"] = nlohmann::ordered_json::array();
    for (const OperationSummary& op : result.operations)
        operations.push_back({ { "op", op.name }, { "requests", op.requests }, { "share", op.share } });

    json["client_requests"] = result.clientRequests;
    auto& queries = json["queries"] = nlohmann::ordered_json::array();
    for (const QuerySummary& query : result.queries) {
        queries.push_back({
            { "op", query.op },
            { "kind", query.kind },
            { "calls", query.calls },
            { "shard_requests", query.shardRequests },
            { "mean_fanout", query.meanFanout },
            { "max_fanout", query.maxFanout },
            { "fanout_histogram", query.fanoutHistogram },
            { "rows_read_per_call", query.rowsReadPerCall },
            { "extra_lookups_per_call", query.extraLookupsPerCall },
            { "cross_shard_fraction", query.crossShardFraction },
            { "extra_round_trips_per_call", query.extraRoundTripsPerCall },
            { "amplification", query.amplification },
            { "node_load", query.nodeLoad },
        });
        if (!query.keys.empty()) // written only for an operation with its own law: other runs read as before
            queries.back()["keys"] = query.keys;
    }

    json["imbalance"] = imbalanceJson(result.imbalance);
    json["peak"] = { { "tick", result.peak.tick }, { "time", result.peak.time }, { "qps", result.peak.qps } };

    auto& expectations = json["expectations"] = nlohmann::ordered_json::array();
    for (const ExpectationResult& expectation : result.expectations) {
        nlohmann::ordered_json entry {
            { "metric", expectation.metric },
            { "bound", expectation.bound },
            { "ok", expectation.ok },
            { "value", expectation.value },
        };
        if (expectation.at)
            entry["at"] = *expectation.at;
        if (!expectation.origin.empty()) // added on the command line: its line is the override's, not the file's
            entry["origin"] = expectation.origin;
        else if (expectation.line > 0)
            entry["line"] = expectation.line;
        expectations.push_back(std::move(entry));
    }
    auto& migrations = json["migrations"] = nlohmann::ordered_json::array();
    for (const MigrationSummary& migration : result.migrations) {
        auto nodesInOut = nlohmann::ordered_json::array();
        for (size_t n = 0; n < result.nodes.size(); ++n) {
            const double out = n < migration.nodeOutBytes.size() ? migration.nodeOutBytes[n] : 0.0;
            const double in = n < migration.nodeInBytes.size() ? migration.nodeInBytes[n] : 0.0;
            if (out > 0 || in > 0)
                nodesInOut.push_back({ { "name", result.nodes[n].name }, { "out_bytes", out }, { "in_bytes", in } });
        }
        migrations.push_back({
            { "event", migration.event },
            { "kind", migration.kind },
            { "at_s", migration.atS },
            { "moved_fraction", migration.movedFraction },
            { "optimum_fraction", migration.optimumFraction },
            { "moved_rows", migration.movedRows },
            { "moved_bytes", migration.movedBytes },
            { "catch_up_bytes", migration.catchUpBytes },
            { "bandwidth", migration.bandwidth },
            { "copy_s", migration.copyS },
            { "catch_up_s", migration.catchUpS },
            { "duration_s", migration.durationS },
            { "finished", migration.finished },
            { "exact", migration.exact },
            { "peak_extra_utilization", migration.peakExtraUtilization },
            { "nodes", std::move(nodesInOut) },
        });
    }
    json["availability"] = {
        { "failed_requests", result.availability.failedRequests },
        { "failed_fraction", result.availability.failedFraction },
        { "affected_users_fraction", result.availability.affectedUsersFraction },
        { "unavailable_seconds", result.availability.unavailableSeconds },
    };
    if (!result.failovers.empty()) {
        // Written only when nodes failed, so the summaries of runs without failures read as before.
        auto& failovers = json["failovers"] = nlohmann::ordered_json::array();
        const auto name = [&](int node) {
            return node >= 0 && static_cast<size_t>(node) < result.nodes.size() ? result.nodes[static_cast<size_t>(node)].name
                                                                                 : std::string();
        };
        for (const FailoverSummary& failover : result.failovers) {
            nlohmann::ordered_json entry {
                { "node", name(failover.node) },
                { "at_s", failover.atS },
                { "recovered_at_s", failover.recoveredAtS ? nlohmann::ordered_json(*failover.recoveredAtS) : nullptr },
                { "takeover_node", name(failover.takeoverNode) },
                { "databases_taken_over", failover.databasesTakenOver },
                { "databases_lost", failover.databasesLost },
                { "takeover_peak_utilization", failover.takeoverPeakUtilization },
                { "takeover_peak_at_s", failover.takeoverPeakAtS },
                { "shed_requests", failover.shedRequests },
                { "failed_requests", failover.failedRequests },
            };
            failovers.push_back(std::move(entry));
        }
    }
    if (result.ranges) {
        // Written only under an auto-range rule (docs/outputs.md, "ranges").
        const RangesSummary& ranges = *result.ranges;
        const auto name = [&](int node) {
            return node >= 0 && static_cast<size_t>(node) < result.nodes.size() ? result.nodes[static_cast<size_t>(node)].name
                                                                                 : std::string();
        };
        const auto optional = [](const std::optional<double>& value) {
            return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
        };
        auto unsplittable = nlohmann::ordered_json::array();
        for (const UnsplittableRange& key : ranges.unsplittable)
            unsplittable.push_back({ { "key", key.key }, { "rate", key.rate }, { "node", name(key.node) } });
        json["ranges"] = {
            { "start", ranges.start },
            { "end", ranges.end },
            { "splits", ranges.splits },
            { "merges", ranges.merges },
            { "moves", ranges.moves },
            { "bytes_moved", ranges.bytesMoved },
            { "unsplittable", std::move(unsplittable) },
            { "balanced_at_s", optional(ranges.balancedAtS) },
            { "max_ranges_per_node", ranges.maxRangesPerNode },
            { "min_ranges_per_node", ranges.minRangesPerNode },
            { "load_splits", ranges.loadSplits },
            { "first_load_split_s", optional(ranges.firstLoadSplitS) },
            { "last_load_split_s", optional(ranges.lastLoadSplitS) },
            { "load_split_nodes", ranges.loadSplitNodes },
            { "node_max_qps", ranges.nodeMaxQps },
            { "leader_transfers", ranges.leaderTransfers },
        };
    }
    json["warnings"] = result.warnings;
    return json;
}

} // namespace shardsim
