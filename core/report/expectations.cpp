#include "shardsim/report/expectations.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <functional>
#include <limits>

#include "shardsim/common/units.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/scenario/metric_names.h"

namespace shardsim {

namespace {

    // A metric read off the per-tick cluster series: the worst (largest) value inside the window.
    using TickMetric = std::function<double(const ClusterTick&)>;

    const std::vector<std::pair<std::string, TickMetric>>& tickMetrics()
    {
        static const std::vector<std::pair<std::string, TickMetric>> metrics {
            { "imbalance.max_over_mean", [](const ClusterTick& t) { return t.imbalance.maxOverMean; } },
            { "imbalance.cv", [](const ClusterTick& t) { return t.imbalance.cv; } },
            { "imbalance.gini", [](const ClusterTick& t) { return t.imbalance.gini; } },
            { "peak.qps", [](const ClusterTick& t) { return t.qps; } },
            { "peak.utilization", [](const ClusterTick& t) { return t.maxUtilization; } },
            { "latency.p50_ms", [](const ClusterTick& t) { return t.p50LatencyMs; } },
            { "latency.p95_ms", [](const ClusterTick& t) { return t.p95LatencyMs; } },
            { "latency.p99_ms", [](const ClusterTick& t) { return t.p99LatencyMs; } },
            { "latency.p999_ms", [](const ClusterTick& t) { return t.p999LatencyMs; } },
        };
        return metrics;
    }

    // The metrics that hold a cluster window's value (ClusterTick::latencySolved), not a tick's.
    bool windowMetric(const std::string& name) { return name.starts_with("latency."); }

    // The worst value is the one furthest on the wrong side: the largest for at_most, the smallest for at_least; for
    // equals, the one furthest from the target. NaN is always worse: it must not hide behind finite ticks.
    bool isWorse(const ExpectConfig& expect, double value, bool seen, double worst)
    {
        if (!seen || std::isnan(value))
            return true;
        if (std::isnan(worst))
            return false;
        if (expect.atLeast && !expect.atMost)
            return value < worst;
        if (expect.equals && !expect.atMost && !expect.atLeast)
            return std::abs(value - *expect.equals) > std::abs(worst - *expect.equals);
        return value > worst;
    }

    // Index into tickMetrics(); -1 for a metric of the whole run.
    int tickMetricIndex(const std::string& name)
    {
        const auto& metrics = tickMetrics();
        for (size_t i = 0; i < metrics.size(); ++i)
            if (metrics[i].first == name)
                return static_cast<int>(i);
        return -1;
    }

    // Means over the run's ticks.
    struct TickMeans {
        double maxUtilization = 0;
        double meanUtilization = 0;
    };

    // Metrics of the whole run, independent of a window.
    std::optional<double> runMetric(const std::string& name, const RunResult& run, const TickMeans& means)
    {
        if (name == "requests.total")
            return run.requests;
        if (name == "requests.served")
            return run.servedRequests;
        if (name == "requests.shed")
            return run.shedRequests;
        if (name == "requests.queued")
            return run.queuedRequests;
        if (name == "requests.served_fraction" || name == "requests.shed_fraction") {
            const double offered = offeredRequests(run);
            const double part = name == "requests.served_fraction" ? run.servedRequests : run.shedRequests;
            return offered > 0 ? part / offered : 0.0;
        }
        if (name == "utilization.max")
            return means.maxUtilization;
        if (name == "utilization.mean")
            return means.meanUtilization;
        if (name == "requests.failed")
            return run.failedRequests;
        if (name == "availability.failed_fraction" || name == "availability.failed_requests")
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
        if (name.rfind("ranges.", 0) == 0) {
            const RangesSummary ranges = run.ranges.value_or(RangesSummary {});
            if (name == "ranges.end")
                return ranges.end;
            if (name == "ranges.splits")
                return ranges.splits;
            if (name == "ranges.load_splits")
                return ranges.loadSplits;
            if (name == "ranges.merges")
                return ranges.merges;
            if (name == "ranges.moves")
                return ranges.moves;
            if (name == "ranges.bytes_moved")
                return ranges.bytesMoved;
            if (name == "ranges.leader_transfers")
                return ranges.leaderTransfers;
            if (name == "ranges.unsplittable")
                return static_cast<double>(ranges.unsplittable.size());
            if (name == "ranges.max_per_node")
                return ranges.maxRangesPerNode;
            if (name == "ranges.min_per_node")
                return ranges.minRangesPerNode;
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

    // Enough for any bound a file writes (70%, 1M, 0.001) to print as written, and no float noise (0.7 x 100).
    constexpr int kBoundDigits = 10;

} // namespace

std::string describeBound(const ExpectConfig& expect, const RunClock& clock)
{
    std::string bound;
    auto add = [&](const char* op, const std::optional<double>& value) {
        if (value)
            bound += fmt::format("{}{} {}", bound.empty() ? "" : ", ", op,
                formatMetricValue(expect.metric, *value, kBoundDigits));
    };
    add("<=", expect.atMost);
    add(">=", expect.atLeast);
    add("==", expect.equals);
    if (expect.from)
        bound += fmt::format(" from {}", clock.format(*expect.from));
    if (expect.to)
        bound += fmt::format(" {} {}", expect.from ? "to" : "until", clock.format(*expect.to));
    return bound;
}

std::string formatMetricValue(std::string_view metric, double value, int digits)
{
    if (!std::isfinite(value))
        return fmt::format("{}", value);
    const std::string_view unit = metricUnit(metric);
    // A bound is printed with every digit it was written with; a measured value with `digits`.
    const bool exact = digits >= kBoundDigits;
    auto number = [&](double x) { return fmt::format("{:.{}g}", x, digits); };
    if (unit == "fraction")
        return number(100 * value) + "%";
    if (unit == "ms")
        return number(value) + " ms";
    if (unit == "s")
        return exact ? number(value) + " s" : units::formatDuration(value);
    if (unit == "bytes")
        return exact ? number(value) + " B" : units::formatSize(value);
    if (unit == "requests" || unit == "rows")
        return exact ? number(value) : units::formatCount(value);
    if (unit == "requests/s")
        return (exact ? number(value) : units::formatCount(value)) + "/s";
    return number(value);
}

TickExpectations::TickExpectations(std::vector<ExpectConfig> expectations)
    : m_expectations(std::move(expectations))
    , m_worst(m_expectations.size())
    , m_pending(m_expectations.size(), 0)
{
    for (const ExpectConfig& expect : m_expectations)
        m_metric.push_back(tickMetricIndex(expect.metric));
}

void TickExpectations::addTick(const ClusterTick& tick)
{
    m_maxUtilizationSum += tick.maxUtilization;
    m_meanUtilizationSum += tick.meanUtilization;
    ++m_ticks;
    if (!m_windowOpen)
        m_windowStart = tick.time;
    m_windowOpen = !tick.latencySolved;
    for (size_t e = 0; e < m_expectations.size(); ++e) {
        const ExpectConfig& expect = m_expectations[e];
        if (m_metric[e] < 0)
            continue;
        const auto& [name, metric] = tickMetrics()[static_cast<size_t>(m_metric[e])];
        const double from = expect.from.value_or(-std::numeric_limits<double>::infinity());
        const double to = expect.to.value_or(std::numeric_limits<double>::infinity());
        bool inside = tick.time >= from && tick.time < to;
        double at = tick.time;
        if (windowMetric(name)) {
            // A cluster window's latency is known on its last tick only; it counts for every tick it holds.
            if (!tick.latencySolved) {
                m_pending[e] = m_pending[e] || inside;
                continue;
            }
            inside = inside || m_pending[e];
            m_pending[e] = 0;
            at = m_windowStart;
        }
        if (!inside)
            continue;
        const double value = metric(tick);
        Worst& worst = m_worst[e];
        if (isWorse(expect, value, worst.seen, worst.value)) // the first tick that showed it is kept
            worst = Worst { true, value, at };
    }
}

std::vector<ExpectationResult> TickExpectations::evaluate(const RunResult& run) const
{
    const double ticks = static_cast<double>(std::max<int64_t>(1, m_ticks));
    const TickMeans means { m_maxUtilizationSum / ticks, m_meanUtilizationSum / ticks };
    std::vector<ExpectationResult> results;
    for (size_t e = 0; e < m_expectations.size(); ++e) {
        const ExpectConfig& expect = m_expectations[e];
        ExpectationResult result;
        result.metric = expect.metric;
        result.bound = describeBound(expect, run.clock());
        result.line = expect.line;
        result.origin = expect.origin;
        if (m_metric[e] >= 0) {
            Worst worst = m_worst[e];
            // A cancelled run's last window was solved after its last tick, into the run's last window.
            if (m_pending[e] && !run.cluster.empty()) {
                const double value = tickMetrics()[static_cast<size_t>(m_metric[e])].second(run.cluster.back());
                if (isWorse(expect, value, worst.seen, worst.value))
                    worst = Worst { true, value, m_windowStart };
            }
            if (!worst.seen) {
                result.ok = false;
                result.value = std::nan("");
                result.bound += " (no tick inside the window)";
            } else {
                result.value = worst.value;
                result.at = worst.at;
                result.ok = holds(expect, worst.value);
            }
        } else if (auto value = runMetric(expect.metric, run, means)) {
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

std::vector<ExpectationResult> evaluateExpectations(const std::vector<ExpectConfig>& expectations, const RunResult& run)
{
    TickExpectations meter(expectations);
    for (const ClusterTick& tick : run.cluster)
        meter.addTick(tick);
    return meter.evaluate(run);
}

} // namespace shardsim
