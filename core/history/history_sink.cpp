#include "shardsim/history/history_sink.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "history/range_windows.h"
#include "history/sqlite_handle.h"
#include "history/value_blob.h"
#include "shardsim/engine/engine_mode_names.h"
#include "shardsim/report/non_finite.h"

namespace shardsim {

namespace {

    std::string utcNow()
    {
        const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
        return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(now));
    }

    // A node window's columns, in the order stageWindow binds them.
    constexpr std::string_view kNodeTickColumns = "tick, node, qps, utilization, mean_latency_ms, p99_latency_ms, "
                                                  "shed_qps, rows, bytes, served_qps, queued, p50_latency_ms, "
                                                  "p95_latency_ms, p999_latency_ms";

    constexpr std::string_view kCreateStaging = R"sql(
CREATE TEMP TABLE IF NOT EXISTS staged_node_ticks (
    tick INTEGER NOT NULL,
    node INTEGER NOT NULL,
    qps REAL,
    utilization REAL,
    mean_latency_ms REAL,
    p99_latency_ms REAL,
    shed_qps REAL,
    rows REAL,
    bytes REAL,
    served_qps REAL,
    queued REAL,
    p50_latency_ms REAL,
    p95_latency_ms REAL,
    p999_latency_ms REAL
);
DELETE FROM temp.staged_node_ticks;
)sql";

    // A write transaction that rolls back unless committed, so every early return leaves the file as it was.
    class WriteTransaction {
    public:
        explicit WriteTransaction(sqlite3* db)
            : m_db(db)
        {
        }
        ~WriteTransaction()
        {
            if (m_open)
                sqlite::exec(m_db, "ROLLBACK");
        }
        WriteTransaction(const WriteTransaction&) = delete;
        WriteTransaction& operator=(const WriteTransaction&) = delete;

        Result<bool> begin(std::string_view sql)
        {
            auto begun = sqlite::exec(m_db, sql);
            m_open = begun.ok();
            return begun;
        }
        Result<bool> commit()
        {
            auto committed = sqlite::exec(m_db, "COMMIT");
            m_open = !committed.ok();
            return committed;
        }

    private:
        sqlite3* m_db;
        bool m_open = false;
    };

    Result<bool> insertClusterTicks(sqlite3* db, int64_t id, const std::vector<StoredClusterTick>& cluster)
    {
        auto insert = sqlite::Statement::prepare(db,
            "INSERT INTO cluster_ticks (run_id, tick, ticks, time, qps, qps_min, qps_max, shed_qps, max_utilization, "
            "mean_utilization, p50_latency_ms, p99_latency_ms, max_over_mean, cv, gini, migration_bytes_per_second, "
            "down_nodes, served_qps, queued, p95_latency_ms, p999_latency_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!insert)
            return fail(insert.error());
        for (const StoredClusterTick& row : cluster) {
            const ClusterTick& v = row.values;
            insert->bind(1, id);
            insert->bind(2, row.tick);
            insert->bind(3, row.ticks);
            insert->bind(4, v.time);
            insert->bind(5, v.qps);
            insert->bind(6, row.qpsMin);
            insert->bind(7, row.qpsMax);
            insert->bind(8, v.shedQps);
            insert->bind(9, v.maxUtilization);
            insert->bind(10, v.meanUtilization);
            insert->bind(11, v.p50LatencyMs);
            insert->bind(12, v.p99LatencyMs);
            insert->bind(13, v.imbalance.maxOverMean);
            insert->bind(14, v.imbalance.cv);
            insert->bind(15, v.imbalance.gini);
            insert->bind(16, v.migrationBytesPerSecond);
            insert->bind(17, static_cast<int64_t>(v.downNodes));
            insert->bind(18, v.servedQps);
            insert->bind(19, v.queued);
            insert->bind(20, v.p95LatencyMs);
            insert->bind(21, v.p999LatencyMs);
            if (auto inserted = insert->run(); !inserted)
                return inserted;
        }
        return true;
    }

    // A run with no heat map (every table broadcast, or no tick ran) stores none.
    Result<bool> insertHeatMap(sqlite3* db, int64_t id, const HeatMap& heatmap)
    {
        const auto cells = static_cast<size_t>(std::max(0, heatmap.keyBuckets))
            * static_cast<size_t>(std::max(0, heatmap.timeBuckets));
        if (cells == 0 || heatmap.rate.size() != cells)
            return true;
        auto insert = sqlite::Statement::prepare(db,
            "INSERT INTO run_heatmaps (run_id, key_table, key_min, key_max, key_buckets, time_buckets, "
            "seconds_per_time_bucket, rate, shard_boundaries) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!insert)
            return fail(insert.error());
        insert->bind(1, id);
        insert->bind(2, heatmap.table);
        insert->bind(3, heatmap.keyMin);
        insert->bind(4, heatmap.keyMax);
        insert->bind(5, static_cast<int64_t>(heatmap.keyBuckets));
        insert->bind(6, static_cast<int64_t>(heatmap.timeBuckets));
        insert->bind(7, heatmap.secondsPerTimeBucket);
        insert->bindBlob(8, float64Blob(heatmap.rate)); // exact, so a reopened heat map is the live one
        insert->bindBlob(9, float64Blob(heatmap.shardBoundaries));
        return insert->run();
    }

} // namespace

int64_t historyTickStride(int64_t ticks, int64_t nodes) { return windowLayout(ticks, nodes).nodeTicks; }

int64_t historyClusterTickStride(int64_t ticks) { return windowLayout(ticks, 1).clusterTicks; }

struct HistorySink::Staging {
    sqlite::Statement insert;
    std::vector<StoredNode> nodes;
    std::string startedAt;
    int64_t stride = 1;
    int64_t window = -1; // index of the window being merged; -1 before the first tick
    NodeWindowMerger merged;
    std::vector<NodeTick> values; // reused: the merged window, one per node
    // At most kMaxClusterWindows windows, so they are kept in memory rather than staged.
    int64_t clusterStride = 1;
    int64_t clusterWindow = -1; // index of the cluster window being merged; -1 before the first tick
    ClusterWindowMerger openCluster;
    std::vector<StoredClusterTick> cluster;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

HistorySink::HistorySink(RunHistory& history, const ScenarioConfig& scenario, Summariser summarise)
    : m_history(history)
    , m_scenarioText(scenario.sourceText)
    , m_scenarioFile(scenario.sourceFile)
    , m_overrides(scenario.overrides)
    , m_nodeMaxQps(scenario.cluster.node.maxQps)
    , m_summarise(std::move(summarise))
{
}

HistorySink::~HistorySink()
{
    if (m_staging && m_history.m_db) {
        m_staging.reset(); // finalises the statement first
        sqlite::exec(m_history.m_db.get(), "DELETE FROM temp.staged_node_ticks");
    }
}

void HistorySink::setError(const std::string& message)
{
    if (m_error.empty())
        m_error = fmt::format("run history {}: the run was not recorded: {}", m_history.path().string(), message);
    m_staging.reset();
}

void HistorySink::onStart(const RunStart& start)
{
    m_staging.reset();
    m_runId.reset();
    m_error.clear();
    sqlite3* db = m_history.m_db.get();
    // Staging touches only the connection's temp database, so it takes no lock on the history file.
    if (auto created = sqlite::exec(db, kCreateStaging); !created)
        return setError(created.error());
    auto insert = sqlite::Statement::prepare(db,
        fmt::format("INSERT INTO temp.staged_node_ticks ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            kNodeTickColumns));
    if (!insert)
        return setError(insert.error());

    m_staging = std::make_unique<Staging>(Staging { std::move(*insert), {}, utcNow(), 1, -1, {}, {}, 1, -1, {}, {} });
    for (const NodeSummary& node : start.nodes)
        m_staging->nodes.push_back(StoredNode { node.name, node.region });
    const WindowLayout layout = windowLayout(start.ticks, static_cast<int64_t>(start.nodes.size()));
    m_staging->stride = layout.nodeTicks;
    m_staging->clusterStride = layout.clusterTicks;
    m_staging->cluster.reserve(static_cast<size_t>(
        std::min(kMaxClusterWindows, (start.ticks + layout.clusterTicks - 1) / layout.clusterTicks)));
}

void HistorySink::stageClusterTick(int64_t tick, const ClusterTick& cluster)
{
    Staging& staging = *m_staging;
    const int64_t window = tick / staging.clusterStride;
    if (window < staging.clusterWindow)
        return;
    if (window != staging.clusterWindow) {
        if (staging.clusterWindow >= 0)
            staging.cluster.push_back(staging.openCluster.window());
        staging.clusterWindow = window;
        staging.openCluster.clear();
    }
    staging.openCluster.add(tick, cluster);
}

void HistorySink::onTick(int64_t tick, const ClusterTick& cluster, std::span<const NodeTick> nodes)
{
    if (!m_staging)
        return;
    Staging& staging = *m_staging;
    if (nodes.size() != staging.nodes.size())
        return setError(
            fmt::format("tick {} has {} nodes, the run started with {}", tick, nodes.size(), staging.nodes.size()));
    stageClusterTick(tick, cluster);
    const int64_t window = tick / staging.stride;
    if (window < staging.window)
        return; // sinks see ticks in order; an earlier one would duplicate a stored row
    if (window != staging.window) {
        if (staging.window >= 0)
            stageWindow();
        if (!m_staging)
            return;
        staging.window = window;
        staging.merged.clear();
    }
    staging.merged.add(nodes);
}

void HistorySink::stageWindow()
{
    Staging& staging = *m_staging;
    sqlite3* db = m_history.m_db.get();
    // One transaction per window: autocommit would pay a temp-journal commit per row.
    WriteTransaction transaction(db);
    if (auto begun = transaction.begin("BEGIN"); !begun)
        return setError(begun.error());
    staging.merged.window(staging.values);
    for (size_t n = 0; n < staging.values.size(); ++n) {
        const NodeTick& values = staging.values[n];
        sqlite::Statement& insert = staging.insert;
        insert.bind(1, staging.window * staging.stride);
        insert.bind(2, static_cast<int64_t>(n));
        insert.bind(3, values.qps);
        insert.bind(4, values.utilization);
        insert.bind(5, values.meanLatencyMs);
        insert.bind(6, values.p99LatencyMs);
        insert.bind(7, values.shedQps);
        insert.bind(8, values.rows);
        insert.bind(9, values.bytes);
        insert.bind(10, values.servedQps);
        insert.bind(11, values.queued);
        insert.bind(12, values.p50LatencyMs);
        insert.bind(13, values.p95LatencyMs);
        insert.bind(14, values.p999LatencyMs);
        if (auto inserted = insert.run(); !inserted)
            return setError(inserted.error());
    }
    if (auto committed = transaction.commit(); !committed)
        return setError(committed.error());
}

void HistorySink::onFinish(const RunResult& result)
{
    if (!m_staging)
        return;
    if (m_staging->window >= 0)
        stageWindow();
    if (!m_staging)
        return;
    if (m_staging->clusterWindow >= 0)
        m_staging->cluster.push_back(m_staging->openCluster.window());
    auto id = commitRun(result);
    m_staging.reset();
    sqlite::exec(m_history.m_db.get(), "DELETE FROM temp.staged_node_ticks");
    if (!id)
        return setError(id.error());
    m_runId = *id;
}

Result<int64_t> HistorySink::commitRun(const RunResult& result)
{
    // The front ends refuse such a run as a wrong answer; the history must not keep it as an answer either.
    if (auto metric = firstNonFiniteMetric(result))
        return fail(nonFiniteMessage(*metric) + "; the run is not recorded");
    std::string summary;
    try {
        summary = m_summarise ? m_summarise(result) : "{}";
    } catch (const std::exception& error) {
        // Sinks run inside the simulation; an exception here would end the run instead of the recording.
        return fail(std::string("cannot summarise the run: ") + error.what());
    }
    const Staging& staging = *m_staging;
    const auto failed = static_cast<int64_t>(
        std::count_if(result.expectations.begin(), result.expectations.end(), [](const auto& e) { return !e.ok; }));

    sqlite3* db = m_history.m_db.get();
    WriteTransaction transaction(db);
    if (auto begun = transaction.begin("BEGIN IMMEDIATE"); !begun) {
        // SQLite's "database is locked" does not say that this process waited, nor for how long.
        if (sqlite::lastCode(db) == SQLITE_BUSY)
            return fail(begun.error() + ": another process kept it locked for longer than a run waits to be recorded");
        return fail(begun.error());
    }

    auto run = sqlite::Statement::prepare(db,
        "INSERT INTO runs (started_at, finished_at, scenario_name, scenario_file, scenario_text, overrides, seed, "
        "engine, version, ticks, tick_seconds, tick_stride, nodes, requests, cancelled, expectations, "
        "expectations_failed, summary_json, cluster_tick_stride, node_max_qps, wall_seconds, range_windows) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!run)
        return fail(run.error());
    run->bind(1, staging.startedAt);
    run->bind(2, utcNow());
    run->bind(3, result.scenario);
    run->bind(4, m_scenarioFile);
    run->bind(5, m_scenarioText);
    run->bind(6, nlohmann::json(m_overrides).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    run->bind(7, static_cast<int64_t>(result.seed)); // the bit pattern: SQLite integers are signed
    run->bind(8, kEngineModeNames.name(result.engine));
    run->bind(9, std::string_view(SHARDSIM_VERSION));
    run->bind(10, result.ticks);
    run->bind(11, result.tickSeconds);
    run->bind(12, staging.stride);
    run->bind(13, static_cast<int64_t>(staging.nodes.size()));
    run->bind(14, result.requests);
    run->bind(15, static_cast<int64_t>(result.cancelled));
    run->bind(16, static_cast<int64_t>(result.expectations.size()));
    run->bind(17, failed);
    run->bind(18, summary);
    run->bind(19, staging.clusterStride);
    run->bind(20, m_nodeMaxQps);
    run->bind(21, std::chrono::duration<double>(std::chrono::steady_clock::now() - staging.started).count());
    if (result.ranges)
        run->bind(22, static_cast<int64_t>(result.ranges->windows.size()));
    else
        run->bindNull(22);
    if (auto inserted = run->run(); !inserted)
        return fail(inserted.error());
    const int64_t id = sqlite3_last_insert_rowid(db);

    auto node
        = sqlite::Statement::prepare(db, "INSERT INTO run_nodes (run_id, node, name, region) VALUES (?, ?, ?, ?)");
    if (!node)
        return fail(node.error());
    for (size_t n = 0; n < staging.nodes.size(); ++n) {
        node->bind(1, id);
        node->bind(2, static_cast<int64_t>(n));
        node->bind(3, staging.nodes[n].name);
        node->bind(4, staging.nodes[n].region);
        if (auto inserted = node->run(); !inserted)
            return fail(inserted.error());
    }

    auto ticks = sqlite::Statement::prepare(db,
        fmt::format("INSERT INTO node_ticks (run_id, {0}) SELECT ?, {0} FROM temp.staged_node_ticks ORDER BY rowid",
            kNodeTickColumns)); // staged in tick, then node order
    if (!ticks)
        return fail(ticks.error());
    ticks->bind(1, id);
    if (auto copied = ticks->run(); !copied)
        return fail(copied.error());
    if (auto stored = insertClusterTicks(db, id, staging.cluster); !stored)
        return fail(stored.error());
    if (auto stored = insertHeatMap(db, id, result.heatmap); !stored)
        return fail(stored.error());
    if (result.ranges)
        if (auto stored = insertRangeWindows(db, id, result.ranges->windows); !stored)
            return fail(stored.error());

    if (auto committed = transaction.commit(); !committed)
        return fail(committed.error());
    return id;
}

} // namespace shardsim
