// RunHistory::load: a stored run comes back whole, as it ran (its summary through the summary codec, its cluster
// series, heat map, node capacity and node windows), and older files still reopen.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "history/schema_migrations.h"
#include "history/value_blob.h"
#include "history_test_support.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    using testing::mustOpen;
    using testing::querySqlite;
    using testing::ScratchDir;

    // Every tick as the engine streamed it: the reference the loaded windows are checked against.
    struct TickRecorder final : MetricsSink {
        std::vector<std::vector<NodeTick>> nodes;
        std::vector<ClusterTick> cluster;
        void onTick(int64_t, const ClusterTick& values, std::span<const NodeTick> ticks) override
        {
            cluster.push_back(values);
            nodes.emplace_back(ticks.begin(), ticks.end());
        }
    };

    TEST(HistoryLoad, ARecordedRunComesBackAsItRan)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        ScenarioLoad load = loadScenarioFile(SHARDSIM_SCENARIOS "/events/grow-8-to-16.yaml");
        ASSERT_TRUE(load.ok()) << load.errorText();
        HistorySink sink(history, *load.config, [](const RunResult& result) { return summaryJson(result).dump(); });
        TickRecorder ticks;
        RunOptions options;
        options.sinks = { &sink, &ticks };
        auto run = runSimulation(*load.config, options);
        ASSERT_TRUE(run) << run.error();
        ASSERT_TRUE(sink.runId()) << sink.error();

        auto loaded = history.load(*sink.runId());
        ASSERT_TRUE(loaded) << loaded.error();
        ASSERT_TRUE(loaded->has_value());
        const StoredRun& stored = **loaded;
        EXPECT_EQ(summaryJson(stored.result).dump(), summaryJson(*run).dump());
        ASSERT_FALSE(stored.result.migrations.empty()) << "the growth's copy, which reopened runs used to lose";
        EXPECT_EQ(stored.result.migrations[0].nodeInBytes, run->migrations[0].nodeInBytes);
        EXPECT_EQ(stored.result.queries.size(), 2u);
        EXPECT_EQ(stored.nodeMaxQps, load.config->cluster.node.maxQps);
        EXPECT_EQ(stored.scenarioText, load.config->sourceText);
        ASSERT_EQ(stored.nodes.size(), run->nodes.size());

        // The cluster series and the heat map as the run kept them.
        EXPECT_EQ(stored.result.clusterWindowTicks, run->clusterWindowTicks);
        ASSERT_EQ(stored.result.cluster.size(), run->cluster.size());
        for (size_t t = 0; t < run->cluster.size(); ++t) {
            EXPECT_EQ(stored.result.cluster[t].qps, run->cluster[t].qps) << t;
            EXPECT_EQ(stored.result.cluster[t].p99LatencyMs, run->cluster[t].p99LatencyMs) << t;
            EXPECT_EQ(stored.result.cluster[t].migrationBytesPerSecond, run->cluster[t].migrationBytesPerSecond) << t;
        }
        EXPECT_EQ(stored.result.heatmap.rate, run->heatmap.rate);

        // 60 ticks of a cluster growing from 8 to 16 nodes: one window per tick, holding that tick's nodes and cluster.
        EXPECT_EQ(stored.windowTicks, 1);
        ASSERT_EQ(stored.windows.size(), ticks.nodes.size());
        for (size_t t = 0; t < ticks.nodes.size(); ++t) {
            const RunWindow& window = stored.windows[t];
            EXPECT_EQ(window.firstTick, static_cast<int64_t>(t));
            EXPECT_EQ(window.ticks, 1);
            EXPECT_EQ(window.cluster.values.qps, ticks.cluster[t].qps);
            EXPECT_EQ(window.cluster.values.time, ticks.cluster[t].time);
            ASSERT_EQ(window.nodes.size(), ticks.nodes[t].size()) << t;
            for (size_t n = 0; n < window.nodes.size(); ++n) {
                EXPECT_EQ(window.nodes[n].qps, ticks.nodes[t][n].qps);
                EXPECT_EQ(window.nodes[n].p99LatencyMs, ticks.nodes[t][n].p99LatencyMs);
                EXPECT_EQ(window.nodes[n].bytes, ticks.nodes[t][n].bytes);
            }
        }
        EXPECT_EQ(stored.windows.back().nodes.size(), 16u);

        auto missing = history.load(*sink.runId() + 1);
        ASSERT_TRUE(missing) << missing.error();
        EXPECT_FALSE(missing->has_value());

        // Runs stored before schema version 4 kept the rates as float32, which still read.
        std::string hex;
        for (const unsigned char byte : float32Blob(run->heatmap.rate))
            hex += fmt::format("{:02X}", byte);
        ASSERT_EQ(querySqlite(history.path(), "UPDATE run_heatmaps SET rate = X'" + hex + "'"), "");
        auto narrowed = history.load(*sink.runId());
        ASSERT_TRUE(narrowed && narrowed->has_value()) << (narrowed ? "gone" : narrowed.error());
        ASSERT_EQ((*narrowed)->result.heatmap.rate.size(), run->heatmap.rate.size());
        EXPECT_EQ((*narrowed)->result.heatmap.rate[100], static_cast<double>(static_cast<float>(run->heatmap.rate[100])));
    }

    // Inserts run 7, stored by the build of schema version 3 (no node capacity), with this summary.
    void storeVersionThreeRun(const std::filesystem::path& path, const std::string& summary)
    {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        auto older = migrateSchema(db, historyMigrations().first(3));
        sqlite3_close(db);
        ASSERT_TRUE(older) << older.error();
        ASSERT_EQ(querySqlite(path,
                      "INSERT INTO runs (id, started_at, finished_at, scenario_name, scenario_file, scenario_text, "
                      "overrides, seed, engine, version, ticks, tick_seconds, tick_stride, nodes, requests, cancelled, "
                      "expectations, expectations_failed, summary_json, cluster_tick_stride) VALUES (7, "
                      "'2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', 'old', 'old.yaml', 'name: old', '[]', 1, "
                      "'expected', '1.0', 1, 1, 1, 1, 2000, 0, 0, 0, '"
                          + summary + "', 1)"),
            "");
    }

    TEST(HistoryLoad, ARunStoredBeforeTheNodeCapacityWasKeptTakesItFromItsServiceModel)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        storeVersionThreeRun(path,
            R"({"scenario":"old","service":{"servers":5,"servers_from":"max_qps x base_latency","service_time_ms":1}})");
        RunHistory history = mustOpen(path);
        auto loaded = history.load(7);
        ASSERT_TRUE(loaded && loaded->has_value()) << (loaded ? "no run 7" : loaded.error());
        EXPECT_DOUBLE_EQ((*loaded)->nodeMaxQps, 5'000) << "5 servers of 1 ms each";
        EXPECT_EQ((*loaded)->result.scenario, "old");
    }

    TEST(HistoryLoad, ASummaryThatDoesNotReadNamesTheRunAndTheField)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        storeVersionThreeRun(path, R"({"scenario":"old","nodes":[{"name":"node-1","requests":"lots"}]})");
        RunHistory history = mustOpen(path);
        auto loaded = history.load(7);
        ASSERT_FALSE(loaded);
        EXPECT_NE(loaded.error().find("run 7's summary: nodes[0].requests: expected a number, found the string "
                                      "\"lots\""),
            std::string::npos)
            << loaded.error();
        EXPECT_NE(loaded.error().find(path.string()), std::string::npos) << loaded.error();
    }

} // namespace
} // namespace shardsim
