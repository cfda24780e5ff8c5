// What the run history keeps so a reopened run draws the same pictures as when it ran: the heat map and the
// per-tick cluster series, read back from a real run of the scenario library; the downsampling of long runs;
// the portable byte layout; and a file from before they were kept, which must still open, migrate and reopen.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "history/schema_migrations.h"
#include "history/value_blob.h"
#include "history_test_support.h"
#include "recorded_run.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/history/history_export.h"
#include "shardsim/report/scenario_run.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    using namespace shardsim::testing;

    RunDetails mustGet(const RunHistory& history, int64_t id)
    {
        auto details = history.get(id);
        if (!details)
            throw std::runtime_error(details.error());
        if (!details->has_value())
            throw std::runtime_error("run " + std::to_string(id) + " is not stored");
        return **details;
    }

    // A cluster series whose every field differs per tick, with a spike at one tick, so a wrong aggregation shows.
    ClusterTick syntheticCluster(int64_t tick)
    {
        const double t = static_cast<double>(tick);
        ClusterTick cluster;
        cluster.time = 2.0 * t; // 2 s ticks
        cluster.qps = 1'000 + t + (tick == 50'001 ? 9'000 : 0);
        cluster.shedQps = tick % 10 == 0 ? 10 : 0;
        cluster.maxUtilization = 0.5 + 0.001 * static_cast<double>(tick % 97) + (tick == 50'001 ? 2 : 0);
        cluster.meanUtilization = 0.25;
        cluster.p50LatencyMs = 1 + 0.01 * static_cast<double>(tick % 13);
        cluster.p99LatencyMs = 5 + 0.01 * static_cast<double>(tick % 17);
        cluster.imbalance = Imbalance { 1 + 0.01 * static_cast<double>(tick % 7), 0.1, 0.05 };
        cluster.migrationBytesPerSecond = tick == 70'000 ? 1e9 : 0;
        cluster.downNodes = tick == 80'000 ? 1 : 0;
        return cluster;
    }

    // ---- A real run, stored and read back ---------------------------------------------------------------------------

    // drifting-hot-range: 2 days of 1 min ticks (2,880) on 5 range shards; its heat map has 1,440 time buckets
    // of 2 ticks and the rule's four shard boundaries, and its cluster series is stored in windows of 2 ticks.
    class StoredRealRun : public ::testing::Test {
    protected:
        static void SetUpTestSuite()
        {
            s_dir = new ScratchDir;
            s_history = new RunHistory(mustOpen(*s_dir / "history.sqlite"));
            s_result = new RunResult(runAndRecord(*s_history, "workload/drifting-hot-range.yaml", s_id));
        }
        static void TearDownTestSuite()
        {
            delete s_result;
            delete s_history;
            delete s_dir;
        }

        static ScratchDir* s_dir;
        static RunHistory* s_history;
        static RunResult* s_result;
        static int64_t s_id;
    };
    ScratchDir* StoredRealRun::s_dir = nullptr;
    RunHistory* StoredRealRun::s_history = nullptr;
    RunResult* StoredRealRun::s_result = nullptr;
    int64_t StoredRealRun::s_id = 0;

    TEST_F(StoredRealRun, TheHeatMapComesBackWithItsShapeAndEveryRateToFloatPrecision)
    {
        const RunDetails details = mustGet(*s_history, s_id);
        const HeatMap& live = s_result->heatmap;
        ASSERT_EQ(live.keyBuckets, 64);
        ASSERT_EQ(live.timeBuckets, 1'440);
        ASSERT_TRUE(details.heatmap.has_value());
        const HeatMap& stored = *details.heatmap;
        EXPECT_EQ(stored.table, "t_item");
        EXPECT_EQ(stored.keyMin, live.keyMin);
        EXPECT_EQ(stored.keyMax, live.keyMax);
        EXPECT_EQ(stored.keyBuckets, live.keyBuckets);
        EXPECT_EQ(stored.timeBuckets, live.timeBuckets);
        EXPECT_EQ(stored.secondsPerTimeBucket, 120.0);
        EXPECT_EQ(stored.shardBoundaries, live.shardBoundaries); // keys, stored exactly
        EXPECT_EQ(stored.shardBoundaries.size(), 4u);
        ASSERT_EQ(stored.rate.size(), live.rate.size());
        size_t lit = 0;
        for (size_t i = 0; i < live.rate.size(); ++i) {
            ASSERT_EQ(stored.rate[i], live.rate[i]) << "cell " << i;
            lit += live.rate[i] > 0 ? 1 : 0;
        }
        EXPECT_GT(lit, live.rate.size() / 2) << "a heat map of zeros proves nothing";
        // 8 bytes a cell in one value, not a row per cell.
        EXPECT_EQ(querySqlite(s_history->path(),
                      "SELECT length(rate) FROM run_heatmaps WHERE run_id = " + std::to_string(s_id)),
            std::to_string(8 * 64 * 1'440));
    }

    // The run keeps its cluster series in the windows the history stores (tests/core/test_tick_windows.cpp checks
    // the merging against every tick), so the stored windows are the live ones, number for number.
    TEST_F(StoredRealRun, TheClusterSeriesComesBackAsTheRunsOwnWindowsOfTwoTicks)
    {
        const RunDetails details = mustGet(*s_history, s_id);
        const std::vector<ClusterTick>& live = s_result->cluster;
        ASSERT_EQ(live.size(), 1'440u);
        EXPECT_EQ(s_result->clusterWindowTicks, 2);
        EXPECT_EQ(details.record.clusterTickStride, 2);
        ASSERT_EQ(details.cluster.size(), 1'440u);
        for (size_t w = 0; w < details.cluster.size(); ++w) {
            const StoredClusterTick& stored = details.cluster[w];
            const ClusterTick& a = live[w];
            ASSERT_EQ(stored.tick, static_cast<int64_t>(2 * w));
            ASSERT_EQ(stored.ticks, 2);
            EXPECT_EQ(stored.values.time, a.time);
            EXPECT_EQ(stored.values.qps, a.qps);
            EXPECT_LE(stored.qpsMin, a.qps);
            EXPECT_GE(stored.qpsMax, a.qps);
            EXPECT_EQ(stored.values.shedQps, a.shedQps);
            EXPECT_EQ(stored.values.meanUtilization, a.meanUtilization);
            EXPECT_EQ(stored.values.maxUtilization, a.maxUtilization);
            EXPECT_EQ(stored.values.p99LatencyMs, a.p99LatencyMs);
            EXPECT_EQ(stored.values.p50LatencyMs, a.p50LatencyMs);
            EXPECT_EQ(stored.values.imbalance.maxOverMean, a.imbalance.maxOverMean);
        }
        // The run's busiest moment and its worst imbalance survive the windows.
        const auto busiest = std::max_element(details.cluster.begin(), details.cluster.end(),
            [](const auto& x, const auto& y) { return x.qpsMax < y.qpsMax; });
        EXPECT_EQ(busiest->qpsMax, s_result->peak.qps);
        double worstStored = 0;
        for (const StoredClusterTick& stored : details.cluster)
            worstStored = std::max(worstStored, stored.values.imbalance.maxOverMean);
        double worstLive = 0;
        for (const ClusterTick& tick : live)
            worstLive = std::max(worstLive, tick.imbalance.maxOverMean);
        EXPECT_EQ(worstStored, worstLive);
        EXPECT_GT(worstLive, 4.0) << "the hot range sits on one of five nodes";
    }

    TEST_F(StoredRealRun, TheJsonExportHasTheHeatMapsShapeAndTheClusterSeries)
    {
        const RunDetails details = mustGet(*s_history, s_id);
        const auto shown = runDetailsJson(details);
        EXPECT_EQ(shown["cluster_tick_stride"], 2);
        EXPECT_EQ(shown["heatmap"]["table"], "t_item");
        EXPECT_EQ(shown["heatmap"]["key_buckets"], 64);
        EXPECT_EQ(shown["heatmap"]["time_buckets"], 1'440);
        EXPECT_EQ(shown["heatmap"]["shard_boundaries"].size(), 4u);
        EXPECT_FALSE(shown.contains("cluster_ticks")) << "show stays short";

        char* buffer = nullptr;
        size_t size = 0;
        std::FILE* out = open_memstream(&buffer, &size);
        ASSERT_NE(out, nullptr);
        ASSERT_TRUE(writeRunBundleJson(*s_history, details, out));
        std::fclose(out);
        const auto bundle = nlohmann::json::parse(std::string(buffer, size));
        std::free(buffer);
        const auto& cluster = bundle["cluster_ticks"];
        ASSERT_EQ(cluster["rows"].size(), 1'440u);
        ASSERT_EQ(cluster["columns"].size(), cluster["rows"][0].size());
        EXPECT_EQ(cluster["columns"][5], "qps_max");
        EXPECT_EQ(cluster["rows"][10][5].get<double>(), details.cluster[10].qpsMax);
        EXPECT_EQ(bundle["node_ticks"]["rows"].size(), 1'440u * 5); // node ticks in windows of 2 ticks too
        EXPECT_EQ(bundle["heatmap"]["time_buckets"], 1'440);
    }

    // ---- Long runs --------------------------------------------------------------------------------------------------

    // A day of 1 s ticks stores 1,964 windows of 44 ticks (86,400 / 2,000 rounded up), the last one 28 ticks long.
    TEST(HistoryClusterSeries, ADayOfTicksIsStoredInAtMostTwoThousandWindowsThatKeepPeaksAndRequests)
    {
        EXPECT_EQ(historyClusterTickStride(2'000), 1);
        EXPECT_EQ(historyClusterTickStride(2'001), 2);
        EXPECT_EQ(historyClusterTickStride(86'400), 44);

        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        const SyntheticRun run { .ticks = 86'400, .nodes = 1 };
        HistorySink sink(history, scenarioOf(run), syntheticSummary);
        sink.onStart(RunStart { run.scenario, run.seed, EngineMode::Expected, run.ticks, 2.0, {}, nodeSummaries(1) });
        double qpsTotal = 0;
        for (int64_t tick = 0; tick < run.ticks; ++tick) {
            const NodeTick node = syntheticTick(tick, 0);
            const ClusterTick cluster = syntheticCluster(tick);
            qpsTotal += cluster.qps;
            sink.onTick(tick, cluster, std::span(&node, 1));
        }
        sink.onFinish(resultOf(run));
        ASSERT_TRUE(sink.runId()) << sink.error();

        const RunDetails details = mustGet(history, *sink.runId());
        EXPECT_EQ(details.record.clusterTickStride, 44);
        ASSERT_EQ(details.cluster.size(), 1'964u);
        EXPECT_EQ(querySqlite(history.path(), "SELECT count(*) FROM cluster_ticks"), "1964");
        const StoredClusterTick& last = details.cluster.back();
        EXPECT_EQ(last.tick, 1'963 * 44);
        EXPECT_EQ(last.ticks, 28);
        EXPECT_EQ(last.values.time, 2.0 * 1'963 * 44);

        // Tick 50,001 (window 1,136, ticks 49,984..50,027) spikes by 9,000/s to 254.6% utilisation: the window keeps
        // the spike as its maximum and spreads it over its 44 ticks in its mean.
        const StoredClusterTick& spike = details.cluster[50'001 / 44];
        EXPECT_EQ(spike.tick, 49'984);
        EXPECT_EQ(spike.qpsMax, 1'000 + 50'001 + 9'000);
        EXPECT_EQ(spike.qpsMin, 1'000 + 49'984);
        EXPECT_DOUBLE_EQ(spike.values.qps, 1'000 + (49'984 + 50'027) / 2.0 + 9'000 / 44.0);
        EXPECT_DOUBLE_EQ(spike.values.maxUtilization, 0.5 + 0.001 * 46 + 2); // 50,001 is 46 mod 97
        EXPECT_EQ(spike.values.shedQps, 10.0 * 4 / 44); // 49,990 .. 50,020 are multiples of 10: 4 of them
        EXPECT_EQ(details.cluster[70'000 / 44].values.migrationBytesPerSecond, 1e9);
        EXPECT_EQ(details.cluster[80'000 / 44].values.downNodes, 1);
        // Means weighted by their windows' ticks give back every request of the run.
        double stored = 0;
        for (const StoredClusterTick& window : details.cluster)
            stored += window.values.qps * static_cast<double>(window.ticks);
        EXPECT_NEAR(stored, qpsTotal, qpsTotal * 1e-12);
    }

    // ---- The byte layout ----------------------------------------------------------------------------------------

    TEST(HistoryValueBlobs, AreLittleEndianIeeeWhateverTheMachine)
    {
        const std::vector<double> values { 1.0, -2.5, 0.1 };
        EXPECT_EQ(float32Blob(values), std::string("\x00\x00\x80\x3f\x00\x00\x20\xc0\xcd\xcc\xcc\x3d", 12));
        EXPECT_EQ(float64Blob(std::vector<double> { 1.0 }), std::string("\x00\x00\x00\x00\x00\x00\xf0\x3f", 8));
        EXPECT_EQ(*float64BlobValues(float64Blob(values)), values);
        const auto narrowed = *float32BlobValues(float32Blob(values));
        EXPECT_EQ(narrowed[1], -2.5);
        EXPECT_EQ(narrowed[2], static_cast<double>(0.1f));
        EXPECT_FALSE(float32BlobValues(std::string(7, '\0')));
        EXPECT_TRUE(float32BlobValues(std::string())->empty());
        EXPECT_TRUE(std::isinf(float32BlobValues(float32Blob(std::vector<double> { 1e300 }))->front()));
    }

    // ---- A file from before ---------------------------------------------------------------------------------------

    // A schema-version-1 file with a run, written as that version's shardsim wrote it.
    void writeVersionOneFile(const std::filesystem::path& path)
    {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        auto version = migrateSchema(db, historyMigrations().first(1));
        ASSERT_TRUE(version) << version.error();
        ASSERT_EQ(*version, 1);
        const char* run = R"sql(
INSERT INTO runs (started_at, finished_at, scenario_name, scenario_file, scenario_text, overrides, seed, engine,
    version, ticks, tick_seconds, tick_stride, nodes, requests, cancelled, expectations, expectations_failed,
    summary_json)
VALUES ('2024-05-01T12:00:00Z', '2024-05-01T12:00:01Z', 'old', 'old.yaml', 'name: old\n', '[]', 5, 'expected',
    '0.9.0', 2, 1.0, 1, 2, 400.0, 0, 0, 0, '{"scenario":"old"}');
INSERT INTO run_nodes VALUES (1, 0, 'node-1', ''), (1, 1, 'node-2', '');
INSERT INTO node_ticks VALUES (1, 0, 0, 100, 0.1, 1, 2, 0, 10, 1000), (1, 0, 1, 100, 0.1, 1, 2, 0, 10, 1000),
    (1, 1, 0, 100, 0.1, 1, 2, 0, 10, 1000), (1, 1, 1, 100, 0.1, 1, 2, 0, 10, 1000);
)sql";
        char* message = nullptr;
        ASSERT_EQ(sqlite3_exec(db, run, nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "");
        sqlite3_close(db);
    }

    TEST(HistoryMigration, AVersionOneFileIsMigratedAndItsRunsReopenWithoutPictures)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        writeVersionOneFile(path);
        ASSERT_EQ(querySqlite(path, "SELECT version FROM schema_version"), "1");

        RunHistory history = mustOpen(path);
        const int latest = historyMigrations().back().version; // through every later version
        EXPECT_EQ(history.schemaVersion(), latest);
        EXPECT_EQ(querySqlite(path, "SELECT version FROM schema_version"), std::to_string(latest));
        const RunDetails old = mustGet(history, 1);
        EXPECT_EQ(old.record.scenario, "old");
        EXPECT_EQ(old.record.clusterTickStride, 0) << "0 marks a run stored before the cluster series was kept";
        EXPECT_FALSE(old.heatmap.has_value());
        EXPECT_TRUE(old.cluster.empty());
        EXPECT_EQ(history.nodeTicks(1)->size(), 4u);
        EXPECT_EQ(history.nodeTicks(1)->front().values.p99LatencyMs, 2);
        EXPECT_TRUE(std::isnan(history.nodeTicks(1)->front().values.servedQps)) << "not stored by version 1";
        EXPECT_TRUE(runDetailsJson(old)["heatmap"].is_null());

        // A run recorded after the migration has both, and deleting it takes them along.
        SyntheticRun run;
        HistorySink sink(history, scenarioOf(run), syntheticSummary);
        startAndTick(sink, run, syntheticTick);
        RunResult result = resultOf(run);
        result.heatmap = HeatMap { "t_user", 1, 100, 2, 3, 1.0, { 1, 2, 3, 4, 5, 6 }, { 50 } };
        sink.onFinish(result);
        ASSERT_TRUE(sink.runId()) << sink.error();
        const RunDetails recorded = mustGet(history, *sink.runId());
        EXPECT_EQ(recorded.record.clusterTickStride, 1);
        EXPECT_EQ(recorded.cluster.size(), 10u);
        ASSERT_TRUE(recorded.heatmap.has_value());
        EXPECT_EQ(recorded.heatmap->rate, (std::vector<double> { 1, 2, 3, 4, 5, 6 }));
        EXPECT_EQ(recorded.heatmap->shardBoundaries, std::vector<double> { 50 });
        ASSERT_TRUE(history.remove(*sink.runId()));
        EXPECT_EQ(querySqlite(path, "SELECT count(*) FROM run_heatmaps"), "0");
        EXPECT_EQ(querySqlite(path, "SELECT count(*) FROM cluster_ticks"), "0");
    }

    TEST(HistoryMigration, ARunWithoutAHeatMapStoresNoneAndADamagedOneIsAnError)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        const int64_t id = recordRun(history, SyntheticRun {}); // resultOf() has no heat map
        EXPECT_FALSE(mustGet(history, id).heatmap.has_value());
        EXPECT_EQ(mustGet(history, id).record.clusterTickStride, 1);

        querySqlite(history.path(),
            "INSERT INTO run_heatmaps VALUES (" + std::to_string(id) + ", 't', 1, 10, 4, 4, 1.0, zeroblob(60), x'')");
        auto damaged = history.get(id);
        ASSERT_FALSE(damaged);
        EXPECT_NE(damaged.error().find("stored heat map is damaged (4 x 4 buckets, 60 bytes"), std::string::npos)
            << damaged.error();
    }

} // namespace
} // namespace shardsim
