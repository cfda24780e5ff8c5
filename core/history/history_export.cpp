#include "shardsim/history/history_export.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <iterator>

#include "shardsim/report/csv_output.h"

namespace shardsim {

namespace {

    // Scenario text and overrides come from users and may not be valid UTF-8; JSON output must not fail on it.
    std::string dumpJson(const nlohmann::ordered_json& json, int indent = -1)
    {
        return json.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    }

    // Buffers output and reports the first write failure (a full disk, a closed pipe) once.
    class Writer {
    public:
        explicit Writer(std::FILE* out)
            : m_out(out)
        {
        }
        std::string& buffer() { return m_buffer; }
        void flushIfFull()
        {
            if (m_buffer.size() >= 1 << 16)
                flush();
        }
        Result<bool> finish()
        {
            flush();
            if (std::fflush(m_out) != 0)
                m_failed = true;
            if (m_failed)
                return fail(fmt::format("cannot write the export: {}", std::strerror(errno)));
            return true;
        }

    private:
        void flush()
        {
            if (!m_failed && std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_out) != m_buffer.size())
                m_failed = true;
            m_buffer.clear();
        }
        std::FILE* m_out;
        std::string m_buffer;
        bool m_failed = false;
    };

    const std::string& nodeName(const RunDetails& run, int node)
    {
        static const std::string unknown;
        return node >= 0 && static_cast<size_t>(node) < run.nodes.size() ? run.nodes[static_cast<size_t>(node)].name
                                                                         : unknown;
    }

} // namespace

nlohmann::ordered_json runRecordJson(const RunRecord& record)
{
    return {
        { "id", record.id },
        { "started_at", record.startedAt },
        { "finished_at", record.finishedAt },
        { "scenario", record.scenario },
        { "scenario_file", record.scenarioFile },
        { "seed", record.seed },
        { "engine", record.engine },
        { "version", record.version },
        { "ticks", record.ticks },
        { "tick_seconds", record.tickSeconds },
        { "tick_stride", record.tickStride },
        { "nodes", record.nodes },
        { "requests", record.requests },
        { "cancelled", record.cancelled },
        { "expectations", record.expectations },
        { "expectations_failed", record.expectationsFailed },
        { "expectations_ok", record.expectationsHeld() },
        { "cluster_tick_stride", record.clusterTickStride },
        { "range_windows", record.rangeWindows ? nlohmann::ordered_json(*record.rangeWindows) : nullptr },
    };
}

nlohmann::ordered_json runDetailsJson(const RunDetails& details)
{
    nlohmann::ordered_json json = runRecordJson(details.record);
    json["overrides"] = details.overrides;
    auto& nodes = json["node_list"] = nlohmann::ordered_json::array();
    for (const StoredNode& node : details.nodes)
        nodes.push_back({ { "name", node.name }, { "region", node.region } });
    json["scenario_text"] = details.scenarioText;
    // Stored as text so any summary shape survives; shown parsed so tools need not parse twice.
    auto summary = nlohmann::ordered_json::parse(details.summaryJson, nullptr, false);
    json["summary"] = summary.is_discarded() ? nlohmann::ordered_json(details.summaryJson) : std::move(summary);
    // The heat map's shape, not its cells: enough to tell what a reopened run will show.
    if (details.heatmap) {
        const HeatMap& heatmap = *details.heatmap;
        json["heatmap"] = {
            { "table", heatmap.table },
            { "key_min", heatmap.keyMin },
            { "key_max", heatmap.keyMax },
            { "key_buckets", heatmap.keyBuckets },
            { "time_buckets", heatmap.timeBuckets },
            { "seconds_per_time_bucket", heatmap.secondsPerTimeBucket },
            { "shard_boundaries", heatmap.shardBoundaries },
        };
    } else {
        json["heatmap"] = nullptr;
    }
    return json;
}

Result<int64_t> writeNodeTicksCsv(const RunHistory& history, const RunDetails& run, std::FILE* out)
{
    Writer writer(out);
    // The columns of the run's nodes.csv, which holds the same windows.
    writer.buffer() = kNodesCsvHeader;
    const int64_t stride = std::max<int64_t>(1, run.record.tickStride);
    auto rows = history.visitNodeTicks(run.record.id, [&](const StoredNodeTick& row) {
        const int64_t ticks = std::clamp<int64_t>(run.record.ticks - row.tick, 1, stride);
        appendNodesCsvLine(writer.buffer(), row.tick, ticks, nodeName(run, row.node), row.values);
        writer.flushIfFull();
    });
    if (!rows)
        return fail(rows.error());
    if (auto written = writer.finish(); !written)
        return fail(written.error());
    return *rows;
}

Result<int64_t> writeRangesCsv(const RunDetails& run, std::FILE* out)
{
    if (!run.record.rangeWindows) {
        const auto summary = nlohmann::json::parse(run.summaryJson, nullptr, false);
        if (summary.is_object() && summary.contains("ranges"))
            return fail(fmt::format("run {} has no ranges.csv: it was recorded before the run history kept an "
                                    "auto-range run's windows (schema version 5); run its scenario again to get them "
                                    "('shardsim-cli history show {} --scenario' prints it)",
                run.record.id, run.record.id));
        return fail(fmt::format(
            "run {} has no ranges.csv: only a run of an auto-range rule (sharding.rule: auto-range:...) has ranges",
            run.record.id));
    }
    Writer writer(out);
    writer.buffer() = rangesCsvText(run.rangeWindows);
    if (auto written = writer.finish(); !written)
        return fail(written.error());
    return std::ssize(run.rangeWindows);
}

Result<int64_t> writeRunBundleJson(const RunHistory& history, const RunDetails& run, std::FILE* out)
{
    Writer writer(out);
    nlohmann::ordered_json details = runDetailsJson(run);
    // At most kHistoryMaxStoredClusterTicks rows, so built in memory unlike node_ticks.
    auto& cluster = details["cluster_ticks"] = nlohmann::ordered_json::object();
    cluster["columns"] = { "tick", "ticks", "time", "qps", "qps_min", "qps_max", "shed_qps", "max_utilization",
        "mean_utilization", "p50_latency_ms", "p99_latency_ms", "max_over_mean", "cv", "gini",
        "migration_bytes_per_second", "down_nodes", "served_qps", "queued", "p95_latency_ms", "p999_latency_ms" };
    auto& clusterRows = cluster["rows"] = nlohmann::ordered_json::array();
    for (const StoredClusterTick& row : run.cluster) {
        const ClusterTick& v = row.values;
        clusterRows.push_back({ row.tick, row.ticks, v.time, v.qps, row.qpsMin, row.qpsMax, v.shedQps, v.maxUtilization,
            v.meanUtilization, v.p50LatencyMs, v.p99LatencyMs, v.imbalance.maxOverMean, v.imbalance.cv,
            v.imbalance.gini, v.migrationBytesPerSecond, v.downNodes, v.servedQps, v.queued, v.p95LatencyMs,
            v.p999LatencyMs });
    }
    if (run.record.rangeWindows) {
        // Bounds as stored in full per window here; the file keeps them only when they change.
        auto& ranges = details["run_range_windows"] = nlohmann::ordered_json::object();
        ranges["columns"] = { "time_s", "seconds", "ranges", "splits", "merges", "moves", "bytes_moved",
            "busiest_range_rate", "node_ranges", "bounds", "leader_transfers" };
        auto& rangeRows = ranges["rows"] = nlohmann::ordered_json::array();
        for (const RangeWindowSummary& w : run.rangeWindows)
            rangeRows.push_back({ w.atS, w.seconds, w.ranges, w.splits, w.merges, w.moves, w.bytesMoved, w.busiestRate,
                w.nodeRanges, w.bounds, w.leaderTransfers });
    }
    std::string head = dumpJson(details);
    head.pop_back(); // the closing brace; node_ticks follows
    writer.buffer() = head;
    writer.buffer() += R"(,"node_ticks":{"columns":["tick","node","qps","utilization","mean_latency_ms",)"
                       R"("p99_latency_ms","shed_qps","rows","bytes","served_qps","queued","p50_latency_ms",)"
                       R"("p95_latency_ms","p999_latency_ms"],"rows":[)";
    bool first = true;
    auto rows = history.visitNodeTicks(run.record.id, [&](const StoredNodeTick& row) {
        const NodeTick& v = row.values;
        const nlohmann::ordered_json line
            = { row.tick, nodeName(run, row.node), v.qps, v.utilization, v.meanLatencyMs, v.p99LatencyMs, v.shedQps,
                  v.rows, v.bytes, v.servedQps, v.queued, v.p50LatencyMs, v.p95LatencyMs, v.p999LatencyMs };
        writer.buffer() += first ? "\n" : ",\n";
        writer.buffer() += dumpJson(line);
        first = false;
        writer.flushIfFull();
    });
    if (!rows)
        return fail(rows.error());
    writer.buffer() += "]}}\n";
    if (auto written = writer.finish(); !written)
        return fail(written.error());
    return *rows;
}

} // namespace shardsim
