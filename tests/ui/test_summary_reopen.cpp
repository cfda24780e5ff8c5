// A run reopened from the history gets its totals back from the stored summary.json: the service model's numbers
// (served, shed and queued requests, the latency percentiles, the concurrency used) come back as they were written.

#include <gtest/gtest.h>

#include "models/history_snapshot.h"
#include "shardsim/report/summary_json.h"

namespace shardsim::ui {
namespace {

    TEST(SummaryReopen, TheServiceNumbersComeBackAsWritten)
    {
        RunResult run;
        run.requests = 1'000;
        run.failedRequests = 100;
        run.servedRequests = 850;
        run.shedRequests = 45;
        run.queuedRequests = 5;
        run.service = ServiceModel { 12.5, true, 0.002, 0.25 };
        run.latency = LatencySummary { 1.5, 2.5, 4.5, 9.5 };
        NodeSummary node;
        node.name = "node-1";
        node.p50LatencyMs = 1.25;
        node.p95LatencyMs = 2.25;
        node.p99LatencyMs = 4.25;
        node.p999LatencyMs = 8.25;
        node.servedRequests = 850;
        node.shedRequests = 45;
        node.queuedRequests = 5;
        run.nodes = { node };

        const RunResult back = resultFromSummaryJson(summaryJson(run).dump());
        EXPECT_EQ(back.servedRequests, 850);
        EXPECT_EQ(back.shedRequests, 45);
        EXPECT_EQ(back.queuedRequests, 5);
        EXPECT_EQ(back.failedRequests, 100);
        EXPECT_EQ(back.service.servers, 12.5);
        EXPECT_TRUE(back.service.serversGiven);
        EXPECT_DOUBLE_EQ(back.service.serviceTimeS, 0.002);
        EXPECT_EQ(back.service.queueTimeoutS, 0.25);
        EXPECT_EQ(back.latency.p50Ms, 1.5);
        EXPECT_EQ(back.latency.p95Ms, 2.5);
        EXPECT_EQ(back.latency.p99Ms, 4.5);
        EXPECT_EQ(back.latency.p999Ms, 9.5);
        ASSERT_EQ(back.nodes.size(), 1u);
        EXPECT_EQ(back.nodes[0].p50LatencyMs, 1.25);
        EXPECT_EQ(back.nodes[0].p95LatencyMs, 2.25);
        EXPECT_EQ(back.nodes[0].p999LatencyMs, 8.25);
        EXPECT_EQ(back.nodes[0].servedRequests, 850);
        EXPECT_EQ(back.nodes[0].queuedRequests, 5);
    }

    // A summary written before these fields existed reopens with the defaults.
    TEST(SummaryReopen, AnOlderSummaryKeepsTheDefaults)
    {
        const RunResult back = resultFromSummaryJson(R"({"scenario":"old","requests":10,"shed_requests":1})");
        EXPECT_EQ(back.shedRequests, 1);
        EXPECT_EQ(back.servedRequests, 0);
        EXPECT_FALSE(back.service.serversGiven);
        EXPECT_EQ(back.latency.p99Ms, 0);
    }

} // namespace
} // namespace shardsim::ui
