#include "shardsim/report/expectations.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <functional>
#include <limits>

#include "shardsim/scenario/metric_names.h"

namespace shardsim {

namespace {

    // A metric read off the per-tick cluster series: the worst (largest) value inside the window.
    using TickMetric = std::function<double(const ClusterTick&)>;

    const TickMetric* tickMetric(const std::string& name)
    {
        static const std::vector<std::pair<std::string, TickMetric>> metrics {
            { "imbalance.max_over_mean", [](const ClusterTick& t) { return t.imbalance.maxOverMean; } },
            { "imbalance.cv", [](const ClusterTick& t) { return t.imbalance.cv; } },
            { "imbalance.gini", [](const ClusterTick& t) { return t.imbalance.gini; } },
            { "peak.qps", [](const ClusterTick& t) { return t.qps; } },
            { "peak.utilization", [](const ClusterTick& t) { return t.maxUtilization; } },
            { "latency.p50_ms", [](const ClusterTick& t) { return t.p50LatencyMs; } },
            { "latency.p99_ms", [](const ClusterTick& t) { return t.p99LatencyMs; } },
        };
        for (const auto& [metricName, metric] : metrics)
            if (metricName == name)
                return &metric;
        return nullptr;
    }

    // Metrics of the whole run, independent of a window.
    std::optional<double> runMetric(const std::string& name, const RunResult& run)
    {
        if (name == "requests.total")
            return run.requests;
        if (name == "requests.shed")
            return run.shedRequests;
        if (name == "utilization.max" || name == "utilization.mean") {
            if (run.cluster.empty())
                return 0.0;
            double sum = 0;
            for (const ClusterTick& tick : run.cluster)
                sum += name == "utilization.max" ? tick.maxUtilization : tick.meanUtilization;
            return sum / static_cast<double>(run.cluster.size());
        }
        if (name == "requests.failed")
            return run.failedRequests;
        if (name == "availability.failed_requests")
            return run.availability.failedFraction;
        if (name == "migration.moved_bytes" || name == "migration.moved_fraction"
            || name == "migration.duration_s") {
            double bytes = 0;
            double fraction = 0;
            double first = 0;
            double last = 0;
            for (size_t i = 0; i < run.migrations.size(); ++i) {
                const MigrationSummary& migration = run.migrations[i];
                bytes += migration.movedBytes;
                fraction += migration.movedFraction;
                first = i == 0 ? migration.atS : std::min(first, migration.atS);
                last = std::max(last, migration.atS + migration.durationS);
            }
            if (name == "migration.moved_bytes")
                return bytes;
            if (name == "migration.moved_fraction")
                return fraction;
            return run.migrations.empty() ? 0.0 : last - first;
        }
        if (name == "storage.max_utilization") {
            double worst = 0;
            for (const NodeSummary& node : run.nodes)
                worst = std::max(worst, node.storageUtilization);
            return worst;
        }
        if (name == "queries.cross_shard_fraction" || name == "queries.mean_fanout" || name == "queries.amplification"
            || name == "transactions.cross_shard_fraction") {
            const bool transactions = name == "transactions.cross_shard_fraction";
            double calls = 0;
            double sum = 0;
            for (const QuerySummary& query : run.queries) {
                if (transactions != (query.kind == "transaction") && name != "queries.mean_fanout"
                    && name != "queries.amplification")
                    continue;
                calls += query.calls;
                sum += query.calls
                    * (name == "queries.mean_fanout"         ? query.meanFanout
                            : name == "queries.amplification" ? query.amplification
                                                              : query.crossShardFraction);
            }
            return calls > 0 ? sum / calls : 0.0;
        }
        std::string op;
        std::string field;
        if (splitOperationMetric(name, op, field)) {
            for (const QuerySummary& query : run.queries) {
                if (query.op != op)
                    continue;
                if (field == "calls")
                    return query.calls;
                if (field == "mean_fanout")
                    return query.meanFanout;
                if (field == "max_fanout")
                    return static_cast<double>(query.maxFanout);
                if (field == "rows_read_per_call")
                    return query.rowsReadPerCall;
                if (field == "extra_lookups_per_call")
                    return query.extraLookupsPerCall;
                if (field == "cross_shard_fraction")
                    return query.crossShardFraction;
                if (field == "amplification")
                    return query.amplification;
            }
            return std::nullopt;
        }
        if (name == "rows.max_per_table") {
            double worst = 0;
            for (const TableSummary& table : run.tables)
                worst = std::max(worst, table.maxRowsPerTable);
            return worst;
        }
        return std::nullopt;
    }

    std::string describeBound(const ExpectConfig& expect)
    {
        std::string bound;
        auto add = [&](const char* op, const std::optional<double>& value) {
            if (value)
                bound += fmt::format("{}{} {:g}", bound.empty() ? "" : ", ", op, *value);
        };
        add("<=", expect.atMost);
        add(">=", expect.atLeast);
        add("==", expect.equals);
        return bound;
    }

    bool holds(const ExpectConfig& expect, double value)
    {
        if (std::isnan(value))
            return false;
        if (expect.atMost && value > *expect.atMost)
            return false;
        if (expect.atLeast && value < *expect.atLeast)
            return false;
        if (expect.equals && std::abs(value - *expect.equals) > 1e-9 * std::max(1.0, std::abs(*expect.equals)))
            return false;
        return true;
    }

} // namespace

std::vector<ExpectationResult> evaluateExpectations(const std::vector<ExpectConfig>& expectations, const RunResult& run)
{
    std::vector<ExpectationResult> results;
    for (const ExpectConfig& expect : expectations) {
        ExpectationResult result;
        result.metric = expect.metric;
        result.bound = describeBound(expect);
        result.line = expect.line;
        if (const TickMetric* metric = tickMetric(expect.metric)) {
            const double from = expect.from.value_or(-std::numeric_limits<double>::infinity());
            const double to = expect.to.value_or(std::numeric_limits<double>::infinity());
            bool seen = false;
            double worst = 0;
            double worstAt = 0;
            // The worst value is the one furthest on the wrong side: the largest for at_most, the smallest for
            // at_least; for equals, the one furthest from the target.
            for (const ClusterTick& tick : run.cluster) {
                if (tick.time < from || tick.time >= to)
                    continue;
                const double value = (*metric)(tick);
                bool worse = !seen || std::isnan(value); // NaN compares false: it must not hide behind finite ticks
                if (seen && !std::isnan(worst) && !worse) {
                    if (expect.atLeast && !expect.atMost)
                        worse = value < worst;
                    else if (expect.equals && !expect.atMost && !expect.atLeast)
                        worse = std::abs(value - *expect.equals) > std::abs(worst - *expect.equals);
                    else
                        worse = value > worst;
                }
                if (worse) {
                    worst = value;
                    worstAt = tick.time;
                    seen = true;
                }
            }
            if (!seen) {
                result.ok = false;
                result.value = std::nan("");
                result.bound += " (no tick inside the window)";
            } else {
                result.value = worst;
                result.at = worstAt;
                result.ok = holds(expect, worst);
            }
        } else if (auto value = runMetric(expect.metric, run)) {
            result.value = *value;
            result.ok = holds(expect, *value);
        } else {
            result.ok = false;
            result.value = std::nan("");
            result.bound += " (not measured by this version of the simulator)";
        }
        results.push_back(std::move(result));
    }
    return results;
}

} // namespace shardsim
