#pragma once
// The run history: every finished run in one SQLite file, shared by the CLI and the GUI across sessions.
// docs/run-history.md describes the file, its tables and what survives a crash.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/engine/run_result.h"

struct sqlite3;

namespace shardsim {

// One line of `history list`.
struct RunRecord {
    int64_t id = 0; // never reused, even after a delete
    std::string startedAt; // ISO-8601 UTC, "2024-05-01T12:00:00Z"
    std::string finishedAt; // ISO-8601 UTC
    std::string scenario; // the scenario's name
    std::string scenarioFile; // as given to the reader; empty for text that was never a file
    uint64_t seed = 0;
    std::string engine; // "sampled" or "expected"
    std::string version; // of the shardsim that ran it
    int64_t ticks = 0; // ticks simulated (fewer than planned when cancelled)
    double tickSeconds = 0; // s per tick
    int64_t tickStride = 1; // ticks per stored node-tick row; above 1 for long runs (see historyTickStride)
    // Ticks per stored cluster-tick row (see historyClusterTickStride); 0 for a run stored before schema version 2,
    // which has neither a cluster series nor a heat map.
    int64_t clusterTickStride = 0;
    double nodeMaxQps = 0; // requests/s one node serves at 100% utilisation; 0 for a run stored before schema version 4
    double wallSeconds = 0; // s from the run's start to its end, pauses included; 0 before schema version 4
    // Windows of the run's ranges stored (RunDetails::rangeWindows); none for a run without an auto-range rule or
    // stored before schema version 5, whose summary may still have `ranges` but whose windows were not kept.
    std::optional<int64_t> rangeWindows;
    int nodes = 0;
    double requests = 0; // offered over the run
    bool cancelled = false;
    int expectations = 0; // `expect:` entries checked
    int expectationsFailed = 0;

    bool expectationsHeld() const { return expectationsFailed == 0; }
};

struct StoredNode {
    std::string name; // "node-1"
    std::string region; // empty without regions
};

// A stored cluster window is the run's own (ClusterWindow says what each field keeps).
using StoredClusterTick = ClusterWindow;

// Everything stored about a run except its node ticks, which can be many (visitNodeTicks).
struct RunDetails {
    RunRecord record;
    std::string scenarioText; // the scenario exactly as read
    std::vector<std::string> overrides; // "PATH=VALUE", in the order applied
    std::string summaryJson; // the run's summary.json
    std::vector<StoredNode> nodes; // in node order; StoredNodeTick::node indexes it
    // The run's heat map as it ran (rates rounded to float32 for runs stored before schema version 4); nullopt when the run had none (no
    // sharded table, or no tick ran) or was stored before schema version 2 (record.clusterTickStride == 0).
    std::optional<HeatMap> heatmap;
    std::vector<StoredClusterTick> cluster; // in tick order; empty for runs stored before schema version 2
    // An auto-range run's ranges over time, as its RangesSummary::windows were; empty unless record.rangeWindows.
    std::vector<RangeWindowSummary> rangeWindows;
};

// One node over one stored window of ticks [tick, tick + tickStride), merged by NodeWindowMerger
// (shardsim/metrics/tick_windows.h): with a stride of 1 the tick's own values; above 1 qps, utilization and shed qps
// are the window's means, the latencies its worst tick, rows and bytes its last tick. Runs stored by earlier builds
// kept the window's maximum of the rates too (docs/run-history.md).
struct StoredNodeTick {
    int64_t tick = 0;
    int node = 0;
    NodeTick values;
};

// One of a run's node windows (windowLayout in shardsim/metrics/tick_windows.h), merged as the live run merged it.
struct RunWindow {
    int64_t firstTick = 0;
    int64_t ticks = 0; // the last window of a run may be shorter
    ClusterWindow cluster; // the cluster windows it holds, merged (for runs before schema version 2: from the nodes)
    std::vector<NodeTick> nodes; // in node order; nodes added by events come last, so later windows can be longer
};

// A stored run brought back whole: everything the live run showed (RunHistory::load).
struct StoredRun {
    RunRecord record;
    std::string scenarioText; // the scenario exactly as read
    std::vector<std::string> overrides; // "PATH=VALUE", in the order applied
    std::vector<StoredNode> nodes; // in node order
    // The summary read back (readSummaryJson), with the cluster series in its stored windows, the heat map and an
    // auto-range run's range windows: the run's own. Runs stored before schema version 2 have neither the series nor
    // the heat map, and before version 5 no range windows.
    RunResult result;
    double nodeMaxQps = 0; // requests/s of one node at 100% utilisation; 0 when the history does not know it
    int64_t windowTicks = 1; // ticks per full node window
    std::vector<RunWindow> windows; // in time order
};

// One connection to a history file. Use it from one thread at a time: a worker thread that records or
// reads runs opens its own; SQLite coordinates the connections and processes sharing the file.
struct HistoryRecovery;

class RunHistory {
public:
    // Opens the file to record and delete runs, creating it and its directories when missing, and brings its
    // schema up to date. Fails with a message naming the path when it is not a run history, was written by a
    // newer build, is damaged (SQLite's quick_check finds a page that is not what it should be), or cannot be
    // written: read-only to this user, immutable, or in a directory where SQLite cannot create its -wal file.
    static Result<RunHistory> open(const std::filesystem::path& path);
    // Opens an existing file to read it, writing nothing: a file or directory that is read-only to this user
    // is read as it is. Fails as open() does, damage included; a file at an older schema version is brought up
    // to date first, which needs it writable.
    static Result<RunHistory> openReadOnly(const std::filesystem::path& path);

    RunHistory(RunHistory&&) noexcept;
    RunHistory& operator=(RunHistory&&) noexcept;
    ~RunHistory();

    const std::filesystem::path& path() const { return m_path; }
    int schemaVersion() const { return m_schemaVersion; }

    Result<std::vector<RunRecord>> list() const; // newest first
    Result<std::optional<RunDetails>> get(int64_t id) const; // nullopt when there is no such run
    // The run as it ran, windows included, so reopening it is one call; nullopt when there is no such run. Values an
    // older build did not store come back as docs/run-history.md says (served = offered - shed, the rest 0).
    Result<std::optional<StoredRun>> load(int64_t id) const;
    // Calls visit for each stored row of a run in tick, then node order; returns the number of rows.
    Result<int64_t> visitNodeTicks(int64_t id, const std::function<void(const StoredNodeTick&)>& visit) const;
    Result<std::vector<StoredNodeTick>> nodeTicks(int64_t id) const;
    Result<bool> remove(int64_t id); // false when there is no such run

    // How long a write waits for another process's write to end before it fails; 10 s unless changed.
    void setBusyTimeout(int milliseconds);

private:
    friend class HistorySink; // records through the same connection
    friend Result<HistoryRecovery> recoverHistory(const std::filesystem::path&, const std::filesystem::path&);

    struct ConnectionCloser {
        void operator()(sqlite3* db) const;
    };
    using Connection = std::unique_ptr<sqlite3, ConnectionCloser>;

    RunHistory(std::filesystem::path path, Connection connection, int schemaVersion);
    static Result<Connection> connect(const std::filesystem::path& path, int flags, std::string_view uriQuery);
    static Result<Connection> connectForReading(const std::filesystem::path& path);

    std::filesystem::path m_path;
    Connection m_db;
    int m_schemaVersion = 0;
};

// $XDG_DATA_HOME/shardsim/history.sqlite, or ~/.local/share/shardsim/history.sqlite when XDG_DATA_HOME is
// unset or not absolute (as the XDG base directory specification asks). Fails when HOME is unset too.
Result<std::filesystem::path> defaultHistoryPath();

} // namespace shardsim
