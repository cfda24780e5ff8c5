#include "summary_table.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <numeric>

#include "shardsim/common/units.h"

namespace shardsim::cli {

namespace {

    using units::formatCount;
    using units::formatDuration;
    using units::formatSize;

    std::string percent(double fraction) { return fmt::format("{:.1f}%", 100 * fraction); }

    // Beyond this many nodes the table shows the busiest and the idlest and says how many it left out.
    constexpr size_t kMaxNodeRows = 24;

    void nodeRows(std::string& out, const RunResult& result)
    {
        out += fmt::format("{:<10} {:<8} {:>7} {:>10} {:>10} {:>9} {:>10}\n", "node", "region", "share", "peak qps",
            "peak util", "p99 ms", "storage");
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
            out += fmt::format("{:<10} {:<8} {:>7} {:>10} {:>10} {:>9.3g} {:>10}\n", node.name,
                node.region.empty() ? "-" : node.region, percent(node.share), formatCount(node.peakQps),
                percent(node.peakUtilization), node.p99LatencyMs, formatSize(node.bytes));
        }
    }

} // namespace

std::string formatSummaryTable(const RunResult& result)
{
    std::string out;
    out += fmt::format("{} — {} engine, {} ticks of {}, seed {}{}\n", result.scenario, engineModeName(result.engine),
        result.ticks, formatDuration(result.tickSeconds), result.seed, result.cancelled ? " (cancelled)" : "");
    out += fmt::format("requests   {} shard requests ({} shed) from {} client requests\n", formatCount(result.requests),
        formatCount(result.shedRequests), formatCount(result.clientRequests));
    out += fmt::format("peak       {}/s at {} (tick {})\n", formatCount(result.peak.qps),
        formatDuration(result.peak.time), result.peak.tick);
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
    }
    if (!result.migrations.empty()) {
        out += "\nmigrations\n";
        for (const MigrationSummary& migration : result.migrations)
            out += fmt::format("  at {:<8} {}: moved {} ({} of the rows, optimum {}) in {}{}\n",
                formatDuration(migration.atS), migration.event, formatSize(migration.movedBytes),
                percent(migration.movedFraction), percent(migration.optimumFraction), formatDuration(migration.durationS),
                migration.finished ? "" : " (not finished)");
    }
    if (result.availability.failedRequests > 0)
        out += fmt::format("\navailability  {} requests failed ({:.4g}%), {} of the users affected, {} with a shard "
                           "down\n",
            formatCount(result.availability.failedRequests), 100 * result.availability.failedFraction,
            percent(result.availability.affectedUsersFraction), formatDuration(result.availability.unavailableSeconds));

    if (!result.expectations.empty()) {
        out += "\nexpectations\n";
        for (const ExpectationResult& expectation : result.expectations) {
            std::string seen = std::isnan(expectation.value) ? "not measured" : fmt::format("saw {:.4g}", expectation.value);
            if (expectation.at)
                seen += " at " + formatDuration(*expectation.at);
            out += fmt::format("  {:<4}  {} {}  ({})\n", expectation.ok ? "ok" : "FAIL", expectation.metric,
                expectation.bound, seen);
        }
    }
    for (const std::string& warning : result.warnings)
        out += "\nnote: " + warning;
    if (!result.warnings.empty())
        out += '\n';
    return out;
}

} // namespace shardsim::cli
