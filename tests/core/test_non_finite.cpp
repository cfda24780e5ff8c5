// The last line of defence: a result holding NaN or an infinity is named, metric by metric, so no front end reports
// it as an answer.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "shardsim/report/expectations.h"
#include "shardsim/report/non_finite.h"
#include "shardsim/report/summary_json.h"

namespace shardsim {
namespace {

    RunResult finiteRun()
    {
        RunResult run;
        run.requests = 1e6;
        run.nodes.resize(4);
        run.cluster.resize(20);
        run.queries.resize(2);
        run.queries[1].fanoutHistogram = { 0, 10, 5 };
        run.migrations.resize(1);
        run.migrations[0].nodeInBytes = { 1, 2 };
        return run;
    }

    TEST(NonFinite, AFiniteRunHasNone)
    {
        EXPECT_EQ(firstNonFiniteMetric(finiteRun()), std::nullopt);
    }

    TEST(NonFinite, TheFirstBadNumberIsNamedAsSummaryJsonNamesIt)
    {
        const double nan = std::nan("");
        const double inf = std::numeric_limits<double>::infinity();
        RunResult run = finiteRun();
        run.requests = nan;
        EXPECT_EQ(firstNonFiniteMetric(run), "requests");
        run = finiteRun();
        run.nodes[3].p99LatencyMs = inf;
        EXPECT_EQ(firstNonFiniteMetric(run), "nodes[3].p99_latency_ms");
        run = finiteRun();
        run.cluster[12].qps = -inf;
        EXPECT_EQ(firstNonFiniteMetric(run), "cluster[12].qps");
        run = finiteRun();
        run.cluster[7].imbalance.gini = nan;
        EXPECT_EQ(firstNonFiniteMetric(run), "cluster[7].imbalance.gini");
        run = finiteRun();
        run.queries[1].fanoutHistogram[2] = nan;
        EXPECT_EQ(firstNonFiniteMetric(run), "queries[1].fanout_histogram[2]");
        run = finiteRun();
        run.migrations[0].nodeInBytes[1] = inf;
        EXPECT_EQ(firstNonFiniteMetric(run), "migrations[0].in_bytes[1]");
        run = finiteRun();
        run.availability.failedFraction = nan;
        EXPECT_EQ(firstNonFiniteMetric(run), "availability.failed_fraction");
    }

    TEST(NonFinite, TheServiceNumbersAreNamedAsSummaryJsonNamesThem)
    {
        const double nan = std::nan("");
        const double inf = std::numeric_limits<double>::infinity();
        RunResult run = finiteRun();
        run.queuedRequests = inf;
        EXPECT_EQ(firstNonFiniteMetric(run), "queued_requests");
        run = finiteRun();
        run.servedRequests = nan;
        EXPECT_EQ(firstNonFiniteMetric(run), "served_requests");
        run = finiteRun();
        run.latency.p999Ms = inf;
        EXPECT_EQ(firstNonFiniteMetric(run), "latency.p999_ms");
        run = finiteRun();
        run.service.servers = nan;
        EXPECT_EQ(firstNonFiniteMetric(run), "service.servers");
        run = finiteRun();
        run.nodes[2].p50LatencyMs = nan;
        EXPECT_EQ(firstNonFiniteMetric(run), "nodes[2].p50_latency_ms");
        run = finiteRun();
        run.nodes[1].queuedRequests = -inf;
        EXPECT_EQ(firstNonFiniteMetric(run), "nodes[1].queued_requests");
        run = finiteRun();
        run.cluster[4].p95LatencyMs = inf;
        EXPECT_EQ(firstNonFiniteMetric(run), "cluster[4].p95_latency_ms");
        run = finiteRun();
        run.cluster[9].servedQps = nan;
        EXPECT_EQ(firstNonFiniteMetric(run), "cluster[9].served_qps");

        // Each name is the path of the value in summary.json.
        run = finiteRun();
        run.nodes[2].p999LatencyMs = 7;
        run.latency.p95Ms = 3;
        const nlohmann::json summary = summaryJson(run);
        EXPECT_EQ(summary["nodes"][2]["p999_latency_ms"], 7);
        EXPECT_EQ(summary["latency"]["p95_ms"], 3);
        EXPECT_TRUE(summary["service"].contains("servers"));
        EXPECT_TRUE(summary.contains("queued_requests"));
        EXPECT_TRUE(summary.contains("served_requests"));
    }

    TEST(NonFinite, AnUnmeasuredExpectationIsNotABadMetric)
    {
        // It holds NaN by design and fails on its own.
        RunResult run = finiteRun();
        run.expectations.push_back({ "p99", "<= 3", false, std::nan(""), std::nullopt, 4, {} });
        EXPECT_EQ(firstNonFiniteMetric(run), std::nullopt);
    }

    TEST(NonFinite, AnExpectationNeverHoldsOnNaN)
    {
        // A NaN tick between finite ones compares false with everything: it must not hide behind them.
        RunResult run = finiteRun();
        for (std::size_t i = 0; i < run.cluster.size(); ++i) {
            run.cluster[i].time = double(i);
            run.cluster[i].imbalance.maxOverMean = 1.1;
        }
        run.cluster[5].imbalance.maxOverMean = std::nan("");
        ExpectConfig expect;
        expect.metric = "imbalance.max_over_mean";
        for (auto bound : { &ExpectConfig::atMost, &ExpectConfig::atLeast, &ExpectConfig::equals }) {
            ExpectConfig one = expect;
            one.*bound = 1.1;
            const auto results = evaluateExpectations({ one }, run);
            ASSERT_EQ(results.size(), 1u);
            EXPECT_FALSE(results[0].ok) << results[0].bound;
            EXPECT_TRUE(std::isnan(results[0].value));
            EXPECT_EQ(results[0].at, 5.0);
        }
    }

    TEST(NonFinite, AReportIsScannedByItsJsonPaths)
    {
        nlohmann::json plan = { { "nodes", 8 }, { "layouts", nlohmann::json::array() } };
        plan["layouts"].push_back({ { "peak_utilization", 0.5 } });
        plan["layouts"].push_back({ { "peak_utilization", 0.7 }, { "cost", { 1.0, 2.0 } } });
        EXPECT_EQ(firstNonFiniteValue(plan), std::nullopt);
        plan["layouts"][1]["cost"][1] = std::nan("");
        EXPECT_EQ(firstNonFiniteValue(plan), "layouts[1].cost[1]");
        EXPECT_NE(nonFiniteMessage("layouts[1].cost[1]").find("layouts[1].cost[1]"), std::string::npos);
    }

} // namespace
} // namespace shardsim
