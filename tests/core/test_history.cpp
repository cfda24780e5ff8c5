// The run history: what a user gets back from `history list/show/export/delete` after recording runs,
// what a long run is reduced to, and that a file which is not ours is refused without being touched.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "history/schema_migrations.h"
#include "history_test_support.h"
#include "shardsim/history/history_export.h"
#include "shardsim/report/csv_output.h"

namespace shardsim {
namespace {

    using namespace shardsim::testing;


    void writeFile(const std::filesystem::path& path, const std::string& text)
    {
        std::ofstream(path, std::ios::binary) << text;
    }

    // Feeds one run to two sinks, as the engine does with its sink list.
    class TeeSink : public MetricsSink {
    public:
        TeeSink(MetricsSink& first, MetricsSink& second)
            : m_first(first)
            , m_second(second)
        {
        }
        void onStart(const RunStart& start) override
        {
            m_first.onStart(start);
            m_second.onStart(start);
        }
        void onTick(int64_t tick, const ClusterTick& cluster, std::span<const NodeTick> nodes) override
        {
            m_first.onTick(tick, cluster, nodes);
            m_second.onTick(tick, cluster, nodes);
        }
        void onFinish(const RunResult& result) override
        {
            m_first.onFinish(result);
            m_second.onFinish(result);
        }

    private:
        MetricsSink& m_first;
        MetricsSink& m_second;
    };

    int latestSchemaVersion() { return historyMigrations().back().version; }

    TEST(RunHistory, OpenCreatesTheFileAndItsDirectoriesInWalMode)
    {
        ScratchDir dir;
        const auto path = dir / "deep/er/history.sqlite";
        RunHistory history = mustOpen(path);
        EXPECT_TRUE(std::filesystem::exists(path));
        EXPECT_EQ(history.schemaVersion(), latestSchemaVersion());
        EXPECT_TRUE(history.list()->empty());
        EXPECT_EQ(querySqlite(path, "PRAGMA journal_mode"), "wal");
        EXPECT_EQ(querySqlite(path, "SELECT version FROM schema_version"), std::to_string(latestSchemaVersion()));
    }

    TEST(RunHistory, ListsRunsNewestFirstWithWhatTheyWereRunWith)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        const int64_t first = recordRun(history, SyntheticRun { .scenario = "orders", .seed = 7 });
        const int64_t second = recordRun(history,
            SyntheticRun { .scenario = "users",
                .seed = 18'446'744'073'709'551'615u, // above INT64_MAX: SQLite integers are signed
                .ticks = 4,
                .nodes = 2,
                .overrides = { "cluster.nodes=2", "seed=9" },
                .failedExpectations = 1 });
        EXPECT_GT(second, first);

        auto runs = history.list();
        ASSERT_TRUE(runs) << runs.error();
        ASSERT_EQ(runs->size(), 2u);
        const RunRecord& newest = (*runs)[0];
        EXPECT_EQ(newest.id, second);
        EXPECT_EQ(newest.scenario, "users");
        EXPECT_EQ(newest.scenarioFile, "users.yaml");
        EXPECT_EQ(newest.seed, 18'446'744'073'709'551'615u);
        EXPECT_EQ(newest.engine, "expected");
        EXPECT_EQ(newest.version, SHARDSIM_VERSION);
        EXPECT_EQ(newest.ticks, 4);
        EXPECT_EQ(newest.nodes, 2);
        EXPECT_EQ(newest.tickStride, 1);
        EXPECT_DOUBLE_EQ(newest.requests, 4'000);
        EXPECT_EQ(newest.expectations, 2);
        EXPECT_EQ(newest.expectationsFailed, 1);
        EXPECT_FALSE(newest.expectationsHeld());
        EXPECT_TRUE(std::regex_match(newest.startedAt, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
            << newest.startedAt;
        EXPECT_GE(newest.finishedAt, newest.startedAt);
        EXPECT_EQ((*runs)[1].id, first);
        EXPECT_EQ((*runs)[1].seed, 7u);
        EXPECT_TRUE((*runs)[1].expectationsHeld());
    }

    TEST(RunHistory, GetReturnsTheScenarioTextOverridesSummaryAndNodes)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        const SyntheticRun run { .sourceText = "name: orders\n# ünïcode and 'quotes'\n",
            .overrides = { "a.b=1", "c=x y" } };
        const int64_t id = recordRun(history, run);

        auto details = history.get(id);
        ASSERT_TRUE(details) << details.error();
        ASSERT_TRUE(details->has_value());
        const RunDetails& stored = **details;
        EXPECT_EQ(stored.scenarioText, run.sourceText);
        EXPECT_EQ(stored.overrides, run.overrides);
        EXPECT_EQ(nlohmann::json::parse(stored.summaryJson)["requests"], 10'000);
        ASSERT_EQ(stored.nodes.size(), 3u);
        EXPECT_EQ(stored.nodes[2].name, "node-3");
        EXPECT_EQ(stored.nodes[1].region, "eu");

        auto missing = history.get(id + 100);
        ASSERT_TRUE(missing) << missing.error();
        EXPECT_FALSE(missing->has_value());
    }

    TEST(RunHistory, NodeTicksComeBackExactlyInTickThenNodeOrder)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        const SyntheticRun run;
        const int64_t id = recordRun(history, run);
        auto rows = history.nodeTicks(id);
        ASSERT_TRUE(rows) << rows.error();
        ASSERT_EQ(rows->size(), static_cast<size_t>(run.ticks * run.nodes));
        for (size_t i = 0; i < rows->size(); ++i) {
            const StoredNodeTick& row = (*rows)[i];
            ASSERT_EQ(row.tick, static_cast<int64_t>(i) / run.nodes);
            ASSERT_EQ(row.node, static_cast<int>(i) % run.nodes);
            const NodeTick expected = syntheticTick(row.tick, row.node);
            EXPECT_EQ(row.values.qps, expected.qps);
            EXPECT_EQ(row.values.utilization, expected.utilization);
            EXPECT_EQ(row.values.meanLatencyMs, expected.meanLatencyMs);
            EXPECT_EQ(row.values.p99LatencyMs, expected.p99LatencyMs);
            EXPECT_EQ(row.values.shedQps, expected.shedQps);
            EXPECT_EQ(row.values.servedQps, expected.servedQps);
            EXPECT_EQ(row.values.queued, expected.queued);
            EXPECT_EQ(row.values.p50LatencyMs, expected.p50LatencyMs);
            EXPECT_EQ(row.values.p95LatencyMs, expected.p95LatencyMs);
            EXPECT_EQ(row.values.p999LatencyMs, expected.p999LatencyMs);
            EXPECT_EQ(row.values.rows, expected.rows);
            EXPECT_EQ(row.values.bytes, expected.bytes);
        }
    }

    TEST(RunHistory, TheClusterSeriesKeepsServedQueuedAndEveryPercentile)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        const SyntheticRun run { .ticks = 4, .nodes = 2 };
        HistorySink sink(history, scenarioOf(run), syntheticSummary);
        sink.onStart(RunStart { run.scenario, run.seed, EngineMode::Expected, run.ticks, 1.0, {}, nodeSummaries(2) });
        const auto clusterTick = [](int64_t tick) {
            ClusterTick values;
            values.time = static_cast<double>(tick);
            values.qps = 1'000 + static_cast<double>(tick);
            values.servedQps = 900 + static_cast<double>(tick);
            values.shedQps = 60;
            values.queued = 40.0 * static_cast<double>(tick);
            values.p50LatencyMs = 1.5;
            values.p95LatencyMs = 2.5 + static_cast<double>(tick);
            values.p99LatencyMs = 4.5 + static_cast<double>(tick);
            values.p999LatencyMs = 9.5 + static_cast<double>(tick);
            return values;
        };
        const std::vector<NodeTick> nodes { syntheticTick(0, 0), syntheticTick(0, 1) };
        for (int64_t tick = 0; tick < run.ticks; ++tick)
            sink.onTick(tick, clusterTick(tick), nodes);
        sink.onFinish(resultOf(run));
        ASSERT_TRUE(sink.runId()) << sink.error();

        auto details = history.get(*sink.runId());
        ASSERT_TRUE(details && details->has_value());
        const auto& cluster = (*details)->cluster;
        ASSERT_EQ(cluster.size(), 4u);
        for (int64_t tick = 0; tick < run.ticks; ++tick) {
            const ClusterTick& stored = cluster[static_cast<size_t>(tick)].values;
            const ClusterTick expected = clusterTick(tick);
            EXPECT_EQ(stored.servedQps, expected.servedQps);
            EXPECT_EQ(stored.queued, expected.queued);
            EXPECT_EQ(stored.p50LatencyMs, expected.p50LatencyMs);
            EXPECT_EQ(stored.p95LatencyMs, expected.p95LatencyMs);
            EXPECT_EQ(stored.p99LatencyMs, expected.p99LatencyMs);
            EXPECT_EQ(stored.p999LatencyMs, expected.p999LatencyMs);
        }
    }

    TEST(RunHistory, NanIsStoredAsNullAndReadBackAsNan)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        const int64_t id = recordRun(history, SyntheticRun { .ticks = 1, .nodes = 1 }, [](int64_t, int) {
            NodeTick values;
            values.p99LatencyMs = std::nan("");
            values.utilization = std::numeric_limits<double>::infinity();
            return values;
        });
        auto rows = history.nodeTicks(id);
        ASSERT_TRUE(rows) << rows.error();
        ASSERT_EQ(rows->size(), 1u);
        EXPECT_TRUE(std::isnan(rows->front().values.p99LatencyMs));
        EXPECT_EQ(rows->front().values.utilization, std::numeric_limits<double>::infinity());
    }

    TEST(RunHistory, ExportedCsvIsByteForByteTheRunsNodesCsv)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        const SyntheticRun run { .ticks = 50, .nodes = 4 };
        auto csv = NodesCsvSink::open((dir / "nodes.csv").string());
        ASSERT_TRUE(csv) << csv.error();
        HistorySink sink(history, scenarioOf(run), syntheticSummary);
        TeeSink both(**csv, sink);
        startAndTick(both, run, syntheticTick);
        both.onFinish(resultOf(run));
        csv->reset();
        ASSERT_TRUE(sink.runId());

        auto details = history.get(*sink.runId());
        ASSERT_TRUE(details && details->has_value());
        std::FILE* out = std::fopen((dir / "export.csv").c_str(), "w");
        ASSERT_NE(out, nullptr);
        auto written = writeNodeTicksCsv(history, **details, out);
        std::fclose(out);
        ASSERT_TRUE(written) << written.error();
        EXPECT_EQ(*written, 200);
        EXPECT_EQ(readFile(dir / "export.csv"), readFile(dir / "nodes.csv"));
    }

    TEST(RunHistory, JsonBundleHoldsTheRunAndEveryStoredColumn)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        const int64_t id = recordRun(history, SyntheticRun { .ticks = 3, .nodes = 2 });
        auto details = history.get(id);
        ASSERT_TRUE(details && details->has_value());
        std::FILE* out = std::fopen((dir / "bundle.json").c_str(), "w");
        ASSERT_NE(out, nullptr);
        ASSERT_TRUE(writeRunBundleJson(history, **details, out));
        std::fclose(out);

        const auto bundle = nlohmann::json::parse(readFile(dir / "bundle.json"));
        EXPECT_EQ(bundle["id"], id);
        EXPECT_EQ(bundle["summary"]["requests"], 3'000);
        EXPECT_EQ(bundle["node_ticks"]["columns"][5], "p99_latency_ms");
        EXPECT_EQ(bundle["node_ticks"]["columns"][13], "p999_latency_ms");
        ASSERT_EQ(bundle["node_ticks"]["rows"].size(), 6u);
        const auto& last = bundle["node_ticks"]["rows"][5];
        EXPECT_EQ(last[0], 2);
        EXPECT_EQ(last[1], "node-2");
        EXPECT_EQ(last[5], syntheticTick(2, 1).p99LatencyMs);
        EXPECT_EQ(last[9], syntheticTick(2, 1).servedQps);
        EXPECT_EQ(last[10], syntheticTick(2, 1).queued);
        EXPECT_EQ(last[13], syntheticTick(2, 1).p999LatencyMs);
        const auto& columns = bundle["cluster_ticks"]["columns"];
        for (const char* column : { "served_qps", "queued", "p95_latency_ms", "p999_latency_ms" })
            EXPECT_NE(std::find(columns.begin(), columns.end(), column), columns.end()) << column;
    }

    TEST(RunHistory, RemoveDeletesTheRunWithItsRowsAndNeverReusesItsId)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        RunHistory history = mustOpen(path);
        const int64_t kept = recordRun(history, SyntheticRun {});
        const int64_t removed = recordRun(history, SyntheticRun { .scenario = "gone" });

        auto result = history.remove(removed);
        ASSERT_TRUE(result) << result.error();
        EXPECT_TRUE(*result);
        EXPECT_FALSE(history.get(removed)->has_value());
        EXPECT_EQ(history.list()->size(), 1u);
        EXPECT_EQ(querySqlite(path, "SELECT count(*) FROM node_ticks WHERE run_id = " + std::to_string(removed)), "0");
        EXPECT_EQ(querySqlite(path, "SELECT count(*) FROM run_nodes WHERE run_id = " + std::to_string(removed)), "0");
        EXPECT_EQ(history.nodeTicks(kept)->size(), 30u);

        EXPECT_FALSE(*history.remove(removed));
        EXPECT_GT(recordRun(history, SyntheticRun {}), removed);
    }

    TEST(RunHistory, LongRunsAreStoredInWindowsOfMeanRatesWorstLatenciesAndTheLatestStorage)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        const SyntheticRun run { .ticks = 5'000, .nodes = 2 };
        ASSERT_EQ(historyTickStride(run.ticks, run.nodes), 3);
        const int64_t id = recordRun(history, run, [](int64_t tick, int node) {
            NodeTick values = syntheticTick(tick, node);
            if (tick == 4) // the middle of window [3, 6)
                values.qps = 1e6;
            return values;
        });
        EXPECT_EQ(history.list()->front().tickStride, 3);
        auto rows = history.nodeTicks(id);
        ASSERT_TRUE(rows) << rows.error();
        ASSERT_EQ(rows->size(), 2u * 1'667); // ceil(5000 / 3) windows per node
        const StoredNodeTick& spike = (*rows)[2];
        EXPECT_EQ(spike.tick, 3);
        EXPECT_EQ(spike.node, 0);
        // The window's mean, so the node's requests add up; its peak is the run summary's peak_qps.
        EXPECT_DOUBLE_EQ(spike.values.qps, (syntheticTick(3, 0).qps + 1e6 + syntheticTick(5, 0).qps) / 3);
        EXPECT_EQ(spike.values.p99LatencyMs, syntheticTick(5, 0).p99LatencyMs); // rising: the window's last
        EXPECT_DOUBLE_EQ(spike.values.servedQps,
            (syntheticTick(3, 0).servedQps + syntheticTick(4, 0).servedQps + syntheticTick(5, 0).servedQps) / 3);
        EXPECT_EQ(spike.values.p999LatencyMs, syntheticTick(5, 0).p999LatencyMs);
        EXPECT_EQ(spike.values.rows, syntheticTick(5, 0).rows);
        const StoredNodeTick& lastWindow = rows->back(); // a partial window: tick 4998 and 4999
        EXPECT_EQ(lastWindow.tick, 4'998);
        EXPECT_EQ(lastWindow.values.rows, syntheticTick(4'999, 1).rows);
    }

    TEST(RunHistory, TheTickCapBoundsTheRowsOfAnyRun)
    {
        EXPECT_EQ(historyTickStride(2'000, 125), 1);
        EXPECT_EQ(historyTickStride(2'001, 125), 2);
        EXPECT_EQ(historyTickStride(2'000, 126), 2); // 250,000 rows / 126 nodes = 1,984 windows
        for (const auto& [ticks, nodes] : std::vector<std::pair<int64_t, int64_t>> {
                 { 86'400, 1'024 }, { 10'000'000, 1 }, { 10'000'000, 100'000 }, { 3, 1'000'000 } }) {
            const int64_t stride = historyTickStride(ticks, nodes);
            const int64_t windows = (ticks + stride - 1) / stride;
            EXPECT_LE(windows, kHistoryMaxStoredTicks) << ticks << " ticks, " << nodes << " nodes";
            if (nodes <= kHistoryMaxStoredNodeTicks) {
                EXPECT_LE(windows * nodes, kHistoryMaxStoredNodeTicks) << ticks << " ticks, " << nodes << " nodes";
            }
        }
    }

    TEST(RunHistory, ARunThatNeverFinishesLeavesNoTrace)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        RunHistory history = mustOpen(path);
        const int64_t before = recordRun(history, SyntheticRun {});
        {
            HistorySink abandoned(history, scenarioOf(SyntheticRun {}), syntheticSummary);
            startAndTick(abandoned, SyntheticRun { .scenario = "abandoned", .ticks = 500 }, syntheticTick);
        }
        ASSERT_EQ(history.list()->size(), 1u);
        EXPECT_EQ(history.list()->front().id, before);
        EXPECT_EQ(querySqlite(path, "SELECT count(*) FROM node_ticks"), "30");
        // The staging of the abandoned run does not leak into the next one.
        const int64_t after = recordRun(history, SyntheticRun { .ticks = 2, .nodes = 1 });
        EXPECT_EQ(history.nodeTicks(after)->size(), 2u);
    }

    TEST(RunHistory, ARunBeingRecordedDoesNotBlockOtherWritersOrReaders)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        RunHistory first = mustOpen(path);
        RunHistory second = mustOpen(path);
        const SyntheticRun slow { .scenario = "slow", .ticks = 100 };
        HistorySink sink(first, scenarioOf(slow), syntheticSummary);
        startAndTick(sink, slow, syntheticTick);

        // Another process's whole run, a list and a delete, while the first run is still going.
        const int64_t other = recordRun(second, SyntheticRun { .scenario = "quick" });
        EXPECT_EQ(second.list()->size(), 1u);
        EXPECT_TRUE(*second.remove(recordRun(second, SyntheticRun {})));

        sink.onFinish(resultOf(slow));
        ASSERT_TRUE(sink.runId()) << sink.error();
        auto runs = second.list();
        ASSERT_EQ(runs->size(), 2u);
        EXPECT_EQ(runs->front().scenario, "slow");
        EXPECT_EQ(runs->back().id, other);
        EXPECT_EQ(second.nodeTicks(*sink.runId())->size(), 300u);
    }

    TEST(RunHistory, ASinkCanRecordOneRunAfterAnother)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        HistorySink sink(history, scenarioOf(SyntheticRun {}), syntheticSummary);
        for (int64_t ticks : { 5, 7 }) {
            const SyntheticRun run { .ticks = ticks, .nodes = 1 };
            startAndTick(sink, run, syntheticTick);
            sink.onFinish(resultOf(run));
            ASSERT_TRUE(sink.runId()) << sink.error();
            EXPECT_EQ(history.nodeTicks(*sink.runId())->size(), static_cast<size_t>(ticks));
        }
    }

    TEST(RunHistory, ASummaryThatFailsIsReportedAndNothingIsStored)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        HistorySink sink(history, scenarioOf(SyntheticRun {}),
            [](const RunResult&) -> std::string { throw std::runtime_error("no summary today"); });
        startAndTick(sink, SyntheticRun {}, syntheticTick);
        sink.onFinish(resultOf(SyntheticRun {}));
        EXPECT_FALSE(sink.runId());
        EXPECT_NE(sink.error().find("no summary today"), std::string::npos) << sink.error();
        EXPECT_TRUE(history.list()->empty());
    }

    TEST(RunHistory, OtherFilesAreRefusedWithTheirPathAndLeftUntouched)
    {
        ScratchDir dir;
        const auto text = dir / "notes.txt";
        const std::string notes = "these are my notes, not a database\n";
        writeFile(text, notes);
        auto opened = RunHistory::open(text);
        ASSERT_FALSE(opened);
        EXPECT_NE(opened.error().find(text.string()), std::string::npos) << opened.error();
        EXPECT_NE(opened.error().find("not an SQLite database"), std::string::npos) << opened.error();
        EXPECT_EQ(readFile(text), notes);

        const auto foreign = dir / "foreign.sqlite";
        ASSERT_EQ(querySqlite(foreign, "CREATE TABLE accounts (id INTEGER)"), "");
        auto refused = RunHistory::open(foreign);
        ASSERT_FALSE(refused);
        EXPECT_NE(refused.error().find("not a shardsim run history"), std::string::npos) << refused.error();
        EXPECT_EQ(querySqlite(foreign, "SELECT count(*) FROM sqlite_schema"), "1");

        auto directory = RunHistory::open(dir.path());
        ASSERT_FALSE(directory);
        EXPECT_NE(directory.error().find("is a directory"), std::string::npos) << directory.error();
    }

    TEST(RunHistory, AFileFromANewerBuildIsRefused)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        mustOpen(path);
        querySqlite(path, "UPDATE schema_version SET version = 99");
        auto opened = RunHistory::open(path);
        ASSERT_FALSE(opened);
        EXPECT_NE(opened.error().find("newer shardsim (schema version 99"), std::string::npos) << opened.error();
    }

    // Every released schema version must open in this build, with its runs.
    TEST(RunHistory, FilesAtEveryOlderSchemaVersionAreMigratedOnOpen)
    {
        const auto migrations = historyMigrations();
        for (size_t released = 0; released < migrations.size(); ++released) {
            ScratchDir dir;
            const auto path = dir / "history.sqlite";
            sqlite3* db = nullptr;
            ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
            auto older = migrateSchema(db, migrations.first(released));
            sqlite3_close(db);
            ASSERT_TRUE(older) << older.error();
            ASSERT_EQ(*older, released == 0 ? 0 : migrations[released - 1].version);

            RunHistory history = mustOpen(path);
            EXPECT_EQ(history.schemaVersion(), latestSchemaVersion());
            const int64_t id = recordRun(history, SyntheticRun {});
            EXPECT_EQ(history.nodeTicks(id)->size(), 30u);
        }
    }

    // A history written before the service model (schema version 2) with a run in it: it opens, the run keeps what
    // was stored and says what was not (NaN), and new runs are recorded with every column.
    TEST(RunHistory, AVersionTwoHistoryOpensWithItsRunsAndGainsTheServiceColumns)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        {
            sqlite3* db = nullptr;
            ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
            auto older = migrateSchema(db, historyMigrations().first(2));
            sqlite3_close(db);
            ASSERT_TRUE(older) << older.error();
            ASSERT_EQ(*older, 2);
        }
        for (const char* sql :
            { "INSERT INTO runs (id, started_at, finished_at, scenario_name, scenario_file, scenario_text, overrides, "
              "seed, engine, version, ticks, tick_seconds, tick_stride, nodes, requests, cancelled, expectations, "
              "expectations_failed, summary_json, cluster_tick_stride) VALUES (7, '2026-01-01T00:00:00Z', "
              "'2026-01-01T00:00:01Z', 'old', 'old.yaml', 'name: old', '[]', 1, 'expected', '1.0', 2, 1, 1, 1, 2000, "
              "0, 0, 0, '{\"scenario\":\"old\",\"p99_latency_ms\":9.2}', 1)",
                "INSERT INTO run_nodes VALUES (7, 0, 'node-1', '')",
                "INSERT INTO node_ticks VALUES (7, 0, 0, 1000, 0.1, 1.1, 9.2, 0, 5, 640)",
                "INSERT INTO node_ticks VALUES (7, 1, 0, 1000, 0.1, 1.1, 9.2, 0, 5, 640)",
                "INSERT INTO cluster_ticks (run_id, tick, ticks, time, qps, qps_min, qps_max, shed_qps, "
                "max_utilization, mean_utilization, p50_latency_ms, p99_latency_ms, max_over_mean, cv, gini, "
                "migration_bytes_per_second, down_nodes) VALUES (7, 0, 1, 0, 1000, 1000, 1000, 0, 0.1, 0.1, 1, 9.2, "
                "1, 0, 0, 0, 0)" })
            ASSERT_EQ(querySqlite(path, sql), "") << sql;

        RunHistory history = mustOpen(path);
        EXPECT_EQ(history.schemaVersion(), latestSchemaVersion());
        EXPECT_EQ(querySqlite(path, "SELECT version FROM schema_version"), std::to_string(latestSchemaVersion()));
        ASSERT_EQ(history.list()->size(), 1u);
        auto rows = history.nodeTicks(7);
        ASSERT_TRUE(rows) << rows.error();
        ASSERT_EQ(rows->size(), 2u);
        const NodeTick& old = rows->front().values;
        EXPECT_EQ(old.qps, 1000);
        EXPECT_EQ(old.p99LatencyMs, 9.2);
        EXPECT_TRUE(std::isnan(old.servedQps)) << "not stored by then, so not invented";
        EXPECT_TRUE(std::isnan(old.p999LatencyMs));
        auto details = history.get(7);
        ASSERT_TRUE(details && details->has_value()) << (details ? "" : details.error());
        ASSERT_EQ((*details)->cluster.size(), 1u);
        EXPECT_EQ((*details)->cluster.front().values.p99LatencyMs, 9.2);
        EXPECT_TRUE(std::isnan((*details)->cluster.front().values.queued));

        std::FILE* out = std::fopen((dir / "old.csv").c_str(), "w");
        ASSERT_NE(out, nullptr);
        auto written = writeNodeTicksCsv(history, **details, out);
        std::fclose(out);
        ASSERT_TRUE(written) << written.error();
        EXPECT_EQ(readFile(dir / "old.csv"),
            std::string(kNodesCsvHeader)
                + "0,1,node-1,1000,0.1,9.2,5,640,nan,0,nan,nan,nan,nan\n"
                  "1,1,node-1,1000,0.1,9.2,5,640,nan,0,nan,nan,nan,nan\n");

        const int64_t id = recordRun(history, SyntheticRun {});
        EXPECT_GT(id, 7);
        EXPECT_EQ(history.nodeTicks(id)->back().values.p999LatencyMs, syntheticTick(9, 2).p999LatencyMs);
    }

    TEST(SchemaMigrations, PendingStepsApplyInOrderKeepDataAndRollBackTogether)
    {
        ScratchDir dir;
        const auto path = dir / "migrations.sqlite";
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        const std::vector<Migration> steps {
            { 1, "CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);" },
            { 2, "ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'; CREATE TABLE u (c INTEGER);" },
            { 3, "CREATE TABLE v (d INTEGER); INSERT INTO no_such_table VALUES (1);" },
        };
        EXPECT_EQ(*migrateSchema(db, std::span(steps).first(1)), 1);
        EXPECT_EQ(*migrateSchema(db, std::span(steps).first(2)), 2);
        EXPECT_EQ(*migrateSchema(db, std::span(steps).first(2)), 2); // nothing left to do
        auto broken = migrateSchema(db, steps);
        sqlite3_close(db);
        ASSERT_FALSE(broken);
        EXPECT_NE(broken.error().find("schema version 3"), std::string::npos) << broken.error();
        EXPECT_NE(broken.error().find("no_such_table"), std::string::npos) << broken.error();

        EXPECT_EQ(querySqlite(path, "SELECT version FROM schema_version"), "2");
        EXPECT_EQ(querySqlite(path, "SELECT a || b FROM t"), "1x");
        EXPECT_EQ(querySqlite(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'v'"), "0");
    }

    TEST(RunHistory, DefaultPathFollowsXdgDataHomeThenHome)
    {
        const char* savedXdg = std::getenv("XDG_DATA_HOME");
        const char* savedHome = std::getenv("HOME");
        const std::string xdg = savedXdg ? savedXdg : "";
        const std::string home = savedHome ? savedHome : "";

        setenv("XDG_DATA_HOME", "/data/me", 1);
        setenv("HOME", "/home/me", 1);
        EXPECT_EQ(*defaultHistoryPath(), "/data/me/shardsim/history.sqlite");
        setenv("XDG_DATA_HOME", "relative/ignored", 1);
        EXPECT_EQ(*defaultHistoryPath(), "/home/me/.local/share/shardsim/history.sqlite");
        unsetenv("XDG_DATA_HOME");
        EXPECT_EQ(*defaultHistoryPath(), "/home/me/.local/share/shardsim/history.sqlite");
        unsetenv("HOME");
        EXPECT_FALSE(defaultHistoryPath());

        savedXdg ? setenv("XDG_DATA_HOME", xdg.c_str(), 1) : unsetenv("XDG_DATA_HOME");
        savedHome ? setenv("HOME", home.c_str(), 1) : unsetenv("HOME");
    }

} // namespace
} // namespace shardsim
