#include "models/history_snapshot.h"

#include <nlohmann/json.hpp>

#include "shardsim/scenario/scenario_reader.h"

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
    const std::string engine = value<std::string>(json, "engine", "expected");
    result.engine = engine == "sampled" ? EngineMode::Sampled : EngineMode::Expected;
    result.ticks = value<int64_t>(json, "ticks", 0);
    result.tickSeconds = value(json, "tick_seconds", 1.0);
    result.requests = value(json, "requests", 0.0);
    result.shedRequests = value(json, "shed_requests", 0.0);
    result.cancelled = value(json, "cancelled", false);
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
            summary.p99LatencyMs = value(node, "p99_latency_ms", 0.0);
            summary.shedRequests = value(node, "shed_requests", 0.0);
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
    snapshot->tickCount = run.record.ticks;
    snapshot->ticksDone = run.record.ticks;
    snapshot->windowTicks = std::max<int64_t>(1, run.record.tickStride);
    snapshot->historyRunId = run.record.id;
    for (const StoredNode& node : run.nodes)
        snapshot->nodes.push_back(NodeInfo { node.name, node.region });
    const ScenarioLoad load = loadScenarioText(run.scenarioText, run.record.scenarioFile, {});
    snapshot->nodeMaxQps = load.ok() ? load.config->cluster.node.maxQps : 0.0;

    // Stored rows come in tick, then node order: one TickWindow per stored tick window.
    const size_t nodes = run.nodes.size();
    std::shared_ptr<TickWindow> window;
    auto close = [&] {
        if (!window)
            return;
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
        window->maxOverMean = sum > 0 ? busiest / (sum / static_cast<double>(std::max<size_t>(1, nodes))) : 1.0;
        snapshot->windows.push_back(std::move(window));
    };
    auto visited = history.visitNodeTicks(runId, [&](const StoredNodeTick& row) {
        if (!window || window->firstTick != row.tick) {
            close();
            window = std::make_shared<TickWindow>();
            window->firstTick = row.tick;
            window->ticks = snapshot->windowTicks;
            window->time = static_cast<double>(row.tick) * snapshot->tickSeconds;
            for (auto* values : { &window->qps, &window->peakQps, &window->utilization, &window->p99LatencyMs,
                     &window->rows, &window->bytes })
                values->assign(nodes, 0.0f);
        }
        if (row.node < 0 || static_cast<size_t>(row.node) >= nodes)
            return;
        const auto i = static_cast<size_t>(row.node);
        window->qps[i] = static_cast<float>(row.values.qps);
        window->peakQps[i] = static_cast<float>(row.values.qps);
        window->utilization[i] = static_cast<float>(row.values.utilization);
        window->p99LatencyMs[i] = static_cast<float>(row.values.p99LatencyMs);
        window->rows[i] = static_cast<float>(row.values.rows);
        window->bytes[i] = static_cast<float>(row.values.bytes);
    });
    if (!visited)
        return fail(visited.error());
    close();

    auto result = std::make_shared<RunResult>(resultFromSummaryJson(run.summaryJson));
    snapshot->result = result;
    snapshot->charts = std::make_shared<const ChartData>(buildCharts(*snapshot, charts));
    snapshot->error = QStringLiteral("Reopened from the run history: the heat map is not stored with a run.");

    ReopenedRun reopened;
    reopened.snapshot = std::move(snapshot);
    reopened.scenarioText = QString::fromStdString(run.scenarioText);
    reopened.displayName
        = QStringLiteral("run %1: %2").arg(run.record.id).arg(QString::fromStdString(run.record.scenario));
    return reopened;
}

} // namespace shardsim::ui
