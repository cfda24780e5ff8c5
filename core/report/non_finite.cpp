#include "shardsim/report/non_finite.h"

#include <cmath>
#include <initializer_list>
#include <utility>

#include <fmt/format.h>

namespace shardsim {

namespace {

    using Field = std::pair<const char*, double>;

    // The first field of one record that is not finite, as "prefix.field".
    std::optional<std::string> firstBad(const std::string& prefix, std::initializer_list<Field> fields)
    {
        for (const auto& [name, value] : fields) {
            if (!std::isfinite(value))
                return prefix.empty() ? std::string(name) : prefix + "." + name;
        }
        return std::nullopt;
    }

    std::optional<std::string> firstBadIn(const std::string& prefix, const std::vector<double>& values)
    {
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (!std::isfinite(values[i]))
                return fmt::format("{}[{}]", prefix, i);
        }
        return std::nullopt;
    }

    std::optional<std::string> firstBadImbalance(const std::string& prefix, const Imbalance& imbalance)
    {
        return firstBad(prefix, { { "max_over_mean", imbalance.maxOverMean }, { "cv", imbalance.cv },
                                    { "gini", imbalance.gini } });
    }

    template <typename T, typename Check>
    std::optional<std::string> firstBadOf(const char* name, const std::vector<T>& records, Check check)
    {
        for (std::size_t i = 0; i < records.size(); ++i) {
            if (auto bad = check(fmt::format("{}[{}]", name, i), records[i]))
                return bad;
        }
        return std::nullopt;
    }

    std::optional<std::string> firstBadTotals(const RunResult& r)
    {
        if (auto bad = firstBad({},
                { { "requests", r.requests }, { "served_requests", r.servedRequests },
                    { "shed_requests", r.shedRequests }, { "queued_requests", r.queuedRequests },
                    { "failed_requests", r.failedRequests }, { "client_requests", r.clientRequests },
                    { "peak.qps", r.peak.qps }, { "peak.time", r.peak.time } }))
            return bad;
        const ServiceModel& s = r.service;
        if (auto bad = firstBad("service",
                { { "servers", s.servers }, { "service_time_ms", s.serviceTimeS },
                    { "queue_timeout_s", s.queueTimeoutS } }))
            return bad;
        const LatencySummary& l = r.latency;
        if (auto bad = firstBad("latency",
                { { "p50_ms", l.p50Ms }, { "p95_ms", l.p95Ms }, { "p99_ms", l.p99Ms }, { "p999_ms", l.p999Ms } }))
            return bad;
        if (auto bad = firstBadImbalance("imbalance", r.imbalance))
            return bad;
        const AvailabilitySummary& a = r.availability;
        return firstBad("availability", { { "failed_requests", a.failedRequests },
                                            { "failed_fraction", a.failedFraction },
                                            { "affected_users_fraction", a.affectedUsersFraction },
                                            { "unavailable_seconds", a.unavailableSeconds } });
    }

    std::optional<std::string> firstBadNode(const std::string& at, const NodeSummary& n)
    {
        return firstBad(at,
            { { "requests", n.requests }, { "share", n.share }, { "mean_qps", n.meanQps }, { "peak_qps", n.peakQps },
                { "peak_utilization", n.peakUtilization }, { "p50_latency_ms", n.p50LatencyMs },
                { "p95_latency_ms", n.p95LatencyMs }, { "p99_latency_ms", n.p99LatencyMs },
                { "p999_latency_ms", n.p999LatencyMs }, { "served_requests", n.servedRequests },
                { "shed_requests", n.shedRequests }, { "queued_requests", n.queuedRequests }, { "rows", n.rows },
                { "bytes", n.bytes }, { "storage_utilization", n.storageUtilization } });
    }

    std::optional<std::string> firstBadTick(const std::string& at, const ClusterTick& c)
    {
        if (auto bad = firstBad(at,
                { { "time", c.time }, { "qps", c.qps }, { "served_qps", c.servedQps }, { "shed_qps", c.shedQps },
                    { "queued", c.queued }, { "max_utilization", c.maxUtilization },
                    { "mean_utilization", c.meanUtilization }, { "p50_latency_ms", c.p50LatencyMs },
                    { "p95_latency_ms", c.p95LatencyMs }, { "p99_latency_ms", c.p99LatencyMs },
                    { "p999_latency_ms", c.p999LatencyMs },
                    { "migration_bytes_per_second", c.migrationBytesPerSecond } }))
            return bad;
        return firstBadImbalance(at + ".imbalance", c.imbalance);
    }

    std::optional<std::string> firstBadQuery(const std::string& at, const QuerySummary& q)
    {
        if (auto bad = firstBad(at, { { "calls", q.calls }, { "shard_requests", q.shardRequests },
                                        { "mean_fanout", q.meanFanout }, { "rows_read_per_call", q.rowsReadPerCall },
                                        { "extra_lookups_per_call", q.extraLookupsPerCall },
                                        { "cross_shard_fraction", q.crossShardFraction },
                                        { "extra_round_trips_per_call", q.extraRoundTripsPerCall },
                                        { "amplification", q.amplification } }))
            return bad;
        if (auto bad = firstBadIn(at + ".fanout_histogram", q.fanoutHistogram))
            return bad;
        return firstBadIn(at + ".node_load", q.nodeLoad);
    }

    std::optional<std::string> firstBadMigration(const std::string& at, const MigrationSummary& m)
    {
        if (auto bad = firstBad(at, { { "at_s", m.atS }, { "moved_fraction", m.movedFraction },
                                        { "optimum_fraction", m.optimumFraction }, { "moved_rows", m.movedRows },
                                        { "moved_bytes", m.movedBytes }, { "catch_up_bytes", m.catchUpBytes },
                                        { "bandwidth", m.bandwidth }, { "copy_s", m.copyS },
                                        { "catch_up_s", m.catchUpS }, { "duration_s", m.durationS },
                                        { "peak_extra_utilization", m.peakExtraUtilization } }))
            return bad;
        if (auto bad = firstBadIn(at + ".out_bytes", m.nodeOutBytes))
            return bad;
        return firstBadIn(at + ".in_bytes", m.nodeInBytes);
    }

} // namespace

std::optional<std::string> firstNonFiniteMetric(const RunResult& r)
{
    if (auto bad = firstBadTotals(r))
        return bad;
    if (auto bad = firstBadOf("nodes", r.nodes, firstBadNode))
        return bad;
    if (auto bad = firstBadOf("shards", r.shards, [](const std::string& at, const ShardSummary& s) {
            return firstBad(at, { { "requests", s.requests }, { "share", s.share }, { "rows", s.rows } });
        }))
        return bad;
    if (auto bad = firstBadOf("operations", r.operations, [](const std::string& at, const OperationSummary& o) {
            return firstBad(at, { { "requests", o.requests }, { "share", o.share } });
        }))
        return bad;
    if (auto bad = firstBadOf("queries", r.queries, firstBadQuery))
        return bad;
    if (auto bad = firstBadOf("tables", r.tables, [](const std::string& at, const TableSummary& t) {
            return firstBad(at, { { "rows", t.rows }, { "max_rows_per_table", t.maxRowsPerTable },
                                    { "row_size", t.rowSize }, { "rows_per_page", t.rowsPerPage } });
        }))
        return bad;
    if (auto bad = firstBadOf("cluster", r.cluster, firstBadTick))
        return bad;
    if (auto bad = firstBadIn("heatmap.rate", r.heatmap.rate))
        return bad;
    return firstBadOf("migrations", r.migrations, firstBadMigration);
}

std::optional<std::string> firstNonFiniteValue(const nlohmann::json& report)
{
    if (report.is_number_float())
        return std::isfinite(report.get<double>()) ? std::nullopt : std::optional<std::string>(std::string());
    auto below = [](const std::string& at, const std::string& inner) {
        return inner.empty() || inner.front() == '[' ? at + inner : at + "." + inner;
    };
    if (report.is_array()) {
        for (std::size_t i = 0; i < report.size(); ++i) {
            if (auto bad = firstNonFiniteValue(report[i]))
                return below(fmt::format("[{}]", i), *bad);
        }
    } else if (report.is_object()) {
        for (const auto& [key, value] : report.items()) {
            if (auto bad = firstNonFiniteValue(value))
                return below(key, *bad);
        }
    }
    return std::nullopt;
}

std::string nonFiniteMessage(const std::string& metric)
{
    return fmt::format("the run produced a value that is not a finite number for {}; its results are not reported. "
                       "This is a bug or an input past the documented limits (docs/scenario-format.md#reader-limits)",
        metric);
}

} // namespace shardsim
