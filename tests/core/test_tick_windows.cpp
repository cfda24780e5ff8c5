// The run's windows: the one layout every output shares, the one merging rule, a long run that keeps a bounded
// cluster series whose windows and expectations equal what every tick showed, and nodes.csv in those windows.
// References are computed here from a sink that records every tick.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "history_test_support.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/metrics/tick_windows.h"
#include "shardsim/report/csv_output.h"
#include "shardsim/report/expectations.h"
#include "shardsim/report/scenario_run.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    using testing::ScratchDir;

    // ---- The layout -------------------------------------------------------------------------------------------------

    TEST(WindowLayout, EveryTickIsItsOwnWindowWhileTheBudgetsHold)
    {
        EXPECT_EQ(windowLayout(2'000, 125).clusterTicks, 1);
        EXPECT_EQ(windowLayout(2'000, 125).nodeTicks, 1); // 125 x 2,000 = 250,000 node windows
        EXPECT_EQ(windowLayout(2'000, 126).nodeTicks, 2);
        EXPECT_EQ(windowLayout(2'001, 1).clusterTicks, 2);
        // The day on 1,024 nodes: 1,964 cluster windows of 44 ticks; 244 windows per node fit the budget, so a node
        // window is 9 cluster windows (396 ticks) and there are 219 of them.
        EXPECT_EQ(windowLayout(86'400, 1'024).clusterTicks, 44);
        EXPECT_EQ(windowLayout(86'400, 1'024).nodeTicks, 396);
    }

    TEST(WindowLayout, NodeWindowsHoldWholeClusterWindowsWithinTheBudgets)
    {
        for (int64_t ticks : { 1, 7, 1'999, 2'000, 2'001, 86'400, 950'400, 10'000'000 }) {
            for (int64_t nodes : { 1, 8, 125, 126, 1'024, 100'000 }) {
                const WindowLayout layout = windowLayout(ticks, nodes);
                const int64_t clusterWindows = (ticks + layout.clusterTicks - 1) / layout.clusterTicks;
                const int64_t nodeWindows = (ticks + layout.nodeTicks - 1) / layout.nodeTicks;
                EXPECT_LE(clusterWindows, kMaxClusterWindows) << ticks << " ticks";
                EXPECT_EQ(layout.nodeTicks % layout.clusterTicks, 0) << ticks << " ticks, " << nodes << " nodes";
                EXPECT_LE(nodeWindows, kMaxWindowsPerNode) << ticks << " ticks, " << nodes << " nodes";
                EXPECT_LE(nodeWindows * nodes, std::max(kMaxNodeWindows, nodes)) << ticks << " ticks, " << nodes;
            }
        }
    }

    // ---- The merging rule -------------------------------------------------------------------------------------------

    TEST(WindowMerger, RatesAreMeansPeaksAreMaximaStorageIsTheLatest)
    {
        NodeWindowMerger nodes;
        const NodeTick first { .qps = 100,
            .servedQps = 100,
            .shedQps = 0,
            .queued = 0,
            .utilization = 0.5,
            .meanLatencyMs = 2,
            .p50LatencyMs = 1,
            .p95LatencyMs = 3,
            .p99LatencyMs = 4,
            .p999LatencyMs = 20,
            .rows = 10,
            .bytes = 1000 };
        const NodeTick second { .qps = 300,
            .servedQps = 200,
            .shedQps = 50,
            .queued = 40,
            .utilization = 1.5,
            .meanLatencyMs = 1,
            .p50LatencyMs = 0.5,
            .p95LatencyMs = 5,
            .p99LatencyMs = 9,
            .p999LatencyMs = 10,
            .rows = 12,
            .bytes = 1200 };
        nodes.add(std::span(&first, 1));
        nodes.add(std::span(&second, 1));
        const NodeTick merged = nodes.node(0);
        EXPECT_EQ(nodes.ticks(), 2);
        EXPECT_EQ(merged.qps, 200);
        EXPECT_EQ(merged.servedQps, 150);
        EXPECT_EQ(merged.utilization, 1.0);
        EXPECT_EQ(merged.shedQps, 25);
        EXPECT_EQ(merged.queued, 20);
        EXPECT_EQ(merged.meanLatencyMs, 2);
        // Each percentile is its own maximum over the window's ticks.
        EXPECT_EQ(merged.p50LatencyMs, 1);
        EXPECT_EQ(merged.p95LatencyMs, 5);
        EXPECT_EQ(merged.p99LatencyMs, 9);
        EXPECT_EQ(merged.p999LatencyMs, 20);
        EXPECT_EQ(merged.rows, 12);
        EXPECT_EQ(merged.bytes, 1200);

        ClusterWindowMerger cluster;
        ClusterTick a;
        a.time = 10;
        a.qps = 100;
        a.maxUtilization = 0.9;
        a.downNodes = 1;
        a.servedQps = 100;
        a.queued = 0;
        a.p95LatencyMs = 7;
        a.p999LatencyMs = 30;
        ClusterTick b = a;
        b.time = 11;
        b.qps = 400;
        b.servedQps = 300;
        b.shedQps = 60;
        b.queued = 40;
        b.maxUtilization = 0.2;
        b.p95LatencyMs = 8;
        b.p999LatencyMs = 25;
        b.downNodes = 0;
        cluster.add(10, a);
        cluster.add(11, b);
        const ClusterWindow window = cluster.window();
        EXPECT_EQ(window.tick, 10);
        EXPECT_EQ(window.ticks, 2);
        EXPECT_EQ(window.values.time, 10);
        EXPECT_EQ(window.values.qps, 250);
        EXPECT_EQ(window.qpsMin, 100);
        EXPECT_EQ(window.qpsMax, 400);
        EXPECT_EQ(window.values.servedQps, 200);
        EXPECT_EQ(window.values.shedQps, 30);
        EXPECT_EQ(window.values.queued, 20);
        EXPECT_EQ(window.values.p95LatencyMs, 8);
        EXPECT_EQ(window.values.p999LatencyMs, 30);
        EXPECT_EQ(window.values.maxUtilization, 0.9);
        EXPECT_EQ(window.values.downNodes, 1);
    }

    // A tick whose numbers went wrong (NaN) shows in its window, where the run's checks for non-finite numbers see it.
    TEST(WindowMerger, ANanTickIsNotHiddenByTheWindowsPeak)
    {
        NodeWindowMerger nodes;
        NodeTick good;
        good.p99LatencyMs = 3;
        NodeTick bad = good;
        bad.p99LatencyMs = std::nan("");
        for (const NodeTick* tick : { &good, &bad, &good })
            nodes.add(std::span(tick, 1));
        EXPECT_TRUE(std::isnan(nodes.node(0).p99LatencyMs));

        ClusterWindowMerger cluster;
        ClusterTick a;
        a.p99LatencyMs = 3;
        ClusterTick b = a;
        b.p99LatencyMs = std::nan("");
        cluster.add(0, a);
        cluster.add(1, b);
        cluster.add(2, a);
        EXPECT_TRUE(std::isnan(cluster.window().values.p99LatencyMs));
    }

    ClusterTick clusterAt(double time, double qps)
    {
        ClusterTick tick;
        tick.time = time;
        tick.qps = qps;
        return tick;
    }

    // Windows merged into a wider window weigh by their ticks, so requests still add up; one window comes out as it
    // went in (reopening a run takes its stored windows as they are).
    TEST(WindowMerger, WindowsMergeWeightedByTheirTicks)
    {
        ClusterWindowMerger wide;
        wide.add(ClusterWindow { 0, 3, clusterAt(0, 1.0 / 3), 0.1, 0.5 });
        wide.add(ClusterWindow { 3, 1, clusterAt(3, 5), 5, 5 });
        EXPECT_DOUBLE_EQ(wide.window().values.qps, (1.0 + 5) / 4);
        EXPECT_EQ(wide.window().ticks, 4);
        EXPECT_EQ(wide.window().qpsMin, 0.1);
        EXPECT_EQ(wide.window().qpsMax, 5);

        ClusterWindowMerger one;
        const ClusterWindow stored { 6, 3, clusterAt(6, 0.1), 0, 1 };
        one.add(stored);
        EXPECT_EQ(one.window().values.qps, 0.1);
    }

    // ---- A long run -------------------------------------------------------------------------------------------------

    struct RecordingSink final : MetricsSink {
        std::vector<ClusterTick> cluster;
        std::vector<std::vector<NodeTick>> nodes;
        void onTick(int64_t, const ClusterTick& tick, std::span<const NodeTick> ticks) override
        {
            cluster.push_back(tick);
            nodes.emplace_back(ticks.begin(), ticks.end());
        }
    };

    // A day of 1 s ticks on 8 nodes with a diurnal rate that overloads them at its peak, a Zipf key law and a node that
    // fails and is rebuilt, so every field moves; its expectations have windows that do not line up with the 44-tick
    // windows the run keeps, and every kind of bound.
    constexpr const char* kLongRun = R"(
name: long-run
seed: 7
duration: 1d
tick: 1s
cluster: { nodes: 8, node: { max_qps: 40K, storage: 1TB }, replication: 2 }
data: { tables: [ { name: t_user, key: uid, rows: 10M, row_size: 256B, growth: 1M/day } ] }
sharding: { rule: "hash-mod:n=8" }
workload:
  rate: { shape: diurnal, base: 100K/s, peak: 3x, peak_hour: 20 }
  keys: { distribution: zipf, theta: 0.6 }
events:
  - { at: 30007s, fail_node: 3, migration: { bandwidth: 50MB/s } }
expect:
  - { metric: peak.qps, at_most: 250K, from: 3607s, to: 71993s }
  - { metric: peak.utilization, at_least: 0.5, from: 101s }
  - { metric: imbalance.max_over_mean, at_most: 1.2 }
  - { metric: imbalance.cv, equals: 0.05, from: 29999s, to: 30101s }
  - { metric: imbalance.gini, at_least: 0.001, at_most: 0.5 }
  - { metric: latency.p50_ms, at_most: 3, from: 40000s }
  - { metric: latency.p99_ms, at_most: 5, to: 43211s }
  - { metric: utilization.max, at_most: 0.9 }
  - { metric: utilization.mean, at_least: 0.3 }
  - { metric: requests.total, at_least: 1 }
)";

    class LongRun : public ::testing::Test {
    protected:
        static void SetUpTestSuite()
        {
            s_dir = new ScratchDir;
            ScenarioLoad load = loadScenarioText(kLongRun, "long-run.yaml", "");
            ASSERT_TRUE(load.ok()) << load.errorText();
            s_config = new ScenarioConfig(*load.config);
            s_recorded = new RecordingSink;
            auto csv = NodesCsvSink::open((*s_dir / "nodes.csv").string());
            ASSERT_TRUE(csv) << csv.error();
            RunOptions options;
            options.engine = EngineMode::Expected;
            options.sinks = { s_recorded, csv->get() };
            auto result = runScenario(*s_config, options);
            ASSERT_TRUE(result) << result.error();
            s_result = new RunResult(std::move(*result));
        }
        static void TearDownTestSuite()
        {
            delete s_result;
            delete s_recorded;
            delete s_config;
            delete s_dir;
        }

        static inline ScratchDir* s_dir = nullptr;
        static inline ScenarioConfig* s_config = nullptr;
        static inline RecordingSink* s_recorded = nullptr;
        static inline RunResult* s_result = nullptr;
    };

    TEST_F(LongRun, KeepsAtMostTwoThousandClusterWindowsThatAreEveryTickMerged)
    {
        const std::vector<ClusterTick>& ticks = s_recorded->cluster;
        ASSERT_EQ(ticks.size(), 86'400u);
        ASSERT_EQ(s_result->clusterWindowTicks, 44);
        ASSERT_EQ(s_result->cluster.size(), 1'964u);
        EXPECT_LE(s_result->cluster.capacity(), 2'000u) << "memory for every tick was reserved";
        for (size_t w = 0; w < s_result->cluster.size(); ++w) {
            const ClusterTick& window = s_result->cluster[w];
            const size_t first = 44 * w;
            const size_t last = std::min(ticks.size(), first + 44);
            double qps = 0, served = 0, shed = 0, queued = 0, meanUtilization = 0, maxUtilization = 0, p95 = 0, p99 = 0,
                   p999 = 0, maxOverMean = 0, migration = 0;
            int down = 0;
            for (size_t t = first; t < last; ++t) {
                qps += ticks[t].qps;
                served += ticks[t].servedQps;
                shed += ticks[t].shedQps;
                queued += ticks[t].queued;
                meanUtilization += ticks[t].meanUtilization;
                maxUtilization = std::max(maxUtilization, ticks[t].maxUtilization);
                if (ticks[t].latencySolved) { // the window's last tick; the others carry the window before
                    p95 = std::max(p95, ticks[t].p95LatencyMs);
                    p99 = std::max(p99, ticks[t].p99LatencyMs);
                    p999 = std::max(p999, ticks[t].p999LatencyMs);
                }
                maxOverMean = std::max(maxOverMean, ticks[t].imbalance.maxOverMean);
                migration = std::max(migration, ticks[t].migrationBytesPerSecond);
                down = std::max(down, ticks[t].downNodes);
            }
            const auto n = static_cast<double>(last - first);
            ASSERT_EQ(window.time, ticks[first].time) << w;
            ASSERT_EQ(window.qps, qps / n) << w;
            ASSERT_EQ(window.servedQps, served / n) << w;
            ASSERT_EQ(window.shedQps, shed / n) << w;
            ASSERT_EQ(window.queued, queued / n) << w;
            ASSERT_EQ(window.meanUtilization, meanUtilization / n) << w;
            ASSERT_EQ(window.maxUtilization, maxUtilization) << w;
            ASSERT_EQ(window.p95LatencyMs, p95) << w;
            ASSERT_EQ(window.p99LatencyMs, p99) << w;
            ASSERT_EQ(window.p999LatencyMs, p999) << w;
            ASSERT_EQ(window.imbalance.maxOverMean, maxOverMean) << w;
            ASSERT_EQ(window.migrationBytesPerSecond, migration) << w;
            ASSERT_EQ(window.downNodes, down) << w;
        }
        double busiest = 0;
        for (const ClusterTick& tick : ticks)
            busiest = std::max(busiest, tick.qps);
        EXPECT_EQ(s_result->peak.qps, busiest);
        EXPECT_GT(s_result->shedRequests, 0) << "the peak overloads the nodes: shed qps is part of the test";
        EXPECT_FALSE(s_result->migrations.empty()) << "the rebuild after the failure is part of the test";
    }

    // The expectations the run reported are, number for number, those of the same run evaluated on every tick.
    TEST_F(LongRun, ExpectationsAreExactlyThoseOfEveryTick)
    {
        RunResult everyTick = *s_result;
        everyTick.cluster = s_recorded->cluster;
        const std::vector<ExpectationResult> reference = evaluateExpectations(s_config->expect, everyTick);
        const std::vector<ExpectationResult>& reported = s_result->expectations;
        ASSERT_EQ(reported.size(), reference.size());
        int held = 0;
        for (size_t e = 0; e < reported.size(); ++e) {
            SCOPED_TRACE(reference[e].metric + " " + reference[e].bound);
            EXPECT_EQ(reported[e].metric, reference[e].metric);
            EXPECT_EQ(reported[e].bound, reference[e].bound);
            EXPECT_EQ(reported[e].ok, reference[e].ok);
            EXPECT_EQ(reported[e].value, reference[e].value);
            EXPECT_EQ(reported[e].at, reference[e].at);
            held += reported[e].ok ? 1 : 0;
        }
        // Both outcomes are exercised; worst moments fall inside windows, not on their edges only.
        EXPECT_GT(held, 0);
        EXPECT_LT(held, static_cast<int>(reported.size()));
        // Evaluated on the windows instead, the run's peak would be understated: the windows hold means.
        RunResult windowsOnly = *s_result;
        const auto onWindows = evaluateExpectations({ s_config->expect[0] }, windowsOnly);
        EXPECT_LT(onWindows[0].value, reported[0].value);
    }

    // nodes.csv: one line per node per window of 44 ticks (8 nodes stay within 2,000 windows each), the window's
    // mean rates, worst p99 and last storage, against the recorded ticks.
    TEST_F(LongRun, NodesCsvHoldsTheSameWindows)
    {
        std::ifstream in(*s_dir / "nodes.csv");
        std::string line;
        std::getline(in, line);
        EXPECT_EQ(line + "\n", kNodesCsvHeader);
        const auto& ticks = s_recorded->nodes;
        size_t lines = 0;
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string tick, count, node, qps, utilization, p99, rows, bytes, served, shed, queued, p50, p95, p999;
            for (std::string* field : { &tick, &count, &node, &qps, &utilization, &p99, &rows, &bytes, &served, &shed,
                     &queued, &p50, &p95, &p999 })
                std::getline(fields, *field, ',');
            const size_t first = std::stoul(tick);
            const size_t n = std::stoul(node.substr(5)) - 1; // node-1 is index 0
            ASSERT_EQ(first % 44, 0u) << line;
            ASSERT_EQ(std::stoul(count), std::min<size_t>(44, ticks.size() - first)) << line;
            double qpsSum = 0, utilizationSum = 0, servedSum = 0, shedSum = 0, queuedSum = 0;
            double worst = 0, worstP50 = 0, worstP95 = 0, worstP999 = 0;
            const size_t last = std::min(ticks.size(), first + 44);
            for (size_t t = first; t < last; ++t) {
                const NodeTick& v = ticks[t][n];
                qpsSum += v.qps;
                utilizationSum += v.utilization;
                servedSum += v.servedQps;
                shedSum += v.shedQps;
                queuedSum += v.queued;
                worst = std::max(worst, v.p99LatencyMs);
                worstP50 = std::max(worstP50, v.p50LatencyMs);
                worstP95 = std::max(worstP95, v.p95LatencyMs);
                worstP999 = std::max(worstP999, v.p999LatencyMs);
            }
            const auto count_ = static_cast<double>(last - first);
            ASSERT_EQ(std::stod(qps), qpsSum / count_) << line;
            ASSERT_EQ(std::stod(utilization), utilizationSum / count_) << line;
            ASSERT_EQ(std::stod(served), servedSum / count_) << line;
            ASSERT_EQ(std::stod(shed), shedSum / count_) << line;
            ASSERT_EQ(std::stod(queued), queuedSum / count_) << line;
            ASSERT_EQ(std::stod(p99), worst) << line;
            ASSERT_EQ(std::stod(p50), worstP50) << line;
            ASSERT_EQ(std::stod(p95), worstP95) << line;
            ASSERT_EQ(std::stod(p999), worstP999) << line;
            ASSERT_EQ(std::stod(rows), ticks[last - 1][n].rows) << line;
            ASSERT_EQ(std::stod(bytes), ticks[last - 1][n].bytes) << line;
            ++lines;
        }
        EXPECT_EQ(lines, 1'964u * 8);
    }

    struct NodeLatencySink final : MetricsSink {
        std::vector<double> firstNodeP99; // node-1's at every tick
        void onTick(int64_t, const ClusterTick&, std::span<const NodeTick> nodes) override
        {
            firstNodeP99.push_back(nodes[0].p99LatencyMs);
        }
    };

    // nodes.csv alone lets the engine read a node's latency once per node window (at its highest load), not once per
    // tick; the file is the one written beside a sink that takes every tick's latency (within rounding). 300 nodes,
    // 3,000 ticks: node windows of 4 ticks; the peak overloads the hottest nodes, so ticks behind a backlog count too.
    TEST(NodesCsv, NodeLatencyPerWindowWritesWhatEveryTickWould)
    {
        const char* scenario = R"(
name: per-window
duration: 3000s
tick: 1s
cluster: { nodes: 300, node: { max_qps: 2K } }
data: { tables: [ { name: t_user, key: uid, rows: 3M } ] }
sharding: { rule: "hash-mod:n=300" }
workload:
  rate: { shape: diurnal, base: 100K/s, peak: 3x, peak_hour: 1 }
  keys: { distribution: zipf, theta: 0.8 }
)";
        ScenarioLoad load = loadScenarioText(scenario, "per-window.yaml", "");
        ASSERT_TRUE(load.ok()) << load.errorText();
        ScratchDir dir;
        NodeLatencySink everyTick;
        RunResult windowed;
        for (const bool alone : { true, false }) {
            auto csv = NodesCsvSink::open((dir / (alone ? "alone.csv" : "beside.csv")).string());
            ASSERT_TRUE(csv) << csv.error();
            RunOptions options;
            options.engine = EngineMode::Expected;
            options.sinks = { csv->get() };
            if (!alone)
                options.sinks.push_back(&everyTick);
            auto result = runSimulation(*load.config, options);
            ASSERT_TRUE(result) << result.error();
            csv->reset();
            if (alone)
                windowed = *result;
        }
        EXPECT_GT(windowed.shedRequests + windowed.queuedRequests, 0) << "backlogs are part of the test";
        std::ifstream alone(dir / "alone.csv");
        std::ifstream beside(dir / "beside.csv");
        std::string a, b;
        size_t lines = 0;
        while (std::getline(beside, b)) {
            ASSERT_TRUE(std::getline(alone, a)) << "alone.csv ends after " << lines << " lines";
            ++lines;
            if (a == b || lines == 1)
                continue;
            std::istringstream x(a), y(b);
            std::string u, v;
            while (std::getline(x, u, ',') && std::getline(y, v, ',')) {
                if (u == v)
                    continue;
                const double p = std::stod(u), q = std::stod(v);
                ASSERT_NEAR(p, q, 1e-12 * std::abs(q)) << "line " << lines << "\n" << a << "\n" << b;
            }
        }
        EXPECT_FALSE(std::getline(alone, a)) << "alone.csv has more lines";
        EXPECT_EQ(lines, 1 + 750u * 300);
        // node-1's first window, from every tick: its worst tick's p99.
        const auto& p99 = everyTick.firstNodeP99;
        const double firstWindow = *std::max_element(p99.begin(), p99.begin() + 4);
        std::ifstream again(dir / "alone.csv");
        std::getline(again, a);
        std::getline(again, a);
        EXPECT_EQ(a.rfind("0,4,node-1,", 0), 0u) << a;
        std::istringstream fields(a);
        std::string field;
        for (int f = 0; f < 6; ++f)
            std::getline(fields, field, ',');
        EXPECT_NEAR(std::stod(field), firstWindow, 1e-12 * firstWindow) << a;
    }

    // --full-resolution: every tick its own line, the tick's own numbers.
    TEST(NodesCsv, FullResolutionWritesEveryTick)
    {
        ScratchDir dir;
        ScenarioLoad load = loadScenarioText(
            "name: short\nduration: 2500s\ncluster: { nodes: 2 }\ndata: { tables: [ { name: t, rows: 1000 } ] }\n"
            "sharding: { rule: \"mod:n=2\" }\nworkload: { rate: 1K/s }\n",
            "short.yaml", "");
        ASSERT_TRUE(load.ok()) << load.errorText();
        auto csv = NodesCsvSink::open((dir / "nodes.csv").string(), CsvResolution::Ticks);
        ASSERT_TRUE(csv) << csv.error();
        RecordingSink recorded;
        RunOptions options;
        options.sinks = { &recorded, csv->get() };
        ASSERT_TRUE(runSimulation(*load.config, options));
        csv->reset();
        std::ifstream in(dir / "nodes.csv");
        std::string line;
        std::getline(in, line);
        size_t lines = 0;
        while (std::getline(in, line)) {
            const size_t tick = lines / 2;
            const NodeTick& node = recorded.nodes[tick][lines % 2];
            const std::string prefix = std::to_string(tick) + ",1,node-" + std::to_string(lines % 2 + 1) + ",";
            ASSERT_EQ(line.rfind(prefix, 0), 0u) << line;
            EXPECT_EQ(std::stod(line.substr(prefix.size())), node.qps) << line;
            ++lines;
        }
        EXPECT_EQ(lines, 2'500u * 2) << "2,500 ticks are more than the 2,000 cluster windows, still one line each";
        EXPECT_NE(nodesCsvNotice(2'500, 2).find("5K lines"), std::string::npos) << nodesCsvNotice(2'500, 2);
    }

} // namespace
} // namespace shardsim
