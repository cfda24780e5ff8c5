// The summary `run` prints, on results built by hand: the service model's lines and the node table say what a user
// needs to read offered, served, shed and queued requests and the served requests' latency.

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "summary_table.h"

namespace shardsim::cli {
namespace {

    RunResult overloadedRun()
    {
        RunResult run;
        run.scenario = "checkout";
        run.seed = 7;
        run.ticks = 60;
        run.tickSeconds = 1;
        run.requests = 1.2e6;
        run.failedRequests = 2e5; // never reached a node
        run.servedRequests = 9.5e5;
        run.shedRequests = 4e4;
        run.queuedRequests = 1e4;
        run.clientRequests = 6e5;
        run.latency = LatencySummary { 1.0234, 2.5, 4.6051, 6.9078 };
        run.service = ServiceModel { 10, false, 0.001, 1 };
        NodeSummary hot;
        hot.name = "node-1";
        hot.share = 0.75;
        hot.peakQps = 13'000;
        hot.peakUtilization = 1.3;
        hot.servedRequests = 7e5;
        hot.shedRequests = 4e4;
        hot.p99LatencyMs = 812.345;
        hot.p999LatencyMs = 1000.4;
        NodeSummary cool;
        cool.name = "node-2";
        cool.share = 0.25;
        cool.peakQps = 5'000;
        cool.peakUtilization = 0.5;
        cool.servedRequests = 2.5e5;
        cool.p99LatencyMs = 4.6051;
        cool.p999LatencyMs = 6.9078;
        run.nodes = { hot, cool };
        return run;
    }

    std::vector<std::string> linesOf(const std::string& text)
    {
        std::vector<std::string> lines;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);)
            lines.push_back(line);
        return lines;
    }

    bool hasLine(const std::string& text, const std::string& line)
    {
        const auto lines = linesOf(text);
        return std::find(lines.begin(), lines.end(), line) != lines.end();
    }

    // Columns on a terminal: UTF-8 continuation bytes take none.
    size_t columns(const std::string& line)
    {
        return static_cast<size_t>(std::count_if(line.begin(), line.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    }

    TEST(SummaryTable, SaysOfferedServedShedQueuedTheLatencyAndWhichConcurrency)
    {
        const std::string text = formatSummaryTable(overloadedRun());
        EXPECT_TRUE(
            hasLine(text, "load       1M offered to the nodes: 950K served, 40K shed, 10K still queued at the end"))
            << text;
        EXPECT_TRUE(hasLine(
            text, "latency    p50 1.02 ms, p95 2.5 ms, p99 4.61 ms, p99.9 6.91 ms (served requests, whole run)"))
            << text;
        EXPECT_TRUE(
            hasLine(text, "service    c = 10 (max_qps × base_latency) per node, service time 1ms, queue_timeout 1s"))
            << text;

        RunResult given = overloadedRun();
        given.service = ServiceModel { 12.5, true, 0.002, 0.25 };
        given.queuedRequests = 0;
        const std::string givenText = formatSummaryTable(given);
        EXPECT_TRUE(
            hasLine(givenText, "service    c = 12.5 (concurrency) per node, service time 2ms, queue_timeout 250ms"))
            << givenText;
        EXPECT_TRUE(hasLine(givenText, "load       1M offered to the nodes: 950K served, 40K shed")) << givenText;
    }

    TEST(SummaryTable, NodeRowsShowServedShedP99AndMarkOfferedLoadAboveCapacity)
    {
        const std::string text = formatSummaryTable(overloadedRun());
        const auto lines = linesOf(text);
        const auto header
            = std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("node "); });
        ASSERT_NE(header, lines.end()) << text;
        EXPECT_EQ(
            *header, "node       region    share  peak qps  peak load   served     shed   p99 ms  p99.9 ms    storage");
        EXPECT_EQ(*(header + 1),
            "node-1     -         75.0%       13K    130.0%*     700K      40K      812      1000        0 B");
        EXPECT_EQ(*(header + 2),
            "node-2     -         25.0%        5K     50.0%      250K        0     4.61      6.91        0 B");
        EXPECT_TRUE(hasLine(text,
            "* offered load: more than the node serves (offered qps / max_qps); the excess queued or "
            "was shed"))
            << text;

        RunResult calm = overloadedRun();
        calm.nodes[0].peakUtilization = 0.9;
        EXPECT_EQ(formatSummaryTable(calm).find("offered load:"), std::string::npos);
    }

    TEST(SummaryTable, FitsAHundredColumns)
    {
        for (const std::string& line : linesOf(formatSummaryTable(overloadedRun())))
            EXPECT_LE(columns(line), 100u) << line;
    }

    // An operation with its own key law says so under the operations; one without adds no line.
    TEST(SummaryTable, NamesAnOperationsOwnKeyLaw)
    {
        RunResult run = overloadedRun();
        QuerySummary recent;
        recent.op = "recent_orders";
        recent.kind = "point";
        recent.calls = 7e5;
        recent.keys = "latest theta 1";
        QuerySummary pay;
        pay.op = "pay";
        pay.kind = "transaction";
        pay.calls = 3e5;
        run.queries = { recent, pay };
        const std::string text = formatSummaryTable(run);
        EXPECT_TRUE(hasLine(text, "recent_orders    keys drawn by latest theta 1, not workload.keys")) << text;
        EXPECT_EQ(text.find("pay              keys"), std::string::npos) << text;
    }

} // namespace
} // namespace shardsim::cli
