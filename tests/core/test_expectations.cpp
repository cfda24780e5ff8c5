#include <cmath>
#include <gtest/gtest.h>

#include "shardsim/engine/metrics_sink.h"
#include "shardsim/report/expectations.h"
#include "shardsim/report/scenario_run.h"
#include "shardsim/scenario/metric_names.h"
#include "shardsim/scenario/scenario_reader.h"

using namespace shardsim;

namespace {

RunResult runWithImbalance(std::vector<double> maxOverMean)
{
    RunResult run;
    for (size_t i = 0; i < maxOverMean.size(); ++i) {
        ClusterTick tick;
        tick.time = static_cast<double>(i);
        tick.imbalance.maxOverMean = maxOverMean[i];
        tick.qps = 100.0 * static_cast<double>(i);
        run.cluster.push_back(tick);
    }
    run.requests = 1000;
    return run;
}

ExpectConfig atMost(std::string metric, double bound)
{
    ExpectConfig expect;
    expect.metric = std::move(metric);
    expect.atMost = bound;
    return expect;
}

} // namespace

TEST(Expectations, PerTickMetricsTakeTheWorstTickAndSayWhen)
{
    const RunResult run = runWithImbalance({ 1.0, 2.5, 1.2 });
    const auto results = evaluateExpectations({ atMost("imbalance.max_over_mean", 2.0) }, run);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_FALSE(results[0].ok);
    EXPECT_DOUBLE_EQ(results[0].value, 2.5);
    EXPECT_EQ(results[0].at, 1.0);
}

TEST(Expectations, WindowsLimitTheTicksLookedAt)
{
    const RunResult run = runWithImbalance({ 1.0, 2.5, 1.2 });
    ExpectConfig late = atMost("imbalance.max_over_mean", 2.0);
    late.from = 2;
    EXPECT_TRUE(evaluateExpectations({ late }, run)[0].ok);

    ExpectConfig atLeast;
    atLeast.metric = "peak.qps";
    atLeast.atLeast = 150;
    atLeast.to = 2;
    const auto result = evaluateExpectations({ atLeast }, run)[0];
    EXPECT_FALSE(result.ok) << "the smallest value inside the window (0 at t=0) is below 150";
    EXPECT_DOUBLE_EQ(result.value, 0);
}

TEST(Expectations, RunTotalsAndUnmeasuredMetrics)
{
    const RunResult run = runWithImbalance({ 1.0 });
    ExpectConfig total;
    total.metric = "requests.total";
    total.equals = 1000;
    EXPECT_TRUE(evaluateExpectations({ total }, run)[0].ok);

    // The run has no operation called transfer: its fan-out was never measured.
    const auto unmeasured = evaluateExpectations({ atMost("queries.transfer.mean_fanout", 1.0) }, run)[0];
    EXPECT_FALSE(unmeasured.ok) << "a metric nobody measured must never pass";
    EXPECT_TRUE(std::isnan(unmeasured.value));
    EXPECT_NE(unmeasured.bound.find("not measured"), std::string::npos);
}

TEST(Expectations, MigrationAndAvailabilityMetrics)
{
    RunResult run = runWithImbalance({ 1.0 });
    MigrationSummary first;
    first.atS = 100;
    first.durationS = 500;
    first.movedBytes = 50e9;
    first.movedFraction = 0.5;
    MigrationSummary second;
    second.atS = 700;
    second.durationS = 20;
    second.movedBytes = 2e9;
    second.movedFraction = 0.125;
    run.migrations = { first, second };
    run.availability.failedFraction = 1.0 / 16;
    const auto value = [&](const char* metric) { return evaluateExpectations({ atMost(metric, 1e18) }, run)[0].value; };
    EXPECT_DOUBLE_EQ(value("migration.moved_bytes"), 52e9);
    EXPECT_DOUBLE_EQ(value("migration.moved_fraction"), 0.625);
    EXPECT_DOUBLE_EQ(value("migration.duration_s"), 620); // 100 s .. 720 s
    EXPECT_DOUBLE_EQ(value("availability.failed_requests"), 1.0 / 16);
}

TEST(Expectations, ServedRequestsLatencyPercentilesAndTheShareShedOrServed)
{
    RunResult run = runWithImbalance({ 1.0, 1.0, 1.0 });
    const double p95[] = { 2.0, 7.5, 3.0 };
    const double p999[] = { 9.0, 4.0, 12.5 };
    for (size_t i = 0; i < run.cluster.size(); ++i) {
        run.cluster[i].p95LatencyMs = p95[i];
        run.cluster[i].p999LatencyMs = p999[i];
    }
    // 1,000 requests: 100 failed before reaching a node, so 900 offered: 850 served, 45 shed, 5 still queued.
    run.failedRequests = 100;
    run.servedRequests = 850;
    run.shedRequests = 45;
    run.queuedRequests = 5;

    const auto p95Result = evaluateExpectations({ atMost("latency.p95_ms", 5) }, run)[0];
    EXPECT_FALSE(p95Result.ok);
    EXPECT_DOUBLE_EQ(p95Result.value, 7.5);
    EXPECT_EQ(p95Result.at, 1.0);
    const auto p999Result = evaluateExpectations({ atMost("latency.p999_ms", 20) }, run)[0];
    EXPECT_TRUE(p999Result.ok);
    EXPECT_DOUBLE_EQ(p999Result.value, 12.5);
    EXPECT_EQ(p999Result.at, 2.0);

    const auto value = [&](const char* metric) { return evaluateExpectations({ atMost(metric, 1e18) }, run)[0].value; };
    EXPECT_DOUBLE_EQ(value("requests.served"), 850);
    EXPECT_DOUBLE_EQ(value("requests.queued"), 5);
    EXPECT_DOUBLE_EQ(value("requests.served_fraction"), 850.0 / 900);
    EXPECT_DOUBLE_EQ(value("requests.shed_fraction"), 45.0 / 900);
    run.requests = run.failedRequests = 0;
    EXPECT_DOUBLE_EQ(value("requests.shed_fraction"), 0) << "nothing offered, nothing shed";
}

// A metric a scenario may name (the reader checks names against the catalog) is one the run measures.
TEST(Expectations, EveryCatalogMetricIsMeasured)
{
    const RunResult run = runWithImbalance({ 1.0 });
    for (const MetricInfo& metric : metricCatalog()) {
        const auto result = evaluateExpectations({ atMost(std::string(metric.name), 1e18) }, run)[0];
        EXPECT_FALSE(std::isnan(result.value)) << metric.name << ": " << result.bound;
    }
}

// Cluster windows of two ticks: the percentiles are solved on a window's second tick, and its first carries the
// window before. A range holding only a window's first tick judges that window, seen at its start.
TEST(Expectations, LatencyOverARangeWithoutAWindowsLastTickJudgesItsWindow)
{
    ExpectConfig p99 = atMost("latency.p99_ms", 8);
    p99.from = 2;
    p99.to = 3;
    TickExpectations meter({ p99 });
    const double carried[] = { 3, 5, 5, 9, 9, 4 }; // tick t's p99; ticks 1, 3 and 5 close their window
    for (int t = 0; t < 6; ++t) {
        ClusterTick tick;
        tick.time = t;
        tick.p99LatencyMs = carried[t];
        tick.latencySolved = t % 2 == 1;
        meter.addTick(tick);
    }
    const ExpectationResult result = meter.evaluate(RunResult {})[0];
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.value, 9) << "the window [2, 4) s, solved on tick 3; tick 2 carried the window before";
    EXPECT_EQ(result.at, 2.0);
}

namespace {

// Records every cluster tick a run shows its sinks.
struct ClusterTicks final : MetricsSink {
    std::vector<ClusterTick> ticks;
    bool wantsNodes() const override { return false; }
    void onTick(int64_t, const ClusterTick& cluster, std::span<const NodeTick>) override { ticks.push_back(cluster); }
};

} // namespace

// 4,000 ticks make cluster windows of two ticks. The expectation's range holds one tick, the first of its window:
// it sees that window's latency, and no tick a sink is shown carries a latency of 0 while requests are served.
TEST(Expectations, LatencyOfALongRunIsNeverZeroAtATick)
{
    ScenarioLoad load = loadScenarioText(R"(
name: long-latency
duration: 4000s
tick: 1s
cluster: { nodes: 4, node: { max_qps: 10K } }
data: { tables: [ { name: t_user, key: uid, rows: 1M } ] }
sharding: { rule: "mod:n=4" }
workload:
  rate: { shape: diurnal, base: 10K/s, peak: 3x, peak_hour: 1 }
  keys: { distribution: zipf, theta: 0.99 }
expect:
  - { metric: latency.p99_ms, at_least: 0.001, from: 100s, to: 101s }
)",
        "long-latency.yaml", "");
    ASSERT_TRUE(load.ok()) << load.errorText();
    ClusterTicks sink;
    RunOptions options;
    options.engine = EngineMode::Expected;
    options.sinks = { &sink };
    auto run = runScenario(*load.config, options);
    ASSERT_TRUE(run) << run.error();
    ASSERT_EQ(run->clusterWindowTicks, 2);
    ASSERT_EQ(sink.ticks.size(), 4000u);
    for (size_t t = 0; t < sink.ticks.size(); ++t) {
        ASSERT_GT(sink.ticks[t].p99LatencyMs, 0) << t;
        ASSERT_EQ(sink.ticks[t].latencySolved, t % 2 == 1) << t;
    }
    const ExpectationResult& result = run->expectations.at(0);
    EXPECT_TRUE(result.ok) << result.value;
    EXPECT_EQ(result.value, run->cluster[50].p99LatencyMs) << "the window of ticks 100 and 101";
    EXPECT_EQ(result.at, 100.0);
    EXPECT_GT(run->cluster[50].p99LatencyMs, run->cluster[0].p99LatencyMs) << "the load climbs: windows differ";
}
