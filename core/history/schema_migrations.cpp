#include "history/schema_migrations.h"

#include <array>
#include <fmt/format.h>
#include <limits>
#include <optional>

#include "history/sqlite_handle.h"

namespace shardsim {

namespace {

    // Version 1. Times are ISO-8601 UTC text, seeds the uint64's bit pattern, rates requests/s.
    constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, so an id printed once keeps meaning that run
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    scenario_name TEXT NOT NULL,
    scenario_file TEXT NOT NULL,
    scenario_text TEXT NOT NULL,
    overrides TEXT NOT NULL, -- JSON array of "PATH=VALUE"
    seed INTEGER NOT NULL,
    engine TEXT NOT NULL,
    version TEXT NOT NULL,
    ticks INTEGER NOT NULL,
    tick_seconds REAL NOT NULL,
    tick_stride INTEGER NOT NULL, -- ticks per node_ticks row
    nodes INTEGER NOT NULL,
    requests REAL NOT NULL,
    cancelled INTEGER NOT NULL,
    expectations INTEGER NOT NULL,
    expectations_failed INTEGER NOT NULL,
    summary_json TEXT NOT NULL
);
CREATE TABLE run_nodes (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    node INTEGER NOT NULL,
    name TEXT NOT NULL,
    region TEXT NOT NULL,
    PRIMARY KEY (run_id, node)
) WITHOUT ROWID;
CREATE TABLE node_ticks (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    tick INTEGER NOT NULL, -- first tick of the stored window
    node INTEGER NOT NULL,
    qps REAL,
    utilization REAL,
    mean_latency_ms REAL,
    p99_latency_ms REAL,
    shed_qps REAL,
    rows REAL,
    bytes REAL,
    PRIMARY KEY (run_id, tick, node)
) WITHOUT ROWID;
)sql";

    // Version 2: what a reopened run needs to show the same pictures as when it ran. Runs stored before keep
    // cluster_tick_stride 0 and have no rows in the new tables. Rates are requests/s, times s.
    constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE runs ADD COLUMN cluster_tick_stride INTEGER NOT NULL DEFAULT 0; -- ticks per cluster_ticks row; 0: none stored
CREATE TABLE cluster_ticks (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    tick INTEGER NOT NULL, -- first tick of the stored window
    ticks INTEGER NOT NULL, -- ticks in the window; the last window may be shorter
    time REAL NOT NULL, -- s since the start, at the window's first tick
    qps REAL, -- mean over the window
    qps_min REAL, -- the window's quietest tick
    qps_max REAL, -- the window's busiest tick
    shed_qps REAL, -- mean
    max_utilization REAL, -- maximum, as are the columns below but mean_utilization
    mean_utilization REAL, -- mean
    p50_latency_ms REAL,
    p99_latency_ms REAL,
    max_over_mean REAL,
    cv REAL,
    gini REAL,
    migration_bytes_per_second REAL,
    down_nodes INTEGER,
    PRIMARY KEY (run_id, tick)
) WITHOUT ROWID;
CREATE TABLE run_heatmaps (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    key_table TEXT NOT NULL, -- the table whose key space is shown
    key_min REAL NOT NULL, -- first key of bucket 0
    key_max REAL NOT NULL, -- last key of the last bucket
    key_buckets INTEGER NOT NULL,
    time_buckets INTEGER NOT NULL,
    seconds_per_time_bucket REAL NOT NULL,
    rate BLOB NOT NULL, -- key_buckets * time_buckets little-endian float32, rate[t * key_buckets + k]
    shard_boundaries BLOB NOT NULL -- little-endian float64 keys; empty for hashed rules
);
)sql";

    // Version 3: a node serves requests on parallel servers with a bounded queue (docs/engine-model.md), so a tick has
    // served and queued requests besides offered and shed ones, and more percentiles. Windows merge them as
    // tick_windows.h says. Runs stored before have NULL in the new columns (read back as NaN: not stored); adding a
    // column leaves the existing rows untouched, so a large history opens at once.
    constexpr std::string_view kSchemaV3 = R"sql(
ALTER TABLE node_ticks ADD COLUMN served_qps REAL; -- mean over the window
ALTER TABLE node_ticks ADD COLUMN queued REAL; -- requests waiting at a tick's end; mean
ALTER TABLE node_ticks ADD COLUMN p50_latency_ms REAL; -- the maximum, as are the other percentiles
ALTER TABLE node_ticks ADD COLUMN p95_latency_ms REAL;
ALTER TABLE node_ticks ADD COLUMN p999_latency_ms REAL;
ALTER TABLE cluster_ticks ADD COLUMN served_qps REAL; -- mean
ALTER TABLE cluster_ticks ADD COLUMN queued REAL; -- mean
ALTER TABLE cluster_ticks ADD COLUMN p95_latency_ms REAL; -- maximum
ALTER TABLE cluster_ticks ADD COLUMN p999_latency_ms REAL; -- maximum
)sql";

    // Version 4: what a reopened run shows besides its summary and series: the node capacity it had
    // (cluster.node.max_qps, requests/s), so its capacity line needs no scenario read again, and the wall time it took.
    // Runs stored before have NULL there. Heat map rates are float64 from this version on (the BLOB's size says which).
    constexpr std::string_view kSchemaV4 = R"sql(
ALTER TABLE runs ADD COLUMN node_max_qps REAL; -- requests/s one node serves at 100% utilisation
ALTER TABLE runs ADD COLUMN wall_seconds REAL; -- s from the run's start to its end
)sql";

    // Version 5: an auto-range run's ranges over time (RangeWindowSummary), so a reopened run shows its range counts,
    // balancer moves and boundaries as it did live, and its ranges.csv can be exported. At most kMaxClusterWindows rows
    // a run; a window's bounds are stored only when they differ from the window before (NULL: unchanged), so storage
    // grows with windows x the bounds kept (at most kMaxRangeBoundsPerWindow), never with keys or ticks. Runs stored
    // before, and runs without an auto-range rule, have NULL in runs.range_windows and no rows.
    constexpr std::string_view kSchemaV5 = R"sql(
ALTER TABLE runs ADD COLUMN range_windows INTEGER; -- rows in run_range_windows; NULL: no ranges stored
CREATE TABLE run_range_windows (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    window_index INTEGER NOT NULL, -- 0, 1, ... in time order
    at_s REAL, -- s since the start, at the window's start
    seconds REAL, -- its length
    ranges INTEGER NOT NULL, -- at its end
    splits INTEGER NOT NULL,
    merges INTEGER NOT NULL,
    moves INTEGER NOT NULL, -- started during it
    bytes_moved REAL, -- copied by moves during it
    busiest_range_rate REAL, -- requests/s, the highest over the window
    node_ranges BLOB NOT NULL, -- little-endian int32 per node: ranges whose leader it holds at the window's end
    bounds BLOB, -- little-endian int64 first keys of ranges 1.. at its end; NULL: the previous window's
    leader_transfers INTEGER NOT NULL DEFAULT 0, -- hot ranges' leaders passed to a follower's node during it
    PRIMARY KEY (run_id, window_index)
) WITHOUT ROWID;
)sql";

    constexpr std::array kMigrations { Migration { 1, kSchemaV1 }, Migration { 2, kSchemaV2 },
        Migration { 3, kSchemaV3 }, Migration { 4, kSchemaV4 }, Migration { 5, kSchemaV5 } };

    int latestVersion(std::span<const Migration> migrations)
    {
        return migrations.empty() ? 0 : migrations.back().version;
    }

    Result<int64_t> tableCount(sqlite3* db, std::string_view where)
    {
        return sqlite::queryInt(
            db, fmt::format("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND {}", where));
    }

    Result<bool> createVersionTable(sqlite3* db)
    {
        // Adding our tables to someone else's database would be a surprise; an empty file is ours to fill.
        auto tables = tableCount(db, "name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
        if (!tables)
            return fail(tables.error());
        if (*tables > 0)
            return fail("it is an SQLite database but not a shardsim run history (it has no schema_version table)");
        return sqlite::exec(db,
            fmt::format("CREATE TABLE schema_version (version INTEGER NOT NULL);"
                        "INSERT INTO schema_version VALUES (0);"
                        "PRAGMA application_id = {};",
                kHistoryApplicationId));
    }

    Result<bool> migrateLocked(sqlite3* db, std::span<const Migration> migrations, int& version)
    {
        auto hasVersionTable = tableCount(db, "name = 'schema_version'");
        if (!hasVersionTable)
            return fail(hasVersionTable.error());
        if (*hasVersionTable == 0) {
            if (auto created = createVersionTable(db); !created)
                return created;
        }
        auto stored = storedSchemaVersion(db);
        if (!stored)
            return fail(stored.error());
        version = *stored;
        const int latest = latestVersion(migrations);
        if (version > latest)
            return fail(newerVersionMessage(version, latest));
        if (version == latest)
            return true;
        for (const Migration& migration : migrations) {
            if (migration.version <= version)
                continue;
            auto applied = sqlite::exec(db, migration.sql);
            if (!applied)
                return fail(
                    fmt::format("migration to schema version {} failed: {}", migration.version, applied.error()));
            version = migration.version;
        }
        return sqlite::exec(db, fmt::format("UPDATE schema_version SET version = {}", version));
    }

    // The version of an up-to-date file, read without a transaction; nullopt when there is work to do or
    // something to refuse, which the locked path sorts out.
    std::optional<int> currentVersion(sqlite3* db, std::span<const Migration> migrations)
    {
        auto stored = storedSchemaVersion(db);
        if (!stored || *stored != latestVersion(migrations))
            return std::nullopt;
        return *stored;
    }

} // namespace

std::span<const Migration> historyMigrations() { return kMigrations; }

std::string newerVersionMessage(int version, int latest)
{
    return fmt::format(
        "it was written by a newer shardsim (schema version {}; this build knows up to {})", version, latest);
}

Result<int> storedSchemaVersion(sqlite3* db)
{
    // Exactly one whole number, and version 0 only before the first migration made the runs table: anything
    // else means the table was emptied or edited, and the file's layout is no longer known.
    auto statement = sqlite::Statement::prepare(db,
        "SELECT count(*), max(version), sum(typeof(version) = 'integer'), "
        "(SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'runs') FROM schema_version");
    if (!statement)
        return fail(statement.error());
    auto row = statement->step();
    if (!row)
        return fail(row.error());
    const int64_t rows = statement->columnInt(0);
    const int64_t version = statement->columnInt(1);
    const bool whole = statement->columnInt(2) == rows;
    const bool hasRuns = statement->columnInt(3) > 0;
    std::string problem;
    if (rows != 1)
        problem = fmt::format("it holds {} rows instead of one", rows);
    else if (!whole || version < 0 || version > std::numeric_limits<int>::max())
        problem = fmt::format("it holds '{}' instead of a version number", statement->columnText(1));
    else if (version == 0 && hasRuns)
        problem = "it holds version 0, but the file already has the tables of a later version";
    if (!problem.empty())
        return fail(
            fmt::format("{}: its schema_version table must hold the schema version, and {}", kDamagedFile, problem));
    return static_cast<int>(version);
}

Result<int> migrateSchema(sqlite3* db, std::span<const Migration> migrations)
{
    // Opening an up-to-date file, the common case, must not wait for a run that is being written.
    if (const auto version = currentVersion(db, migrations))
        return *version;
    // IMMEDIATE: two processes opening a new file at once must not both create the tables.
    auto begun = sqlite::exec(db, "BEGIN IMMEDIATE");
    if (!begun)
        return fail(begun.error());
    int version = 0;
    auto migrated = migrateLocked(db, migrations, version);
    if (!migrated) {
        sqlite::exec(db, "ROLLBACK");
        return fail(migrated.error());
    }
    auto committed = sqlite::exec(db, "COMMIT");
    if (!committed) {
        sqlite::exec(db, "ROLLBACK");
        return fail(committed.error());
    }
    return version;
}

} // namespace shardsim
