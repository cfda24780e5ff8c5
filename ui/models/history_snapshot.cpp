#include "models/history_snapshot.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "shardsim/engine/engine_mode_names.h"
#include "shardsim/scenario/scenario_reader.h"
#include "workers/run_collector.h"

namespace shardsim::ui {

namespace {
    template <typename T> T value(const nlohmann::json& json, const char* key, T fallback)
    {
        const auto it = json.find(key);
        if (it == json.end() || it->is_null())
            return fallback;
        try {
            return it->get<T>();
        } catch (const nlohmann::json::exception&) {
            return fallback;
        }
    }

    Imbalance imbalanceOf(const nlohmann::json& json)
    {
        Imbalance imbalance;
        imbalance.maxOverMean = value(json, "max_over_mean", 1.0);
        imbalance.cv = value(json, "cv", 0.0);
        imbalance.gini = value(json, "gini", 0.0);
        return imbalance;
    }
}

RunResult resultFromSummaryJson(const std::string& summaryJson)
{
    RunResult result;
    const nlohmann::json json = nlohmann::json::parse(summaryJson, nullptr, false);
    if (!json.is_object())
        return result;
    result.scenario = value<std::string>(json, "scenario", {});
    result.seed = value<uint64_t>(json, "seed", 0);
    result.engine
        = kEngineModeNames.parse(value<std::string>(json, "engine", "expected")).value_or(EngineMode::Expected);
    result.ticks = value<int64_t>(json, "ticks", 0);
    result.tickSeconds = value(json, "tick_seconds", 1.0);
    result.requests = value(json, "requests", 0.0);
    result.servedRequests = value(json, "served_requests", 0.0);
    result.shedRequests = value(json, "shed_requests", 0.0);
    result.queuedRequests = value(json, "queued_requests", 0.0);
    result.failedRequests = value(json, "failed_requests", 0.0);
    result.cancelled = value(json, "cancelled", false);
    if (auto service = json.find("service"); service != json.end() && service->is_object()) {
        result.service.servers = value(*service, "servers", result.service.servers);
        result.service.serversGiven = value<std::string>(*service, "servers_from", {}) == "concurrency";
        result.service.serviceTimeS = value(*service, "service_time_ms", result.service.serviceTimeS * 1e3) / 1e3;
        result.service.queueTimeoutS = value(*service, "queue_timeout_s", result.service.queueTimeoutS);
    }
    if (auto latency = json.find("latency"); latency != json.end() && latency->is_object()) {
        result.latency.p50Ms = value(*latency, "p50_ms", 0.0);
        result.latency.p95Ms = value(*latency, "p95_ms", 0.0);
        result.latency.p99Ms = value(*latency, "p99_ms", 0.0);
        result.latency.p999Ms = value(*latency, "p999_ms", 0.0);
    }
    std::map<std::string, int> nodeIndex;
    if (auto nodes = json.find("nodes"); nodes != json.end() && nodes->is_array()) {
        for (const auto& node : *nodes) {
            NodeSummary summary;
            summary.name = value<std::string>(node, "name", {});
            summary.region = value<std::string>(node, "region", {});
            summary.database = value<std::string>(node, "database", {});
            summary.requests = value(node, "requests", 0.0);
            summary.share = value(node, "share", 0.0);
            summary.meanQps = value(node, "mean_qps", 0.0);
            summary.peakQps = value(node, "peak_qps", 0.0);
            summary.peakUtilization = value(node, "peak_utilization", 0.0);
            summary.p50LatencyMs = value(node, "p50_latency_ms", 0.0);
            summary.p95LatencyMs = value(node, "p95_latency_ms", 0.0);
            summary.p99LatencyMs = value(node, "p99_latency_ms", 0.0);
            summary.p999LatencyMs = value(node, "p999_latency_ms", 0.0);
            summary.servedRequests = value(node, "served_requests", 0.0);
            summary.shedRequests = value(node, "shed_requests", 0.0);
            summary.queuedRequests = value(node, "queued_requests", 0.0);
            summary.rows = value(node, "rows", 0.0);
            summary.bytes = value(node, "bytes", 0.0);
            nodeIndex[summary.name] = static_cast<int>(result.nodes.size());
            result.nodes.push_back(std::move(summary));
        }
    }
    if (auto shards = json.find("shards"); shards != json.end() && shards->is_array()) {
        for (const auto& shard : *shards) {
            ShardSummary summary;
            summary.name = value<std::string>(shard, "name", {});
            const auto node = nodeIndex.find(value<std::string>(shard, "node", {}));
            summary.node = node == nodeIndex.end() ? -1 : node->second;
            summary.requests = value(shard, "requests", 0.0);
            summary.share = value(shard, "share", 0.0);
            summary.rows = value(shard, "rows", 0.0);
            result.shards.push_back(std::move(summary));
        }
    }
    if (auto tables = json.find("tables"); tables != json.end() && tables->is_array()) {
        for (const auto& table : *tables) {
            TableSummary summary;
            summary.name = value<std::string>(table, "name", {});
            summary.rows = value(table, "rows", 0.0);
            summary.physicalTables = value(table, "physical_tables", 0);
            summary.maxRowsPerTable = value(table, "max_rows_per_table", 0.0);
            summary.largest = value<std::string>(table, "largest", {});
            summary.overLimit = value(table, "over_limit", 0);
            summary.rowSize = value(table, "row_size", 0.0);
            summary.rowsPerPage = value(table, "rows_per_page", 0.0);
            result.tables.push_back(std::move(summary));
        }
    }
    if (auto operations = json.find("operations"); operations != json.end() && operations->is_array())
        for (const auto& op : *operations)
            result.operations.push_back(OperationSummary {
                value<std::string>(op, "op", {}), value(op, "requests", 0.0), value(op, "share", 0.0) });
    if (auto imbalance = json.find("imbalance"); imbalance != json.end() && imbalance->is_object())
        result.imbalance = imbalanceOf(*imbalance);
    if (auto peak = json.find("peak"); peak != json.end() && peak->is_object()) {
        result.peak.tick = value<int64_t>(*peak, "tick", 0);
        result.peak.time = value(*peak, "time", 0.0);
        result.peak.qps = value(*peak, "qps", 0.0);
    }
    if (auto expectations = json.find("expectations"); expectations != json.end() && expectations->is_array()) {
        for (const auto& entry : *expectations) {
            ExpectationResult e;
            e.metric = value<std::string>(entry, "metric", {});
            e.bound = value<std::string>(entry, "bound", {});
            e.ok = value(entry, "ok", false);
            e.value = value(entry, "value", 0.0);
            if (entry.contains("at"))
                e.at = value(entry, "at", 0.0);
            e.line = value(entry, "line", 0);
            result.expectations.push_back(std::move(e));
        }
    }
    if (auto warnings = json.find("warnings"); warnings != json.end() && warnings->is_array())
        for (const auto& warning : *warnings)
            if (warning.is_string())
                result.warnings.push_back(warning.get<std::string>());
    return result;
}

namespace {
    // The run's node windows (windowLayout), which the live run showed and the history stores as node rows; each
    // holds whole stored cluster windows. A run stored by an earlier build may have node rows that do not: its windows
    // are its rows rounded up to whole cluster windows. Without a stored cluster series, the node rows.
    int64_t windowTicksOf(const RunRecord& record)
    {
        const int64_t rows = std::max<int64_t>(1, record.tickStride);
        if (record.clusterTickStride <= 0)
            return rows;
        const int64_t stride = record.clusterTickStride;
        return stride * ((rows + stride - 1) / stride);
    }

    std::vector<std::shared_ptr<TickWindow>> emptyWindows(const RunSnapshot& snapshot, size_t nodes)
    {
        std::vector<std::shared_ptr<TickWindow>> windows;
        const int64_t width = snapshot.windowTicks;
        for (int64_t first = 0; first < snapshot.ticksDone; first += width) {
            auto window = std::make_shared<TickWindow>();
            window->firstTick = first;
            window->ticks = std::min(width, snapshot.ticksDone - first);
            window->time = static_cast<double>(first) * snapshot.tickSeconds;
            window->maxOverMean = 0;
            window->resizeNodes(nodes);
            windows.push_back(std::move(window));
        }
        return windows;
    }

    // Runs stored before served, queued and the other percentiles were kept read them back as NaN: what was not
    // shed was served, nothing is known to be queued, and the unknown percentiles show as 0.
    double known(double x, double otherwise) { return std::isnan(x) ? otherwise : x; }

    NodeTick withServiceDefaults(NodeTick v)
    {
        v.servedQps = known(v.servedQps, v.qps - v.shedQps);
        v.queued = known(v.queued, 0);
        v.p50LatencyMs = known(v.p50LatencyMs, 0);
        v.p95LatencyMs = known(v.p95LatencyMs, 0);
        v.p999LatencyMs = known(v.p999LatencyMs, 0);
        return v;
    }

    StoredClusterTick withServiceDefaults(StoredClusterTick point)
    {
        ClusterTick& v = point.values;
        v.servedQps = known(v.servedQps, v.qps - v.shedQps);
        v.queued = known(v.queued, 0);
        v.p95LatencyMs = known(v.p95LatencyMs, 0);
        v.p999LatencyMs = known(v.p999LatencyMs, 0);
        return point;
    }

    // A stored node row is one of the run's node windows, merged as the live run merged it, and is taken as it is.
    // Rows of a run stored by an earlier build can be narrower than its windows (`rowsIn` counts them per window):
    // a window then takes the mean of its rows' rates, the worst latency and the latest storage.
    void addNodeRow(std::vector<std::shared_ptr<TickWindow>>& windows, std::vector<int>& rowsIn, int64_t windowTicks,
        const StoredNodeTick& row)
    {
        if (windows.empty() || row.node < 0 || static_cast<size_t>(row.node) >= windows.front()->qps.size())
            return;
        const auto i = static_cast<size_t>(row.node);
        const auto w = static_cast<size_t>(
            std::clamp<int64_t>(row.tick / windowTicks, 0, static_cast<int64_t>(windows.size()) - 1));
        if (row.node == 0)
            ++rowsIn[w]; // rows come in tick, then node order
        const auto rows = static_cast<float>(std::max(1, rowsIn[w]));
        TickWindow& window = *windows[w];
        const NodeTick v = withServiceDefaults(row.values);
        const auto mean = [rows](std::vector<float>& values, size_t n, double x) {
            values[n] += (static_cast<float>(x) - values[n]) / rows;
        };
        const auto worst = [](std::vector<float>& values, size_t n, double x) {
            values[n] = std::max(values[n], static_cast<float>(x));
        };
        mean(window.qps, i, v.qps);
        mean(window.servedQps, i, v.servedQps);
        mean(window.shedQps, i, v.shedQps);
        mean(window.queued, i, v.queued);
        mean(window.utilization, i, v.utilization);
        worst(window.p50LatencyMs, i, v.p50LatencyMs);
        worst(window.p95LatencyMs, i, v.p95LatencyMs);
        worst(window.p99LatencyMs, i, v.p99LatencyMs);
        worst(window.p999LatencyMs, i, v.p999LatencyMs);
        window.rows[i] = static_cast<float>(v.rows);
        window.bytes[i] = static_cast<float>(v.bytes);
    }

    // The cluster numbers of each window: the stored cluster windows it holds, merged as the live run merged ticks.
    void fillClusterFromSeries(std::vector<std::shared_ptr<TickWindow>>& windows, int64_t windowTicks,
        const std::vector<StoredClusterTick>& series)
    {
        std::vector<ClusterWindowMerger> merges(windows.size());
        for (const StoredClusterTick& point : series) {
            const int64_t w = point.tick / windowTicks;
            if (w >= 0 && w < static_cast<int64_t>(windows.size()))
                merges[static_cast<size_t>(w)].add(withServiceDefaults(point));
        }
        for (size_t w = 0; w < windows.size(); ++w)
            if (!merges[w].empty())
                RunCollector::setCluster(*windows[w], merges[w].window());
    }

    // Runs stored before the cluster series was kept: the cluster numbers are rebuilt from the node rows, so qps
    // sums the nodes' window peaks and shed requests are unknown.
    void fillClusterFromNodes(std::vector<std::shared_ptr<TickWindow>>& windows)
    {
        for (const auto& window : windows) {
            double sum = 0;
            double busiest = 0;
            for (size_t i = 0; i < window->qps.size(); ++i) {
                sum += window->qps[i];
                busiest = std::max<double>(busiest, window->qps[i]);
                window->maxUtilization = std::max<double>(window->maxUtilization, window->utilization[i]);
                window->clusterP99LatencyMs = std::max<double>(window->clusterP99LatencyMs, window->p99LatencyMs[i]);
            }
            window->clusterQps = sum;
            window->clusterQpsMin = sum;
            window->clusterQpsMax = sum;
            const double nodes = static_cast<double>(std::max<size_t>(1, window->qps.size()));
            window->maxOverMean = sum > 0 ? busiest / (sum / nodes) : 1.0;
        }
    }
}

Result<ReopenedRun> reopenRun(const RunHistory& history, int64_t runId, const ChartRequest& charts, uint64_t generation)
{
    auto details = history.get(runId);
    if (!details)
        return fail(details.error());
    if (!details->has_value())
        return fail("there is no run " + std::to_string(runId) + " in the history any more");
    const RunDetails& run = **details;

    auto snapshot = std::make_shared<RunSnapshot>();
    snapshot->generation = generation;
    snapshot->phase = run.record.cancelled ? RunPhase::Cancelled : RunPhase::Finished;
    snapshot->scenario = run.record.scenario;
    snapshot->tickSeconds = run.record.tickSeconds > 0 ? run.record.tickSeconds : 1.0;
    snapshot->ticksDone = run.record.ticks;
    snapshot->historyRunId = run.record.id;
    for (const StoredNode& node : run.nodes)
        snapshot->nodes.push_back(NodeInfo { node.name, node.region });
    // With its overrides, as it ran: they may change the node's capacity or the run's length. Relative files (a
    // trace, a directory table) resolve beside the scenario file, where they were when it ran.
    const ScenarioLoad load = loadScenarioText(run.scenarioText, run.record.scenarioFile,
        std::filesystem::path(run.record.scenarioFile).parent_path().string(), ScenarioReadOptions { run.overrides });
    snapshot->nodeMaxQps = load.ok() ? load.config->cluster.node.maxQps : 0.0;
    snapshot->tickCount = run.record.ticks; // a cancelled run's time axis ends where it stopped
    snapshot->windowTicks = windowTicksOf(run.record);

    std::vector<std::shared_ptr<TickWindow>> windows = emptyWindows(*snapshot, run.nodes.size());
    std::vector<int> rowsIn(windows.size(), 0);
    auto visited = history.visitNodeTicks(
        runId, [&](const StoredNodeTick& row) { addNodeRow(windows, rowsIn, snapshot->windowTicks, row); });
    if (!visited)
        return fail(visited.error());
    if (run.cluster.empty())
        fillClusterFromNodes(windows);
    else
        fillClusterFromSeries(windows, snapshot->windowTicks, run.cluster);
    snapshot->windows.assign(windows.begin(), windows.end());

    auto result = std::make_shared<RunResult>(resultFromSummaryJson(run.summaryJson));
    if (run.heatmap)
        result->heatmap = *run.heatmap;
    // The stored windows are the run's own cluster windows.
    result->clusterWindowTicks = std::max<int64_t>(1, run.record.clusterTickStride);
    result->cluster.reserve(run.cluster.size());
    for (const StoredClusterTick& point : run.cluster)
        result->cluster.push_back(withServiceDefaults(point).values);
    snapshot->result = result;
    snapshot->charts = std::make_shared<const ChartData>(buildCharts(*snapshot, charts));
    snapshot->heatmapNotStored = run.record.clusterTickStride == 0;
    if (snapshot->heatmapNotStored)
        snapshot->error = QStringLiteral("Reopened from the run history: this run was stored by an older shardsim, "
                                         "which kept neither its heat map nor its cluster series.");

    ReopenedRun reopened;
    reopened.snapshot = std::move(snapshot);
    reopened.scenarioText = QString::fromStdString(run.scenarioText);
    reopened.displayName
        = QStringLiteral("run %1: %2").arg(run.record.id).arg(QString::fromStdString(run.record.scenario));
    return reopened;
}

} // namespace shardsim::ui
