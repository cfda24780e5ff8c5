#include <cmath>
#include <gtest/gtest.h>

#include "shardsim/report/expectations.h"
#include "shardsim/scenario/metric_names.h"

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
