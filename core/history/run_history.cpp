#include "shardsim/history/run_history.h"

#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>
#include <unistd.h>

#include "history/range_windows.h"
#include "history/schema_migrations.h"
#include "history/sqlite_handle.h"
#include "history/value_blob.h"

namespace shardsim {

namespace {

    constexpr int kBusyTimeoutMs = 10'000;

    // A person should see which file is at fault, SQLite's own words for why, and for a damaged file the way out.
    Error fileError(const std::filesystem::path& path, std::string_view message)
    {
        std::string text = fmt::format("run history {}: {}", path.string(), message);
        if (message.starts_with(kDamagedFile))
            text += fmt::format(". Nothing was written to it; copy the runs that can still be read into a new file "
                                "with 'shardsim-cli history recover --history {} --to NEW_FILE'",
                path.string());
        return fail(std::move(text));
    }

    // SQLite calls a directory it cannot create the -wal file in "unable to open database file".
    std::string directoryHint(const std::filesystem::path& path)
    {
        const std::filesystem::path directory = path.has_parent_path() ? path.parent_path() : ".";
        if (::access(directory.c_str(), W_OK) == 0)
            return {};
        const std::string name = path.filename().string();
        return fmt::format(" (its directory {} is not writable, and recording a run creates {}-wal and {}-shm there; "
                           "the runs can still be listed, shown and exported)",
            directory.string(), name, name);
    }

    bool isDamageCode(int code) { return code == SQLITE_CORRUPT || code == SQLITE_NOTADB; }

    // quick_check reads every page of every table and index (all of integrity_check but the agreement of indexes
    // with their tables), so a page overwritten anywhere in the file is found before a run is added to it or a
    // listing of it is trusted. About a second per 200 MB of history, read at disk speed.
    Result<bool> checkNotDamaged(sqlite3* db)
    {
        auto statement = sqlite::Statement::prepare(db, "PRAGMA quick_check(3)");
        if (!statement) {
            if (isDamageCode(sqlite::lastCode(db)))
                return fail(fmt::format("{} ({})", kDamagedFile, statement.error()));
            return fail(statement.error());
        }
        std::string problems;
        for (;;) {
            auto row = statement->step();
            if (!row) {
                if (!isDamageCode(sqlite::lastCode(db)))
                    return fail(row.error());
                problems += (problems.empty() ? "" : "; ") + row.error();
                break;
            }
            if (!*row)
                break;
            const std::string text = statement->columnText(0);
            if (text == "ok")
                return true;
            // One line per problem, under a "*** in database main ***" heading that says nothing here.
            std::istringstream lines(text);
            for (std::string line; std::getline(lines, line);)
                if (!line.empty() && !line.starts_with("***"))
                    problems += (problems.empty() ? "" : "; ") + line;
        }
        return fail(fmt::format("{} (SQLite's quick_check: {})", kDamagedFile, problems));
    }

    constexpr std::string_view kRecordColumns
        = "id, started_at, finished_at, scenario_name, scenario_file, seed, engine, version, ticks, tick_seconds, "
          "tick_stride, nodes, requests, cancelled, expectations, expectations_failed, cluster_tick_stride, "
          "node_max_qps, wall_seconds, range_windows";
    constexpr int kRecordColumnCount = 20;

    RunRecord readRecord(const sqlite::Statement& row)
    {
        RunRecord record;
        record.id = row.columnInt(0);
        record.startedAt = row.columnText(1);
        record.finishedAt = row.columnText(2);
        record.scenario = row.columnText(3);
        record.scenarioFile = row.columnText(4);
        record.seed = static_cast<uint64_t>(row.columnInt(5));
        record.engine = row.columnText(6);
        record.version = row.columnText(7);
        record.ticks = row.columnInt(8);
        record.tickSeconds = row.columnDouble(9);
        record.tickStride = row.columnInt(10);
        record.nodes = static_cast<int>(row.columnInt(11));
        record.requests = row.columnDouble(12);
        record.cancelled = row.columnInt(13) != 0;
        record.expectations = static_cast<int>(row.columnInt(14));
        record.expectationsFailed = static_cast<int>(row.columnInt(15));
        record.clusterTickStride = row.columnInt(16);
        // NULL before schema version 4.
        const double nodeMaxQps = row.columnDouble(17);
        record.nodeMaxQps = std::isnan(nodeMaxQps) ? 0.0 : nodeMaxQps;
        const double wallSeconds = row.columnDouble(18);
        record.wallSeconds = std::isnan(wallSeconds) ? 0.0 : wallSeconds;
        if (!row.columnIsNull(19)) // NULL before schema version 5, and for runs without ranges
            record.rangeWindows = row.columnInt(19);
        return record;
    }

    Result<std::optional<HeatMap>> readHeatMap(sqlite3* db, int64_t id)
    {
        auto statement = sqlite::Statement::prepare(db,
            "SELECT key_table, key_min, key_max, key_buckets, time_buckets, seconds_per_time_bucket, rate, "
            "shard_boundaries FROM run_heatmaps WHERE run_id = ?");
        if (!statement)
            return fail(statement.error());
        statement->bind(1, id);
        auto row = statement->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            return std::optional<HeatMap>();
        HeatMap heatmap;
        heatmap.table = statement->columnText(0);
        heatmap.keyMin = statement->columnDouble(1);
        heatmap.keyMax = statement->columnDouble(2);
        const int64_t keyBuckets = statement->columnInt(3);
        const int64_t timeBuckets = statement->columnInt(4);
        heatmap.secondsPerTimeBucket = statement->columnDouble(5);
        const std::string rateBytes = statement->columnBlob(6);
        // float64 since schema version 4, so a reopened heat map is the live one; float32 before.
        const bool sizesKnown = keyBuckets > 0 && timeBuckets > 0 && keyBuckets * timeBuckets > 0;
        const bool doubles = sizesKnown && rateBytes.size() == static_cast<size_t>(keyBuckets * timeBuckets) * 8;
        auto rate = doubles ? float64BlobValues(rateBytes) : float32BlobValues(rateBytes);
        auto boundaries = float64BlobValues(statement->columnBlob(7));
        // A file edited by hand or damaged must not hand the views an image of the wrong size.
        const bool sizesFit = keyBuckets > 0 && timeBuckets > 0 && keyBuckets <= std::numeric_limits<int>::max()
            && timeBuckets <= std::numeric_limits<int>::max();
        if (!sizesFit || !rate || !boundaries || static_cast<int64_t>(rate->size()) != keyBuckets * timeBuckets)
            return fail(fmt::format("run {}: the stored heat map is damaged ({} x {} buckets, {} bytes of rates)", id,
                keyBuckets, timeBuckets, rateBytes.size()));
        heatmap.keyBuckets = static_cast<int>(keyBuckets);
        heatmap.timeBuckets = static_cast<int>(timeBuckets);
        heatmap.rate = std::move(*rate);
        heatmap.shardBoundaries = std::move(*boundaries);
        return std::optional<HeatMap>(std::move(heatmap));
    }

    Result<std::vector<StoredClusterTick>> readClusterTicks(sqlite3* db, int64_t id)
    {
        auto statement = sqlite::Statement::prepare(db,
            "SELECT tick, ticks, time, qps, qps_min, qps_max, shed_qps, max_utilization, mean_utilization, "
            "p50_latency_ms, p99_latency_ms, max_over_mean, cv, gini, migration_bytes_per_second, down_nodes, "
            "served_qps, queued, p95_latency_ms, p999_latency_ms FROM cluster_ticks WHERE run_id = ? ORDER BY tick");
        if (!statement)
            return fail(statement.error());
        statement->bind(1, id);
        std::vector<StoredClusterTick> ticks;
        for (;;) {
            auto row = statement->step();
            if (!row)
                return fail(row.error());
            if (!*row)
                break;
            StoredClusterTick stored;
            stored.tick = statement->columnInt(0);
            stored.ticks = statement->columnInt(1);
            ClusterTick& values = stored.values;
            values.time = statement->columnDouble(2);
            values.qps = statement->columnDouble(3);
            stored.qpsMin = statement->columnDouble(4);
            stored.qpsMax = statement->columnDouble(5);
            values.shedQps = statement->columnDouble(6);
            values.maxUtilization = statement->columnDouble(7);
            values.meanUtilization = statement->columnDouble(8);
            values.p50LatencyMs = statement->columnDouble(9);
            values.p99LatencyMs = statement->columnDouble(10);
            values.imbalance.maxOverMean = statement->columnDouble(11);
            values.imbalance.cv = statement->columnDouble(12);
            values.imbalance.gini = statement->columnDouble(13);
            values.migrationBytesPerSecond = statement->columnDouble(14);
            values.downNodes = static_cast<int>(statement->columnInt(15));
            values.servedQps = statement->columnDouble(16);
            values.queued = statement->columnDouble(17);
            values.p95LatencyMs = statement->columnDouble(18);
            values.p999LatencyMs = statement->columnDouble(19);
            ticks.push_back(stored);
        }
        return ticks;
    }

    // The reads of one run see one snapshot, even while another process deletes or adds runs.
    class ReadSnapshot {
    public:
        explicit ReadSnapshot(sqlite3* db)
            : m_db(db)
            , m_open(sqlite::exec(db, "BEGIN").ok())
        {
        }
        ~ReadSnapshot()
        {
            if (m_open)
                sqlite::exec(m_db, "COMMIT");
        }
        ReadSnapshot(const ReadSnapshot&) = delete;
        ReadSnapshot& operator=(const ReadSnapshot&) = delete;

    private:
        sqlite3* m_db;
        bool m_open;
    };

    Result<bool> configure(sqlite3* db)
    {
        // Only possible before the first table exists; lets `history delete` give space back to the disk.
        auto tables = sqlite::queryInt(db, "SELECT count(*) FROM sqlite_schema");
        if (!tables)
            return fail(tables.error());
        if (*tables == 0) {
            auto vacuum = sqlite::exec(db, "PRAGMA auto_vacuum = INCREMENTAL");
            if (!vacuum)
                return vacuum;
        }
        // WAL: a run is committed by one append, readers never block the writer, and a process killed
        // mid-write leaves frames that the next open ignores. FULL: a committed run survives power loss.
        return sqlite::exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
    }

    Result<bool> checkApplicationId(sqlite3* db)
    {
        auto id = sqlite::queryInt(db, "PRAGMA application_id");
        if (!id) {
            if (sqlite3_errcode(db) == SQLITE_NOTADB)
                return fail("it is not an SQLite database, so not a shardsim run history");
            return fail(id.error());
        }
        if (*id != 0 && *id != kHistoryApplicationId)
            return fail("it is an SQLite database of another application, not a shardsim run history");
        return true;
    }

} // namespace

void RunHistory::ConnectionCloser::operator()(sqlite3* db) const
{
    // v2 defers the close until any statement still alive is finalised, instead of failing.
    sqlite3_close_v2(db);
}

RunHistory::RunHistory(std::filesystem::path path, Connection connection, int schemaVersion)
    : m_path(std::move(path))
    , m_db(std::move(connection))
    , m_schemaVersion(schemaVersion)
{
}

RunHistory::RunHistory(RunHistory&&) noexcept = default;
RunHistory& RunHistory::operator=(RunHistory&&) noexcept = default;
RunHistory::~RunHistory() = default;

Result<RunHistory::Connection> RunHistory::connect(
    const std::filesystem::path& path, int flags, std::string_view uriQuery)
{
    sqlite3* raw = nullptr;
    const std::string uri = sqlite::fileUri(path, uriQuery);
    const int opened = sqlite3_open_v2(uri.c_str(), &raw, flags | SQLITE_OPEN_URI, nullptr);
    Connection db(raw);
    if (opened != SQLITE_OK)
        return fail(fmt::format("cannot open: {}", sqlite::lastError(db.get())));
    sqlite3_extended_result_codes(db.get(), 1);
    // Another process may be committing a run; a commit takes milliseconds, so waiting is better than failing.
    sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
    return db;
}

Result<RunHistory::Connection> RunHistory::connectForReading(const std::filesystem::path& path)
{
    const std::string query = sqlite::readOnlyQuery(path);
    auto db = connect(path, SQLITE_OPEN_READONLY, query);
    if (!db || query != "mode=ro" || sqlite::queryInt(db->get(), "SELECT count(*) FROM sqlite_schema"))
        return db;
    // A -wal left behind with a -shm this user cannot open, say; the checks that follow report damage and a lock.
    const int code = sqlite::lastCode(db->get());
    if (isDamageCode(code) || code == SQLITE_BUSY)
        return db;
    return connect(path, SQLITE_OPEN_READONLY, "mode=ro&immutable=1");
}

Result<RunHistory> RunHistory::open(const std::filesystem::path& path)
{
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        return fileError(path, "is a directory; give the path of a file");
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path(), error);
        if (error)
            return fileError(path, fmt::format("cannot create {}: {}", path.parent_path().string(), error.message()));
    }

    auto db = connect(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, {});
    if (!db)
        return fileError(path, db.error());
    // SQLite falls back to reading a file it may not write; recording into it would fail only at the commit.
    if (sqlite3_db_readonly(db->get(), "main") == 1)
        return fileError(path,
            "is read-only (by its permissions, or marked immutable), so no run can be recorded in it; its runs can "
            "still be listed, shown and exported");
    Result<bool> ready = checkApplicationId(db->get());
    if (ready)
        ready = checkNotDamaged(db->get());
    if (ready)
        ready = configure(db->get());
    auto version = ready ? migrateSchema(db->get(), historyMigrations()) : Result<int>(fail(ready.error()));
    if (!version)
        return fileError(path, version.error() + directoryHint(path));
    return RunHistory(path, std::move(*db), *version);
}

Result<RunHistory> RunHistory::openReadOnly(const std::filesystem::path& path)
{
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        return fileError(path, "is a directory; give the path of a file");
    if (!std::filesystem::exists(path, error))
        return fileError(path, "does not exist");
    auto db = connectForReading(path);
    if (!db)
        return fileError(path, db.error());
    if (auto checked = checkApplicationId(db->get()); !checked)
        return fileError(path, checked.error());
    if (auto intact = checkNotDamaged(db->get()); !intact)
        return fileError(path, intact.error());
    const int latest = historyMigrations().back().version;
    auto hasVersionTable = sqlite::queryInt(
        db->get(), "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'");
    if (!hasVersionTable)
        return fileError(path, hasVersionTable.error());
    auto version = *hasVersionTable ? storedSchemaVersion(db->get()) : Result<int>(0);
    if (!version)
        return fileError(path, version.error());
    if (*version == latest)
        return RunHistory(path, std::move(*db), *version);
    if (*version > latest)
        return fileError(path, newerVersionMessage(*version, latest));
    // An empty file, one that is no history, or one that needs migrating: the writing path says which, and migrates.
    db->reset();
    return open(path);
}

Result<std::vector<RunRecord>> RunHistory::list() const
{
    auto statement
        = sqlite::Statement::prepare(m_db.get(), fmt::format("SELECT {} FROM runs ORDER BY id DESC", kRecordColumns));
    if (!statement)
        return fileError(m_path, statement.error());
    std::vector<RunRecord> records;
    for (;;) {
        auto row = statement->step();
        if (!row)
            return fileError(m_path, row.error());
        if (!*row)
            break;
        records.push_back(readRecord(*statement));
    }
    return records;
}

Result<std::optional<RunDetails>> RunHistory::get(int64_t id) const
{
    ReadSnapshot snapshot(m_db.get());
    auto statement = sqlite::Statement::prepare(m_db.get(),
        fmt::format("SELECT {}, scenario_text, overrides, summary_json FROM runs WHERE id = ?", kRecordColumns));
    if (!statement)
        return fileError(m_path, statement.error());
    statement->bind(1, id);
    auto row = statement->step();
    if (!row)
        return fileError(m_path, row.error());
    if (!*row)
        return std::optional<RunDetails>();

    RunDetails details;
    details.record = readRecord(*statement);
    details.scenarioText = statement->columnText(kRecordColumnCount);
    const auto overrides = nlohmann::json::parse(statement->columnText(kRecordColumnCount + 1), nullptr, false);
    if (!overrides.is_array())
        return fileError(m_path, fmt::format("run {}: overrides are not a JSON array", id));
    for (const auto& item : overrides) {
        if (item.is_string())
            details.overrides.push_back(item.get<std::string>());
    }
    details.summaryJson = statement->columnText(kRecordColumnCount + 2);

    auto nodes
        = sqlite::Statement::prepare(m_db.get(), "SELECT name, region FROM run_nodes WHERE run_id = ? ORDER BY node");
    if (!nodes)
        return fileError(m_path, nodes.error());
    nodes->bind(1, id);
    for (;;) {
        auto node = nodes->step();
        if (!node)
            return fileError(m_path, node.error());
        if (!*node)
            break;
        details.nodes.push_back(StoredNode { nodes->columnText(0), nodes->columnText(1) });
    }

    auto heatmap = readHeatMap(m_db.get(), id);
    if (!heatmap)
        return fileError(m_path, heatmap.error());
    details.heatmap = std::move(*heatmap);
    auto cluster = readClusterTicks(m_db.get(), id);
    if (!cluster)
        return fileError(m_path, cluster.error());
    details.cluster = std::move(*cluster);
    auto ranges = readRangeWindows(m_db.get(), id);
    if (!ranges)
        return fileError(m_path, ranges.error());
    if (std::ssize(*ranges) != details.record.rangeWindows.value_or(0))
        return fileError(m_path,
            fmt::format("run {}: {} of its {} range windows are stored", id, ranges->size(),
                details.record.rangeWindows.value_or(0)));
    details.rangeWindows = std::move(*ranges);
    return std::optional<RunDetails>(std::move(details));
}

Result<int64_t> RunHistory::visitNodeTicks(int64_t id, const std::function<void(const StoredNodeTick&)>& visit) const
{
    auto statement = sqlite::Statement::prepare(m_db.get(),
        "SELECT tick, node, qps, utilization, mean_latency_ms, p99_latency_ms, shed_qps, rows, bytes, served_qps, "
        "queued, p50_latency_ms, p95_latency_ms, p999_latency_ms FROM node_ticks WHERE run_id = ? ORDER BY tick, node");
    if (!statement)
        return fileError(m_path, statement.error());
    statement->bind(1, id);
    int64_t count = 0;
    StoredNodeTick stored;
    for (;;) {
        auto row = statement->step();
        if (!row)
            return fileError(m_path, row.error());
        if (!*row)
            break;
        stored.tick = statement->columnInt(0);
        stored.node = static_cast<int>(statement->columnInt(1));
        stored.values.qps = statement->columnDouble(2);
        stored.values.utilization = statement->columnDouble(3);
        stored.values.meanLatencyMs = statement->columnDouble(4);
        stored.values.p99LatencyMs = statement->columnDouble(5);
        stored.values.shedQps = statement->columnDouble(6);
        stored.values.rows = statement->columnDouble(7);
        stored.values.bytes = statement->columnDouble(8);
        stored.values.servedQps = statement->columnDouble(9);
        stored.values.queued = statement->columnDouble(10);
        stored.values.p50LatencyMs = statement->columnDouble(11);
        stored.values.p95LatencyMs = statement->columnDouble(12);
        stored.values.p999LatencyMs = statement->columnDouble(13);
        visit(stored);
        ++count;
    }
    return count;
}

Result<std::vector<StoredNodeTick>> RunHistory::nodeTicks(int64_t id) const
{
    std::vector<StoredNodeTick> rows;
    auto visited = visitNodeTicks(id, [&rows](const StoredNodeTick& row) { rows.push_back(row); });
    if (!visited)
        return fail(visited.error());
    return rows;
}

Result<bool> RunHistory::remove(int64_t id)
{
    auto statement = sqlite::Statement::prepare(m_db.get(), "DELETE FROM runs WHERE id = ?");
    if (!statement)
        return fileError(m_path, statement.error());
    statement->bind(1, id);
    // One statement, so the run and its cascaded rows go together or not at all.
    if (auto deleted = statement->run(); !deleted)
        return fileError(m_path, deleted.error());
    if (sqlite3_changes(m_db.get()) == 0)
        return false;
    // Giving the pages back is a nicety; the run is already gone if it fails.
    sqlite::exec(m_db.get(), "PRAGMA incremental_vacuum");
    return true;
}

void RunHistory::setBusyTimeout(int milliseconds) { sqlite3_busy_timeout(m_db.get(), milliseconds); }

Result<std::filesystem::path> defaultHistoryPath()
{
    const std::filesystem::path relative = std::filesystem::path("shardsim") / "history.sqlite";
    if (const char* dataHome = std::getenv("XDG_DATA_HOME"); dataHome && std::filesystem::path(dataHome).is_absolute())
        return std::filesystem::path(dataHome) / relative;
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".local" / "share" / relative;
    return fail("no place for the run history: neither XDG_DATA_HOME nor HOME is set");
}

} // namespace shardsim
