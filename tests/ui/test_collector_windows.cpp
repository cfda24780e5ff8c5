// The desktop app's windows of a run, live and reopened from the history, for a run whose node windows each hold
// several cluster windows (300 nodes, 3,000 ticks: cluster windows of 2 ticks, node windows of 4): the same
// windows with the same numbers, and node rates that are the window's means, not its peaks.

#include <gtest/gtest.h>

#include <QTemporaryDir>

#include "models/history_snapshot.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/history/history_sink.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/scenario/scenario_reader.h"
#include "workers/run_collector.h"

namespace shardsim::ui {
namespace {

    struct NodeQpsSink final : MetricsSink {
        std::vector<double> firstNode; // node-1's qps at every tick
        void onTick(int64_t, const ClusterTick&, std::span<const NodeTick> nodes) override
        {
            firstNode.push_back(nodes[0].qps);
        }
    };

    TEST(CollectorWindows, LiveAndReopenedWindowsAreTheSameWhenTheyHoldSeveralClusterWindows)
    {
        QTemporaryDir directory;
        ScenarioLoad load = loadScenarioText(R"(
name: three-hundred
duration: 3000s
tick: 1s
cluster: { nodes: 300, node: { max_qps: 2K } }
data: { tables: [ { name: t_user, key: uid, rows: 3M } ] }
sharding: { rule: "hash-mod:n=300" }
workload:
  rate: { shape: diurnal, base: 100K/s, peak: 3x, peak_hour: 6 }
  keys: { distribution: zipf, theta: 0.8 }
)",
            "three-hundred.yaml", "");
        ASSERT_TRUE(load.ok()) << load.errorText();
        auto history = RunHistory::open(directory.filePath("history.sqlite").toStdString());
        ASSERT_TRUE(history) << history.error();
        HistorySink sink(*history, *load.config, [](const RunResult& result) { return summaryJson(result).dump(); });
        RunCollector collector(load.config->tickCount(), load.config->tick, load.config->cluster.node.maxQps, 300);
        NodeQpsSink ticks;
        RunOptions options;
        options.engine = EngineMode::Expected;
        options.sinks = { &collector, &sink, &ticks };
        ASSERT_TRUE(runSimulation(*load.config, options));
        ASSERT_TRUE(sink.runId()) << sink.error();
        const auto live = collector.snapshot();
        EXPECT_EQ(live->windowTicks, 4);
        ASSERT_EQ(live->windows.size(), 750u);

        auto reopened = reopenRun(*history, *sink.runId(), ChartRequest {}, 1);
        ASSERT_TRUE(reopened) << reopened.error();
        const RunSnapshot& stored = *reopened->snapshot;
        EXPECT_EQ(stored.windowTicks, 4);
        ASSERT_EQ(stored.windows.size(), live->windows.size());
        for (size_t w = 0; w < live->windows.size(); ++w) {
            const TickWindow& a = *live->windows[w];
            const TickWindow& b = *stored.windows[w];
            ASSERT_EQ(b.firstTick, a.firstTick) << w;
            ASSERT_EQ(b.time, a.time) << w;
            ASSERT_EQ(b.clusterQps, a.clusterQps) << w;
            ASSERT_EQ(b.clusterQpsMin, a.clusterQpsMin) << w;
            ASSERT_EQ(b.clusterQpsMax, a.clusterQpsMax) << w;
            ASSERT_EQ(b.maxUtilization, a.maxUtilization) << w;
            ASSERT_EQ(b.clusterShedQps, a.clusterShedQps) << w;
            ASSERT_EQ(b.maxOverMean, a.maxOverMean) << w;
            ASSERT_EQ(b.qps, a.qps) << w;
            ASSERT_EQ(b.utilization, a.utilization) << w;
            ASSERT_EQ(b.p99LatencyMs, a.p99LatencyMs) << w;
            ASSERT_EQ(b.rows, a.rows) << w;
        }
        // The rate climbs towards its peak at 6 h: a window's mean is above its first tick and below its last, which
        // a window's peak would be.
        const TickWindow& first = *stored.windows[0];
        const double mean = (ticks.firstNode[0] + ticks.firstNode[1] + ticks.firstNode[2] + ticks.firstNode[3]) / 4;
        EXPECT_NEAR(first.qps[0], mean, mean * 1e-6);
        EXPECT_GT(first.qps[0], static_cast<float>(ticks.firstNode[0]));
        EXPECT_LT(first.qps[0], static_cast<float>(ticks.firstNode[3]));
    }

    struct ClusterP99Sink final : MetricsSink {
        std::vector<double> p99; // the cluster's at every tick
        bool wantsNodes() const override { return false; }
        void onTick(int64_t, const ClusterTick& cluster, std::span<const NodeTick>) override
        {
            p99.push_back(cluster.p99LatencyMs);
        }
    };

    // Cluster windows of 2 ticks, node windows of 4. While a node window holds no closed cluster window yet, the
    // live chart shows the latest window solved (during the run's first window: the window so far), never 0.
    TEST(CollectorWindows, TheOpenWindowShowsTheLatestClusterLatency)
    {
        ScenarioLoad load = loadScenarioText(R"(
name: open-window
duration: 3000s
tick: 1s
cluster: { nodes: 300, node: { max_qps: 2K } }
data: { tables: [ { name: t_user, key: uid, rows: 3M } ] }
sharding: { rule: "hash-mod:n=300" }
workload:
  rate: { shape: diurnal, base: 100K/s, peak: 3x, peak_hour: 6 }
  keys: { distribution: zipf, theta: 0.8 }
)",
            "open-window.yaml", "");
        ASSERT_TRUE(load.ok()) << load.errorText();
        RunCollector collector(load.config->tickCount(), load.config->tick, load.config->cluster.node.maxQps, 300);
        ClusterP99Sink ticks;
        RunOptions options;
        options.engine = EngineMode::Expected;
        options.sinks = { &collector, &ticks };
        auto simulation = Simulation::create(*load.config, options);
        ASSERT_TRUE(simulation) << simulation.error();

        ASSERT_TRUE(simulation->step()); // tick 0: the first cluster window is open
        auto live = collector.snapshot();
        ASSERT_EQ(live->windows.size(), 1u);
        EXPECT_GT(live->windows[0]->clusterP99LatencyMs, 0);
        EXPECT_EQ(live->windows[0]->clusterP99LatencyMs, ticks.p99[0]);

        for (int t = 1; t <= 4; ++t)
            ASSERT_TRUE(simulation->step()); // node window [0, 4) closed, [4, 8) holds tick 4 alone
        live = collector.snapshot();
        ASSERT_EQ(live->windows.size(), 2u);
        EXPECT_EQ(live->windows[1]->firstTick, 4);
        EXPECT_GT(live->windows[1]->clusterP99LatencyMs, 0);
        EXPECT_EQ(live->windows[1]->clusterP99LatencyMs, ticks.p99[3]) << "the cluster window [2, 4), solved on tick 3";
        EXPECT_NE(ticks.p99[3], ticks.p99[1]) << "the load climbs: the two windows differ";

        ASSERT_TRUE(simulation->step()); // tick 5 closes the cluster window [4, 6): its own latency replaces it
        live = collector.snapshot();
        EXPECT_EQ(live->windows[1]->clusterP99LatencyMs, ticks.p99[5]);
        simulation->finish();
    }

} // namespace
} // namespace shardsim::ui
