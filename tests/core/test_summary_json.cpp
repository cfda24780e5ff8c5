// summary.json is written and read by one codec: every scenario of the library comes back from its summary with the
// numbers it ran with (migrations, availability, failed requests, fan-out per operation, ...), and writes the same
// bytes again; a summary that is not one says where.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "shardsim/engine/simulation.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    // Equal, NaN included (the summary writes NaN as null and reads null as NaN).
    ::testing::AssertionResult same(double a, double b)
    {
        if (a == b || (std::isnan(a) && std::isnan(b)))
            return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << a << " != " << b;
    }

    // A migration's per-node bytes are written for the nodes that sent or received; the rest read back as 0.
    double at(const std::vector<double>& values, size_t i) { return i < values.size() ? values[i] : 0.0; }

    void expectSameMigrations(const RunResult& run, const RunResult& back)
    {
        ASSERT_EQ(back.migrations.size(), run.migrations.size());
        for (size_t m = 0; m < run.migrations.size(); ++m) {
            const MigrationSummary& a = run.migrations[m];
            const MigrationSummary& b = back.migrations[m];
            EXPECT_EQ(b.event, a.event);
            EXPECT_EQ(b.kind, a.kind);
            EXPECT_TRUE(same(b.atS, a.atS));
            EXPECT_TRUE(same(b.movedFraction, a.movedFraction));
            EXPECT_TRUE(same(b.optimumFraction, a.optimumFraction));
            EXPECT_TRUE(same(b.movedRows, a.movedRows));
            EXPECT_TRUE(same(b.movedBytes, a.movedBytes));
            EXPECT_TRUE(same(b.catchUpBytes, a.catchUpBytes));
            EXPECT_TRUE(same(b.bandwidth, a.bandwidth));
            EXPECT_TRUE(same(b.copyS, a.copyS));
            EXPECT_TRUE(same(b.catchUpS, a.catchUpS));
            EXPECT_TRUE(same(b.durationS, a.durationS));
            EXPECT_EQ(b.finished, a.finished);
            EXPECT_EQ(b.exact, a.exact);
            EXPECT_TRUE(same(b.peakExtraUtilization, a.peakExtraUtilization));
            for (size_t n = 0; n < run.nodes.size(); ++n) {
                EXPECT_TRUE(same(at(b.nodeOutBytes, n), at(a.nodeOutBytes, n))) << "node " << n;
                EXPECT_TRUE(same(at(b.nodeInBytes, n), at(a.nodeInBytes, n))) << "node " << n;
            }
        }
    }

    void expectSameQueries(const RunResult& run, const RunResult& back)
    {
        EXPECT_TRUE(same(back.clientRequests, run.clientRequests));
        ASSERT_EQ(back.queries.size(), run.queries.size());
        for (size_t q = 0; q < run.queries.size(); ++q) {
            const QuerySummary& a = run.queries[q];
            const QuerySummary& b = back.queries[q];
            EXPECT_EQ(b.op, a.op);
            EXPECT_EQ(b.kind, a.kind);
            EXPECT_TRUE(same(b.calls, a.calls));
            EXPECT_TRUE(same(b.shardRequests, a.shardRequests));
            EXPECT_TRUE(same(b.meanFanout, a.meanFanout));
            EXPECT_EQ(b.maxFanout, a.maxFanout);
            EXPECT_EQ(b.fanoutHistogram, a.fanoutHistogram);
            EXPECT_TRUE(same(b.rowsReadPerCall, a.rowsReadPerCall));
            EXPECT_TRUE(same(b.extraLookupsPerCall, a.extraLookupsPerCall));
            EXPECT_TRUE(same(b.crossShardFraction, a.crossShardFraction));
            EXPECT_TRUE(same(b.extraRoundTripsPerCall, a.extraRoundTripsPerCall));
            EXPECT_TRUE(same(b.amplification, a.amplification));
            EXPECT_EQ(b.nodeLoad, a.nodeLoad);
        }
        ASSERT_EQ(back.operations.size(), run.operations.size());
        for (size_t o = 0; o < run.operations.size(); ++o) {
            EXPECT_EQ(back.operations[o].name, run.operations[o].name);
            EXPECT_TRUE(same(back.operations[o].requests, run.operations[o].requests));
            EXPECT_TRUE(same(back.operations[o].share, run.operations[o].share));
        }
    }

    void expectSameNodesAndShards(const RunResult& run, const RunResult& back)
    {
        ASSERT_EQ(back.nodes.size(), run.nodes.size());
        for (size_t n = 0; n < run.nodes.size(); ++n) {
            const NodeSummary& a = run.nodes[n];
            const NodeSummary& b = back.nodes[n];
            EXPECT_EQ(b.name, a.name);
            EXPECT_EQ(b.region, a.region);
            EXPECT_EQ(b.database, a.database);
            EXPECT_TRUE(same(b.requests, a.requests));
            EXPECT_TRUE(same(b.peakQps, a.peakQps));
            EXPECT_TRUE(same(b.p99LatencyMs, a.p99LatencyMs));
            EXPECT_TRUE(same(b.servedRequests, a.servedRequests));
            EXPECT_TRUE(same(b.shedRequests, a.shedRequests));
            EXPECT_TRUE(same(b.storageUtilization, a.storageUtilization));
        }
        ASSERT_EQ(back.shards.size(), run.shards.size());
        for (size_t s = 0; s < run.shards.size(); ++s) {
            EXPECT_EQ(back.shards[s].name, run.shards[s].name);
            EXPECT_EQ(back.shards[s].node, run.shards[s].node);
            EXPECT_TRUE(same(back.shards[s].rows, run.shards[s].rows));
        }
        ASSERT_EQ(back.tables.size(), run.tables.size());
        for (size_t t = 0; t < run.tables.size(); ++t) {
            EXPECT_EQ(back.tables[t].largest, run.tables[t].largest);
            EXPECT_EQ(back.tables[t].overLimit, run.tables[t].overLimit);
            EXPECT_TRUE(same(back.tables[t].maxRowsPerTable, run.tables[t].maxRowsPerTable));
        }
    }

    void expectSameTotals(const RunResult& run, const RunResult& back)
    {
        EXPECT_EQ(back.scenario, run.scenario);
        EXPECT_EQ(back.seed, run.seed);
        EXPECT_EQ(back.engine, run.engine);
        EXPECT_EQ(back.ticks, run.ticks);
        EXPECT_TRUE(same(back.tickSeconds, run.tickSeconds));
        EXPECT_TRUE(same(back.requests, run.requests));
        EXPECT_TRUE(same(back.servedRequests, run.servedRequests));
        EXPECT_TRUE(same(back.shedRequests, run.shedRequests));
        EXPECT_TRUE(same(back.queuedRequests, run.queuedRequests));
        EXPECT_TRUE(same(back.failedRequests, run.failedRequests));
        EXPECT_EQ(back.cancelled, run.cancelled);
        EXPECT_TRUE(same(back.service.servers, run.service.servers));
        EXPECT_EQ(back.service.serversGiven, run.service.serversGiven);
        EXPECT_NEAR(back.service.serviceTimeS, run.service.serviceTimeS, 1e-15 * run.service.serviceTimeS);
        EXPECT_TRUE(same(back.service.queueTimeoutS, run.service.queueTimeoutS));
        EXPECT_TRUE(same(back.latency.p50Ms, run.latency.p50Ms));
        EXPECT_TRUE(same(back.latency.p95Ms, run.latency.p95Ms));
        EXPECT_TRUE(same(back.latency.p99Ms, run.latency.p99Ms));
        EXPECT_TRUE(same(back.latency.p999Ms, run.latency.p999Ms));
        EXPECT_TRUE(same(back.availability.failedRequests, run.availability.failedRequests));
        EXPECT_TRUE(same(back.availability.failedFraction, run.availability.failedFraction));
        EXPECT_TRUE(same(back.availability.affectedUsersFraction, run.availability.affectedUsersFraction));
        EXPECT_TRUE(same(back.availability.unavailableSeconds, run.availability.unavailableSeconds));
        EXPECT_TRUE(same(back.imbalance.gini, run.imbalance.gini));
        EXPECT_EQ(back.peak.tick, run.peak.tick);
        EXPECT_TRUE(same(back.peak.qps, run.peak.qps));
        ASSERT_EQ(back.expectations.size(), run.expectations.size());
        for (size_t e = 0; e < run.expectations.size(); ++e) {
            EXPECT_EQ(back.expectations[e].metric, run.expectations[e].metric);
            EXPECT_EQ(back.expectations[e].ok, run.expectations[e].ok);
            EXPECT_EQ(back.expectations[e].at.has_value(), run.expectations[e].at.has_value());
            EXPECT_EQ(back.expectations[e].line, run.expectations[e].line);
        }
        EXPECT_EQ(back.warnings, run.warnings);
        expectSameNodesAndShards(run, back);
        expectSameQueries(run, back);
        expectSameMigrations(run, back);
    }

    TEST(SummaryJson, EveryScenarioOfTheLibraryComesBackFromItsSummary)
    {
        int scenarios = 0;
        int withMigrations = 0;
        int withFailures = 0;
        int withQueries = 0;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(SHARDSIM_SCENARIOS)) {
            if (entry.path().extension() != ".yaml")
                continue;
            SCOPED_TRACE(entry.path().string());
            ScenarioLoad load = loadScenarioFile(entry.path().string());
            ASSERT_TRUE(load.ok()) << load.errorText();
            auto run = runSimulation(*load.config, RunOptions {});
            ASSERT_TRUE(run) << run.error();
            const std::string written = summaryJson(*run).dump(2);
            auto back = readSummaryJson(written);
            ASSERT_TRUE(back) << back.error();
            EXPECT_EQ(summaryJson(*back).dump(2), written);
            expectSameTotals(*run, *back);
            ++scenarios;
            withMigrations += !run->migrations.empty();
            withFailures += run->failedRequests > 0 && run->availability.failedRequests > 0;
            withQueries += run->queries.size() > 1;
        }
        EXPECT_GE(scenarios, 30);
        // The library exercises every part of the summary the old readers lost.
        EXPECT_GT(withMigrations, 0);
        EXPECT_GT(withFailures, 0);
        EXPECT_GT(withQueries, 0);
    }

    // Summaries written before a field existed read back with RunResult's defaults.
    TEST(SummaryJson, AnOlderSummaryKeepsTheDefaults)
    {
        auto back = readSummaryJson(R"({"scenario":"old","requests":10,"shed_requests":1})");
        ASSERT_TRUE(back) << back.error();
        EXPECT_EQ(back->scenario, "old");
        EXPECT_EQ(back->shedRequests, 1);
        EXPECT_EQ(back->servedRequests, 0);
        EXPECT_FALSE(back->service.serversGiven);
        EXPECT_EQ(back->latency.p99Ms, 0);
        EXPECT_TRUE(back->migrations.empty());
    }

    TEST(SummaryJson, TextThatIsNotJsonIsRefusedAtItsLineAndColumn)
    {
        auto back = readSummaryJson("{\n  \"scenario\": \"x\",\n  \"requests\": ]\n}", "run 4's summary");
        ASSERT_FALSE(back);
        EXPECT_EQ(back.error().rfind("run 4's summary:3:15: not a summary.json: parse error", 0), 0u) << back.error();
        EXPECT_FALSE(readSummaryJson("[1, 2]"));
    }

    TEST(SummaryJson, AFieldOfTheWrongKindIsNamed)
    {
        auto back = readSummaryJson(R"({"nodes":[{"name":"node-1"},{"name":"node-2","requests":"many"}]})");
        ASSERT_FALSE(back);
        EXPECT_EQ(back.error(), "summary.json: nodes[1].requests: expected a number, found the string \"many\"");

        back = readSummaryJson(R"({"queries":[{"op":"get","fanout_histogram":[1,true]}]})");
        ASSERT_FALSE(back);
        EXPECT_EQ(back.error(), "summary.json: queries[0].fanout_histogram[1]: expected a number, found true");

        back = readSummaryJson(R"({"engine":"quantum"})");
        ASSERT_FALSE(back);
        EXPECT_EQ(back.error(), "summary.json: engine: expected \"auto\", \"sampled\" or \"expected\", found \"quantum\"");
    }

    TEST(SummaryJson, AMigrationsNodesComeBackInNodeOrder)
    {
        RunResult run;
        run.nodes.resize(3);
        run.nodes[0].name = "node-1";
        run.nodes[1].name = "node-2";
        run.nodes[2].name = "node-3";
        MigrationSummary migration;
        migration.event = "add_nodes 1";
        migration.nodeOutBytes = { 100, 0, 0 };
        migration.nodeInBytes = { 0, 0, 100 };
        run.migrations = { migration };
        auto back = readSummaryJson(summaryJson(run).dump());
        ASSERT_TRUE(back) << back.error();
        ASSERT_EQ(back->migrations.size(), 1u);
        EXPECT_EQ(back->migrations[0].nodeOutBytes, (std::vector<double> { 100, 0, 0 }));
        EXPECT_EQ(back->migrations[0].nodeInBytes, (std::vector<double> { 0, 0, 100 }));
    }

} // namespace
} // namespace shardsim
