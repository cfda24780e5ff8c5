// An auto-range run's ranges over time in the run history (schema version 5): the windows behind ranges.csv, each
// node's range count and the range boundaries come back from a recorded lesson as the live run had them, the export
// writes the same ranges.csv, a version-4 file migrates with its runs, and a damaged row is named.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "history/schema_migrations.h"
#include "history/value_blob.h"
#include "history_test_support.h"
#include "recorded_run.h"
#include "shardsim/history/history_export.h"
#include "shardsim/history/history_recovery.h"
#include "shardsim/report/csv_output.h"
#include "shardsim/report/scenario_run.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    using namespace shardsim::testing;

    StoredRun mustLoad(const RunHistory& history, int64_t id)
    {
        auto loaded = history.load(id);
        if (!loaded)
            throw std::runtime_error(loaded.error());
        if (!loaded->has_value())
            throw std::runtime_error("run " + std::to_string(id) + " is not stored");
        return std::move(**loaded);
    }

    // The window holding `seconds`, found by hand: the last one starting at or before it.
    const RangeWindowSummary& windowAt(const std::vector<RangeWindowSummary>& windows, double seconds)
    {
        const RangeWindowSummary* found = &windows.front();
        for (const RangeWindowSummary& window : windows)
            if (window.atS <= seconds)
                found = &window;
        return *found;
    }

    std::string exportedRangesCsv(const RunHistory& history, int64_t id, const std::filesystem::path& file)
    {
        auto details = history.get(id);
        if (!details || !details->has_value())
            throw std::runtime_error(details ? "no run" : details.error());
        std::FILE* out = std::fopen(file.c_str(), "w");
        if (!out)
            throw std::runtime_error("cannot write " + file.string());
        auto written = writeRangesCsv(**details, out);
        std::fclose(out);
        if (!written)
            throw std::runtime_error(written.error());
        EXPECT_EQ(*written, std::ssize((*details)->rangeWindows));
        return readFile(file);
    }

    // One lesson run and recorded for every test of the suite: a hot range that splits by load and spreads, so the
    // boundaries change over the run and the balancer moves ranges.
    class StoredRangeRun : public ::testing::Test {
    protected:
        static void SetUpTestSuite()
        {
            s_dir = std::make_unique<ScratchDir>();
            s_history = std::make_unique<RunHistory>(mustOpen(*s_dir / "history.sqlite"));
            s_result = std::make_unique<RunResult>(runAndRecord(*s_history, "ranges/double-11-hot-range.yaml", s_id));
        }
        static void TearDownTestSuite()
        {
            s_result.reset();
            s_history.reset();
            s_dir.reset();
        }
        const RangesSummary& live() const { return *s_result->ranges; }

        static inline std::unique_ptr<ScratchDir> s_dir;
        static inline std::unique_ptr<RunHistory> s_history;
        static inline std::unique_ptr<RunResult> s_result;
        static inline int64_t s_id = 0;
    };

    TEST_F(StoredRangeRun, EveryWindowComesBackAsTheLiveRunHadIt)
    {
        ASSERT_TRUE(s_result->ranges);
        ASSERT_GE(live().loadSplits, 7) << "the lesson's hot range splits by load, so its boundaries move";
        const StoredRun stored = mustLoad(*s_history, s_id);
        ASSERT_TRUE(stored.result.ranges);
        const std::vector<RangeWindowSummary>& windows = stored.result.ranges->windows;
        // 30 minutes of 1 s ticks under CockroachDB's 1 s load window: one window a second.
        ASSERT_EQ(live().windows.size(), 1'800u);
        ASSERT_EQ(windows.size(), live().windows.size());
        for (size_t w = 0; w < windows.size(); ++w) {
            const RangeWindowSummary& a = live().windows[w];
            const RangeWindowSummary& b = windows[w];
            SCOPED_TRACE("window " + std::to_string(w));
            EXPECT_EQ(b.atS, a.atS);
            EXPECT_EQ(b.seconds, a.seconds);
            EXPECT_EQ(b.ranges, a.ranges);
            EXPECT_EQ(b.splits, a.splits);
            EXPECT_EQ(b.merges, a.merges);
            EXPECT_EQ(b.moves, a.moves);
            EXPECT_EQ(b.bytesMoved, a.bytesMoved);
            EXPECT_EQ(b.busiestRate, a.busiestRate);
            EXPECT_EQ(b.leaderTransfers, a.leaderTransfers);
            EXPECT_EQ(b.nodeRanges, a.nodeRanges);
            EXPECT_EQ(b.bounds, a.bounds);
        }
        // The summary's totals are the live ones, and the windows add up to them.
        EXPECT_EQ(summaryJson(stored.result).dump(), summaryJson(*s_result).dump());
        int splits = 0;
        for (const RangeWindowSummary& window : windows)
            splits += window.splits;
        EXPECT_EQ(splits, live().splits);
    }

    TEST_F(StoredRangeRun, TheBoundariesAndEachNodesRangesAtAnyMomentAreTheLiveOnes)
    {
        const StoredRun stored = mustLoad(*s_history, s_id);
        const std::vector<RangeWindowSummary>& windows = stored.result.ranges->windows;
        // The start, before the spike, while the hot range splits, and the end.
        for (const double seconds : { 0.0, 299.5, 600.0, 901.25, 1'200.0, 1'799.0 }) {
            SCOPED_TRACE(seconds);
            const RangeWindowSummary& a = windowAt(live().windows, seconds);
            const RangeWindowSummary& b = windowAt(windows, seconds);
            EXPECT_EQ(b.atS, a.atS);
            EXPECT_EQ(b.bounds, a.bounds);
            EXPECT_EQ(b.nodeRanges, a.nodeRanges);
            EXPECT_EQ(static_cast<int>(b.bounds.size()), b.ranges - 1) << "a bound per range but the first";
        }
        EXPECT_NE(windowAt(windows, 0).bounds, windows.back().bounds);
        // The last window holds the run's end: its counts are the summary's.
        EXPECT_EQ(windows.back().ranges, live().end);
        EXPECT_EQ(*std::max_element(windows.back().nodeRanges.begin(), windows.back().nodeRanges.end()),
            live().maxRangesPerNode);
    }

    TEST_F(StoredRangeRun, BoundsAreStoredOnlyWhenTheyChange)
    {
        size_t changes = 1; // the first window's
        for (size_t w = 1; w < live().windows.size(); ++w)
            changes += live().windows[w].bounds != live().windows[w - 1].bounds;
        ASSERT_LT(changes, live().windows.size() / 10) << "the lesson's ranges stand still most of the time";
        const std::string run = std::to_string(s_id);
        EXPECT_EQ(
            querySqlite(s_history->path(), "SELECT count(*) FROM run_range_windows WHERE run_id = " + run), "1800");
        EXPECT_EQ(querySqlite(s_history->path(),
                      "SELECT count(*) FROM run_range_windows WHERE bounds IS NOT NULL AND run_id = " + run),
            std::to_string(changes));
        EXPECT_EQ(querySqlite(s_history->path(), "SELECT range_windows FROM runs WHERE id = " + run), "1800");
        // Any tool reads the blobs: the last window's counts are little-endian int32s, one per node.
        EXPECT_EQ(
            querySqlite(s_history->path(),
                "SELECT length(node_ranges) FROM run_range_windows WHERE window_index = 1799 AND run_id = " + run),
            std::to_string(4 * live().windows.back().nodeRanges.size()));
    }

    TEST_F(StoredRangeRun, TheExportedRangesCsvIsTheBytesRunOutWrote)
    {
        ASSERT_TRUE(writeRangesCsv((*s_dir / "ranges.csv").string(), live()));
        const std::string written = readFile(*s_dir / "ranges.csv");
        ASSERT_EQ(written.substr(0, written.find('\n')),
            "time_s,seconds,ranges,splits,merges,moves,bytes_moved,busiest_range_rate,leader_transfers");
        EXPECT_EQ(exportedRangesCsv(*s_history, s_id, *s_dir / "exported.csv"), written);
    }

    TEST_F(StoredRangeRun, TheJsonExportHoldsEveryWindowWithItsBounds)
    {
        auto details = s_history->get(s_id);
        ASSERT_TRUE(details && details->has_value());
        std::FILE* out = std::fopen((*s_dir / "bundle.json").c_str(), "w");
        ASSERT_NE(out, nullptr);
        ASSERT_TRUE(writeRunBundleJson(*s_history, **details, out));
        std::fclose(out);
        const auto bundle = nlohmann::json::parse(readFile(*s_dir / "bundle.json"));
        EXPECT_EQ(bundle["range_windows"], 1'800);
        const auto& ranges = bundle["run_range_windows"];
        ASSERT_EQ(ranges["rows"].size(), 1'800u);
        ASSERT_EQ(ranges["columns"].size(), ranges["rows"][0].size());
        EXPECT_EQ(ranges["columns"][8], "node_ranges");
        EXPECT_EQ(ranges["columns"][9], "bounds");
        // Every window's bounds in full, though the file keeps only their changes.
        for (const size_t w : { size_t { 0 }, size_t { 900 }, size_t { 1'799 } }) {
            EXPECT_EQ(ranges["rows"][w][0].get<double>(), live().windows[w].atS) << w;
            EXPECT_EQ(ranges["rows"][w][8].get<std::vector<int>>(), live().windows[w].nodeRanges) << w;
            EXPECT_EQ(ranges["rows"][w][9].get<std::vector<int64_t>>(), live().windows[w].bounds) << w;
        }
    }

    // Inserts run 7 into a new file at schema version 4, as that version's build stored an auto-range run: its summary
    // with `ranges`, but no range windows.
    void storeVersionFourRun(const std::filesystem::path& path, const std::string& summary)
    {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        auto older = migrateSchema(db, historyMigrations().first(4));
        ASSERT_TRUE(older) << older.error();
        ASSERT_EQ(*older, 4);
        sqlite3_stmt* insert = nullptr;
        ASSERT_EQ(sqlite3_prepare_v2(db,
                      "INSERT INTO runs (id, started_at, finished_at, scenario_name, scenario_file, scenario_text, "
                      "overrides, seed, engine, version, ticks, tick_seconds, tick_stride, nodes, requests, cancelled, "
                      "expectations, expectations_failed, summary_json, cluster_tick_stride, node_max_qps, "
                      "wall_seconds) VALUES (7, '2026-11-01T00:00:00Z', '2026-11-01T00:00:02Z', "
                      "'double-11-hot-range', 'double-11-hot-range.yaml', 'name: double-11-hot-range', '[]', 1, "
                      "'expected', '1.4', 1800, 1, 1, 5, 1e7, 0, 0, 0, ?, 1, 20000, 2)",
                      -1, &insert, nullptr),
            SQLITE_OK)
            << sqlite3_errmsg(db);
        sqlite3_bind_text(insert, 1, summary.c_str(), -1, SQLITE_TRANSIENT);
        EXPECT_EQ(sqlite3_step(insert), SQLITE_DONE) << sqlite3_errmsg(db);
        sqlite3_finalize(insert);
        sqlite3_close(db);
    }

    TEST_F(StoredRangeRun, AVersionFourFileMigratesAndItsAutoRangeRunsReopenWithTheirSummaryAlone)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        ASSERT_NO_FATAL_FAILURE(storeVersionFourRun(path, summaryJson(*s_result).dump()));
        ASSERT_EQ(querySqlite(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'run_range_windows'"), "0");

        RunHistory history = mustOpen(path);
        EXPECT_EQ(history.schemaVersion(), 5);
        EXPECT_EQ(querySqlite(path, "SELECT version FROM schema_version"), "5");
        EXPECT_EQ(querySqlite(path, "SELECT typeof(range_windows) FROM runs WHERE id = 7"), "null");

        // As before: the summary's totals, no windows, so the views show the Overview's words and no series.
        const StoredRun old = mustLoad(history, 7);
        ASSERT_TRUE(old.result.ranges);
        EXPECT_EQ(old.result.ranges->splits, live().splits);
        EXPECT_EQ(old.result.ranges->end, live().end);
        EXPECT_TRUE(old.result.ranges->windows.empty());
        EXPECT_FALSE(old.record.rangeWindows);

        auto details = history.get(7);
        ASSERT_TRUE(details && details->has_value());
        std::FILE* out = std::fopen((dir / "ranges.csv").c_str(), "w");
        auto written = writeRangesCsv(**details, out);
        std::fclose(out);
        ASSERT_FALSE(written);
        EXPECT_TRUE(mentions(written.error(),
            "run 7 has no ranges.csv: it was recorded before the run history kept an "
            "auto-range run's windows (schema version 5)"))
            << written.error();

        // A run recorded after the migration keeps its windows.
        SyntheticRun run;
        HistorySink sink(history, scenarioOf(run), syntheticSummary);
        startAndTick(sink, run, syntheticTick);
        RunResult result = resultOf(run);
        result.ranges = RangesSummary {};
        result.ranges->windows = live().windows;
        sink.onFinish(result);
        ASSERT_TRUE(sink.runId()) << sink.error();
        EXPECT_GT(*sink.runId(), 7);
        EXPECT_EQ(exportedRangesCsv(history, *sink.runId(), dir / "new.csv"), rangesCsvText(live().windows));
    }

    // A run whose range windows are three, by hand: bounds stored at the first window and where they change.
    int64_t recordThreeWindows(RunHistory& history)
    {
        SyntheticRun run;
        HistorySink sink(history, scenarioOf(run), syntheticSummary);
        startAndTick(sink, run, syntheticTick);
        RunResult result = resultOf(run);
        result.ranges = RangesSummary {};
        result.ranges->windows = {
            RangeWindowSummary { .atS = 0, .seconds = 4, .ranges = 3, .nodeRanges = { 1, 1, 1 }, .bounds = { 5, 9 } },
            RangeWindowSummary {
                .atS = 4, .seconds = 4, .ranges = 3, .moves = 1, .nodeRanges = { 2, 1, 0 }, .bounds = { 5, 9 } },
            RangeWindowSummary { .atS = 8,
                .seconds = 2,
                .ranges = 4,
                .splits = 1,
                .leaderTransfers = 2,
                .busiestRate = 12.5,
                .nodeRanges = { 2, 1, 1 },
                .bounds = { 5, int64_t { 1 } << 60, int64_t { 1 } << 61 } },
        };
        sink.onFinish(result);
        EXPECT_TRUE(sink.error().empty()) << sink.error();
        return sink.runId().value_or(0);
    }

    TEST(HistoryRanges, WindowsComeBackWithTheBoundsOfTheWindowBeforeWhereTheyDidNotChange)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        const int64_t id = recordThreeWindows(history);
        EXPECT_EQ(querySqlite(history.path(),
                      "SELECT group_concat(iif(bounds IS NULL, 'NULL', hex(bounds)), ' ') FROM "
                      "(SELECT bounds FROM run_range_windows ORDER BY window_index)"),
            "05000000000000000900000000000000 NULL "
            "050000000000000000000000000000100000000000000020");
        auto details = history.get(id);
        ASSERT_TRUE(details && details->has_value()) << (details ? "no run" : details.error());
        const std::vector<RangeWindowSummary>& windows = (*details)->rangeWindows;
        ASSERT_EQ(windows.size(), 3u);
        EXPECT_EQ(windows[1].bounds, (std::vector<int64_t> { 5, 9 }));
        EXPECT_EQ(windows[1].nodeRanges, (std::vector<int> { 2, 1, 0 }));
        EXPECT_EQ(windows[1].moves, 1);
        EXPECT_EQ(windows[2].bounds, (std::vector<int64_t> { 5, int64_t { 1 } << 60, int64_t { 1 } << 61 }))
            << "keys beyond 2^53 stay exact";
        EXPECT_EQ(windows[2].busiestRate, 12.5);
        EXPECT_EQ(windows[2].leaderTransfers, 2);
        EXPECT_EQ(rangesCsvText(windows),
            "time_s,seconds,ranges,splits,merges,moves,bytes_moved,busiest_range_rate,leader_transfers\n"
            "0,4,3,0,0,0,0,0,0\n"
            "4,4,3,0,0,1,0,0,0\n"
            "8,2,4,1,0,0,0,12.5,2\n");

        // Deleting the run takes its windows along.
        ASSERT_TRUE(history.remove(id));
        EXPECT_EQ(querySqlite(history.path(), "SELECT count(*) FROM run_range_windows"), "0");
    }

    TEST(HistoryRanges, AWindowThatIsNoWindowIsNamedAndRecoveryKeepsTheRunsThatRead)
    {
        const std::vector<std::pair<std::string, std::string>> damages {
            { "UPDATE run_range_windows SET bounds = x'010203040506070809' WHERE window_index = 2",
                "run 1: range window 2 is damaged: bounds holds 9 bytes, not 8 per key" },
            { "UPDATE run_range_windows SET node_ranges = x'0102' WHERE window_index = 1",
                "run 1: range window 1 is damaged: node_ranges holds 2 bytes, not 4 per node" },
            { "UPDATE run_range_windows SET bounds = NULL WHERE window_index = 0",
                "run 1: range window 0 is damaged: the first window must store its bounds, and they are NULL" },
            { "DELETE FROM run_range_windows WHERE window_index = 1",
                "run 1: range window 1 is missing (the next one stored is 2)" },
            { "DELETE FROM run_range_windows WHERE window_index = 2", "run 1: 2 of its 3 range windows are stored" },
        };
        for (const auto& [damage, message] : damages) {
            SCOPED_TRACE(damage);
            ScratchDir dir;
            const auto path = dir / "history.sqlite";
            {
                RunHistory history = mustOpen(path);
                ASSERT_EQ(recordThreeWindows(history), 1);
                ASSERT_EQ(recordThreeWindows(history), 2);
            }
            ASSERT_EQ(querySqlite(path, damage + " AND run_id = 1"), "");
            RunHistory history = mustOpen(path);
            auto details = history.get(1);
            ASSERT_FALSE(details);
            EXPECT_TRUE(mentions(details.error(), path.string() + ": " + message)) << details.error();

            auto recovered = recoverHistory(path, dir / "recovered.sqlite");
            ASSERT_TRUE(recovered) << recovered.error();
            EXPECT_EQ(recovered->copied, std::vector<int64_t> { 2 });
            ASSERT_EQ(recovered->lost.size(), 1u);
            EXPECT_TRUE(mentions(recovered->lost[0].reason, message)) << recovered->lost[0].reason;
            RunHistory copy = mustOpen(dir / "recovered.sqlite");
            auto kept = copy.get(2);
            ASSERT_TRUE(kept && kept->has_value()) << (kept ? "no run 2" : kept.error());
            EXPECT_EQ((*kept)->rangeWindows.size(), 3u);
            EXPECT_EQ((*kept)->rangeWindows[2].bounds.size(), 3u);
        }
    }

    TEST(HistoryRanges, ARunWithoutAnAutoRangeRuleStoresNoRangesAndSaysSoOnExport)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        const int64_t id = recordRun(history, SyntheticRun {});
        EXPECT_EQ(querySqlite(history.path(), "SELECT typeof(range_windows) FROM runs"), "null");
        auto details = history.get(id);
        ASSERT_TRUE(details && details->has_value());
        EXPECT_FALSE((*details)->record.rangeWindows);
        std::FILE* out = std::fopen((dir / "ranges.csv").c_str(), "w");
        auto written = writeRangesCsv(**details, out);
        std::fclose(out);
        ASSERT_FALSE(written);
        EXPECT_EQ(written.error(),
            "run 1 has no ranges.csv: only a run of an auto-range rule (sharding.rule: auto-range:...) has ranges");
        EXPECT_FALSE(mustLoad(history, id).result.ranges);
    }

} // namespace
} // namespace shardsim
