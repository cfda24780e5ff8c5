#include "summary_table.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <numeric>

#include "shardsim/common/units.h"
#include "shardsim/report/expectations.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/scenario/metric_names.h"

namespace shardsim::cli {

namespace {

    using units::formatCount;
    using units::formatDuration;
    using units::formatSize;

    std::string percent(double fraction) { return fmt::format("{:.1f}%", 100 * fraction); }

    // Whole currency units with thousands separators, as a bill reads: 10,800.
    std::string formatMoney(double amount)
    {
        std::string digits = fmt::format("{:.0f}", amount);
        for (int i = static_cast<int>(digits.size()) - 3; i > (digits[0] == '-' ? 1 : 0); i -= 3)
            digits.insert(static_cast<size_t>(i), ",");
        return digits;
    }

    // Three significant digits below 100 ms, whole milliseconds above: never an exponent, even for an overload's 1000s.
    std::string milliseconds(double ms) { return ms >= 100 ? fmt::format("{:.0f}", ms) : fmt::format("{:.3g}", ms); }

    // Above 100% a node was offered more than it can serve: the excess queued or was shed, so it is marked as offered
    // (the others get a space, so the percentages stay aligned).
    std::string offeredLoad(double fraction) { return percent(fraction) + (fraction > 1 ? "*" : " "); }

    // Beyond this many nodes the table shows the busiest and the idlest and says how many it left out.
    constexpr size_t kMaxNodeRows = 24;

    void nodeRows(std::string& out, const RunResult& result)
    {
        out += fmt::format("{:<10} {:<8} {:>6} {:>9} {:>10} {:>8} {:>8} {:>8} {:>9} {:>10}\n", "node", "region",
            "share", "peak qps", "peak load", "served", "shed", "p99 ms", "p99.9 ms", "storage");
        std::vector<size_t> order(result.nodes.size());
        std::iota(order.begin(), order.end(), 0);
        if (order.size() > kMaxNodeRows) {
            std::stable_sort(order.begin(), order.end(),
                [&](size_t a, size_t b) { return result.nodes[a].requests > result.nodes[b].requests; });
            order.erase(order.begin() + kMaxNodeRows / 2, order.end() - kMaxNodeRows / 2);
        }
        for (size_t i = 0; i < order.size(); ++i) {
            if (result.nodes.size() > kMaxNodeRows && i == kMaxNodeRows / 2)
                out += fmt::format("  ... {} nodes between the busiest and the idlest\n",
                    result.nodes.size() - kMaxNodeRows);
            const NodeSummary& node = result.nodes[order[i]];
            out += fmt::format("{:<10} {:<8} {:>6} {:>9} {:>10} {:>8} {:>8} {:>8} {:>9} {:>10}\n", node.name,
                node.region.empty() ? "-" : node.region, percent(node.share), formatCount(node.peakQps),
                offeredLoad(node.peakUtilization), formatCount(node.servedRequests), formatCount(node.shedRequests),
                milliseconds(node.p99LatencyMs), milliseconds(node.p999LatencyMs), formatSize(node.bytes));
        }
        const bool overloaded = std::any_of(
            result.nodes.begin(), result.nodes.end(), [](const NodeSummary& node) { return node.peakUtilization > 1; });
        if (overloaded)
            out += "* offered load: more than the node serves (offered qps / max_qps); the excess queued or was shed\n";
    }

    // Offered, served, shed and queued requests, the served requests' latency and how a node serves them.
    void serviceLines(std::string& out, const RunResult& result)
    {
        out += fmt::format("load       {} offered to the nodes: {} served, {} shed",
            formatCount(offeredRequests(result)), formatCount(result.servedRequests), formatCount(result.shedRequests));
        if (result.queuedRequests > 0)
            out += fmt::format(", {} still queued at the end", formatCount(result.queuedRequests));
        const LatencySummary& latency = result.latency;
        out += fmt::format("\nlatency    p50 {} ms, p95 {} ms, p99 {} ms, p99.9 {} ms (served requests, whole run)\n",
            milliseconds(latency.p50Ms), milliseconds(latency.p95Ms), milliseconds(latency.p99Ms),
            milliseconds(latency.p999Ms));
        const ServiceModel& service = result.service;
        out += fmt::format("service    c = {} ({}) per node, service time {}, queue_timeout {}\n",
            formatCount(service.servers),
            service.serversGiven ? "concurrency" : "max_qps × base_latency", formatDuration(service.serviceTimeS),
            formatDuration(service.queueTimeoutS));
        const ClusterCost& cost = result.cost;
        if (cost.monthlyAtStart > 0 || cost.monthlyAtEnd > 0) {
            out += fmt::format("cost       {} per month for {} nodes", formatMoney(cost.monthlyAtStart), cost.nodesAtStart);
            if (cost.nodesAtEnd != cost.nodesAtStart)
                out += fmt::format(", {} for the {} after the events", formatMoney(cost.monthlyAtEnd), cost.nodesAtEnd);
            out += " (nodes x cluster.node.cost_per_month)\n";
        }
    }

} // namespace

std::string formatSummaryTable(const RunResult& result)
{
    const RunClock clock = result.clock(); // moments on the scenario's clock; durations stay durations
    std::string out;
    out += fmt::format("{} — {} engine, {} ticks of {}, seed {}{}\n", result.scenario, engineModeName(result.engine),
        result.ticks, formatDuration(result.tickSeconds), result.seed, result.cancelled ? " (cancelled)" : "");
    if (clock.onClock())
        out += fmt::format(
            "clock      {} to {}\n", clock.format(0), clock.format(double(result.ticks) * result.tickSeconds));
    out += fmt::format("requests   {} shard requests from {} client requests\n", formatCount(result.requests),
        formatCount(result.clientRequests));
    serviceLines(out, result);
    out += fmt::format("peak       {}/s at {} (tick {})\n", formatCount(result.peak.qps),
        clock.format(result.peak.time), result.peak.tick);
    out += fmt::format("imbalance  max/mean {:.3f}, CV {:.3f}, Gini {:.3f}\n\n", result.imbalance.maxOverMean,
        result.imbalance.cv, result.imbalance.gini);
    nodeRows(out, result);

    std::vector<const ShardSummary*> hottest;
    for (const ShardSummary& shard : result.shards)
        hottest.push_back(&shard);
    std::stable_sort(hottest.begin(), hottest.end(),
        [](const ShardSummary* a, const ShardSummary* b) { return a->requests > b->requests; });
    hottest.resize(std::min<size_t>(hottest.size(), 5));
    out += "\nhottest shards";
    for (const ShardSummary* shard : hottest)
        out += fmt::format("  {} {}", shard->name, percent(shard->share));
    out += '\n';

    if (!result.queries.empty()) {
        out += fmt::format("\n{:<16} {:>10} {:>8} {:>8} {:>12} {:>8} {:>8}\n", "operation", "calls", "fan-out",
            "max", "rows/call", "lookups", "cross");
        for (const QuerySummary& query : result.queries)
            out += fmt::format("{:<16} {:>10} {:>8.3f} {:>8} {:>12.4g} {:>8.3f} {:>8}\n", query.op,
                formatCount(query.calls), query.meanFanout, query.maxFanout, query.rowsReadPerCall,
                query.extraLookupsPerCall, percent(query.crossShardFraction));
        for (const QuerySummary& query : result.queries) {
            if (!query.keys.empty())
                out += fmt::format("{:<16} keys drawn by {}, not workload.keys\n", query.op, query.keys);
        }
    }
    if (!result.migrations.empty()) {
        out += "\nmigrations\n";
        for (const MigrationSummary& migration : result.migrations)
            // A re-replication rebuilds lost copies: no layout could move less, so it has no optimum to compare with.
            out += fmt::format("  at {:<8} {}: moved {} ({} of the rows{}) in {}{}\n", clock.format(migration.atS),
                migration.event, formatSize(migration.movedBytes), percent(migration.movedFraction),
                migration.kind == "re-replication" ? "" : ", optimum " + percent(migration.optimumFraction),
                formatDuration(migration.durationS), migration.finished ? "" : " (not finished)");
    }
    if (result.availability.failedRequests > 0)
        out += fmt::format("\navailability  {} requests failed ({:.4g}%), {} of the users affected, {} with a shard "
                           "down\n",
            formatCount(result.availability.failedRequests), 100 * result.availability.failedFraction,
            percent(result.availability.affectedUsersFraction), formatDuration(result.availability.unavailableSeconds));

    if (!result.expectations.empty()) {
        out += "\nexpectations\n";
        for (const ExpectationResult& expectation : result.expectations) {
            std::string seen = std::isnan(expectation.value)
                ? "not measured"
                : "saw " + formatMetricValue(expectation.metric, expectation.value);
            if (expectation.at)
                seen += " at " + clock.format(*expectation.at);
            out += fmt::format("  {:<4}  {} {}  ({})\n", expectation.ok ? "ok" : "FAIL", expectation.metric,
                expectation.bound, seen);
            if (const std::string_view current = replacementOfMetric(expectation.metric); !current.empty())
                out += fmt::format("        '{}' is deprecated: write '{}' (summary.json's failed_requests is a "
                                   "count)\n",
                    expectation.metric, current);
        }
    }
    for (const std::string& warning : result.warnings)
        out += "\nnote: " + warning;
    if (!result.warnings.empty())
        out += '\n';
    return out;
}

} // namespace shardsim::cli
