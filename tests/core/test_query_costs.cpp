// The textbook costs of queries across shards, in both engines: 2PC share of multi-key transactions, rows read by
// deep pages ordered by a non-shard column, scatter versus mapping-table and gene lookups, joins of bound and
// broadcast tables, aggregates; and the fan-out math the expected engine computes them with.

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "engine_test_support.h"
#include "queries/fanout_math.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    using namespace shardsim::testing;

// Equal up to the rounding of summing a run's ticks.
#define EXPECT_CLOSE(a, b) EXPECT_NEAR((a), (b), 1e-9 * std::max(1.0, std::fabs(static_cast<double>(b))))

    const std::string kScenario = std::string(SHARDSIM_TEST_DATA) + "/scenarios/valid/queries-8-shards.yaml";

    ScenarioConfig load(const std::vector<std::string>& overrides = {})
    {
        ScenarioLoad load = loadScenarioFile(kScenario, ScenarioReadOptions { overrides });
        EXPECT_TRUE(load.ok()) << load.errorText();
        return load.config.value_or(ScenarioConfig {});
    }

    // A proportion seen over `calls` calls agrees with p within 5 standard deviations.
    void expectShare(double seen, double p, double calls, const std::string& what)
    {
        EXPECT_NEAR(seen, p, 5 * std::sqrt(p * (1 - p) / calls) + 1e-12) << what;
    }

    class QueryCosts : public ::testing::TestWithParam<EngineMode> {
    protected:
        static void SetUpTestSuite()
        {
            const ScenarioConfig config = load();
            s_expected = mustRun(config, EngineMode::Expected);
            s_sampled = mustRun(config, EngineMode::Sampled);
        }
        const RunResult& result() const { return GetParam() == EngineMode::Expected ? s_expected : s_sampled; }
        bool exact() const { return GetParam() == EngineMode::Expected; }

        static RunResult s_expected;
        static RunResult s_sampled;
    };
    RunResult QueryCosts::s_expected;
    RunResult QueryCosts::s_sampled;

    TEST_P(QueryCosts, TwoKeyTransactionOnEightUniformShardsIsTwoPhaseSevenEighthsOfTheTime)
    {
        const QuerySummary& transfer = querySummaryOf(result(), "transfer");
        if (exact())
            EXPECT_NEAR(transfer.crossShardFraction, 7.0 / 8.0, 1e-12);
        else
            expectShare(transfer.crossShardFraction, 7.0 / 8.0, transfer.calls, "2PC share");
        EXPECT_EQ(transfer.maxFanout, 2);
        ASSERT_EQ(transfer.fanoutHistogram.size(), 3u);
        expectShare(transfer.fanoutHistogram[1] / transfer.calls, 1.0 / 8.0, transfer.calls, "one shard");
        EXPECT_NEAR(transfer.meanFanout, 1.875, exact() ? 1e-12 : 0.01);
        // Two writes plus one prepare per participant of a 2PC call: 1.875 + 2 x 7/8.
        EXPECT_NEAR(transfer.amplification, 3.625, exact() ? 1e-12 : 0.02);
        EXPECT_NEAR(transfer.extraRoundTripsPerCall, 7.0 / 8.0, exact() ? 1e-12 : 0.01);
    }

    TEST_P(QueryCosts, PageAtOffset1000OrderedByANonShardColumnReadsEightTimes1020Rows)
    {
        const QuerySummary& report = querySummaryOf(result(), "report");
        EXPECT_CLOSE(report.rowsReadPerCall, 8 * 1020.0);
        EXPECT_CLOSE(report.meanFanout, 8);
        EXPECT_EQ(report.maxFanout, 8);
        EXPECT_CLOSE(report.amplification, 8);
        EXPECT_CLOSE(report.crossShardFraction, 1);
        // Offsets 0, 20, ..., 1000 drawn uniformly: a mean offset of 500.
        const QuerySummary& deep = querySummaryOf(result(), "deep_pages");
        EXPECT_NEAR(deep.rowsReadPerCall, 8 * 520.0, exact() ? 1e-9 : 8 * 5 * 294.4 / std::sqrt(deep.calls));
        // By the shard key, one shard and one page.
        const QuerySummary& mine = querySummaryOf(result(), "my_orders");
        EXPECT_CLOSE(mine.meanFanout, 1);
        EXPECT_CLOSE(mine.rowsReadPerCall, 20);
    }

    TEST_P(QueryCosts, LookupsByAnotherColumn)
    {
        // No remedy: every shard.
        const QuerySummary& email = querySummaryOf(result(), "by_email");
        EXPECT_CLOSE(email.meanFanout, 8);
        EXPECT_CLOSE(email.extraLookupsPerCall, 0);
        EXPECT_CLOSE(email.amplification, 8);
        // Mapping table: one lookup, then one data shard.
        const QuerySummary& login = querySummaryOf(result(), "login");
        EXPECT_CLOSE(login.meanFanout, 1);
        EXPECT_CLOSE(login.extraLookupsPerCall, 1);
        EXPECT_CLOSE(login.amplification, 2);
        EXPECT_CLOSE(login.crossShardFraction, 0);
        // Gene: one shard, no lookup.
        const QuerySummary& gene = querySummaryOf(result(), "by_nickname");
        EXPECT_CLOSE(gene.meanFanout, 1);
        EXPECT_CLOSE(gene.extraLookupsPerCall, 0);
        EXPECT_CLOSE(gene.amplification, 1);
    }

    TEST_P(QueryCosts, TheMappingTableIsARealTable)
    {
        const auto& tables = result().tables;
        const auto map = std::find_if(
            tables.begin(), tables.end(), [](const TableSummary& t) { return t.name == "t_user_login_name_map"; });
        ASSERT_NE(map, tables.end());
        EXPECT_CLOSE(map->rows, 1e6);
        EXPECT_EQ(map->physicalTables, 8);
    }

    TEST_P(QueryCosts, JoinsBroadcastsAggregatesAndInserts)
    {
        EXPECT_CLOSE(querySummaryOf(result(), "user_orders").meanFanout, 1); // bound_to: local
        EXPECT_CLOSE(querySummaryOf(result(), "with_region").meanFanout, 1); // broadcast side: local
        EXPECT_CLOSE(querySummaryOf(result(), "product_join").meanFanout, 8); // neither: every shard
        EXPECT_CLOSE(querySummaryOf(result(), "place_order").crossShardFraction, 0); // bound tables commit locally
        EXPECT_CLOSE(querySummaryOf(result(), "regions").meanFanout, 1); // one broadcast copy
        const QuerySummary& count = querySummaryOf(result(), "count_orders");
        EXPECT_CLOSE(count.meanFanout, 8);
        EXPECT_CLOSE(count.rowsReadPerCall, 8); // one partial per shard
        const QuerySummary& insert = querySummaryOf(result(), "sign_up");
        EXPECT_CLOSE(insert.meanFanout, 1);
        EXPECT_CLOSE(insert.amplification, 1);
        EXPECT_CLOSE(querySummaryOf(result(), "get_user").amplification, 1);
    }

    TEST_P(QueryCosts, NodeLoadCountsShardRequests)
    {
        double shardRequests = 0;
        double calls = 0;
        for (const QuerySummary& summary : result().queries) {
            shardRequests += summary.shardRequests;
            calls += summary.calls;
        }
        EXPECT_NEAR(result().requests, shardRequests, 1e-6 * shardRequests);
        EXPECT_CLOSE(result().clientRequests, calls);
        EXPECT_GT(result().requests, 2.5 * calls);
        // Which operations load which node: the operations' node loads add up to each node's requests.
        for (size_t n = 0; n < result().nodes.size(); ++n) {
            double byOperations = 0;
            for (const QuerySummary& summary : result().queries) {
                ASSERT_EQ(summary.nodeLoad.size(), result().nodes.size());
                byOperations += summary.nodeLoad[n];
            }
            EXPECT_NEAR(byOperations, result().nodes[n].requests, 1e-9 * result().nodes[n].requests);
        }
        // by_email asks every shard: an eighth of its requests on each node.
        const QuerySummary& email = querySummaryOf(result(), "by_email");
        EXPECT_CLOSE(email.nodeLoad[3], email.shardRequests / 8);
    }

    INSTANTIATE_TEST_SUITE_P(BothEngines, QueryCosts, ::testing::Values(EngineMode::Expected, EngineMode::Sampled),
        [](const auto& param) { return std::string(engineModeName(param.param)); });

    TEST(QueryCostsRemedies, RemovingTheLookupMakesLoginScatter)
    {
        ScenarioConfig config = load();
        config.sharding.lookup.clear();
        const RunResult result = mustRun(config, EngineMode::Expected);
        EXPECT_CLOSE(querySummaryOf(result, "login").meanFanout, 8);
        EXPECT_CLOSE(querySummaryOf(result, "login").extraLookupsPerCall, 0);
        EXPECT_CLOSE(querySummaryOf(result, "by_nickname").meanFanout, 8);
        for (const TableSummary& table : result.tables)
            EXPECT_NE(table.name, "t_user_login_name_map");
    }

    TEST(QueryCostsRemedies, RowCostsShowDeepPagesAsLoad)
    {
        ScenarioConfig config = load();
        const RunResult plain = mustRun(config, EngineMode::Expected);
        config.workload.cost.perRow = 0.01;
        const RunResult weighted = mustRun(config, EngineMode::Expected);
        double rows = 0;
        for (const QuerySummary& summary : plain.queries)
            rows += summary.rowsReadPerCall * summary.calls;
        EXPECT_NEAR(weighted.requests, plain.requests + 0.01 * rows, 1e-6 * weighted.requests);
        const auto share = [](const RunResult& r, const std::string& op) {
            for (const OperationSummary& summary : r.operations)
                if (summary.name == op)
                    return summary.share;
            return 0.0;
        };
        // 8 x 1020 rows at 0.01 each add 81.6 units to its 8 requests.
        EXPECT_GT(share(weighted, "report"), 3 * share(plain, "report"));
    }

    TEST(QueryCostsRemedies, SampledCountsDoNotDependOnThreads)
    {
        const ScenarioConfig config = load({ "duration=10s" });
        const RunResult one = mustRun(config, EngineMode::Sampled, 1);
        const RunResult three = mustRun(config, EngineMode::Sampled, 3);
        ASSERT_EQ(one.queries.size(), three.queries.size());
        for (size_t o = 0; o < one.queries.size(); ++o) {
            EXPECT_EQ(one.queries[o].calls, three.queries[o].calls);
            EXPECT_EQ(one.queries[o].rowsReadPerCall, three.queries[o].rowsReadPerCall);
            EXPECT_EQ(one.queries[o].fanoutHistogram, three.queries[o].fanoutHistogram);
        }
        EXPECT_EQ(one.requests, three.requests);
    }

    // Skewed keys over a hashed rule: the expected engine's fan-out distribution, 2PC share, amplification and rows
    // agree with the drawn calls within sampling error for every operation.
    TEST(QueryCostsAgreement, BothEnginesAgreeOnSkewedKeys)
    {
        const ScenarioConfig config
            = load({ "workload.keys.distribution=zipf", "sharding.rule=hash-mod:n=8,hash=murmur3", "duration=30s" });
        const RunResult expected = mustRun(config, EngineMode::Expected);
        const RunResult sampled = mustRun(config, EngineMode::Sampled);
        ASSERT_EQ(expected.queries.size(), sampled.queries.size());
        for (size_t o = 0; o < expected.queries.size(); ++o) {
            const QuerySummary& e = expected.queries[o];
            const QuerySummary& s = sampled.queries[o];
            SCOPED_TRACE(e.op);
            EXPECT_NEAR(s.calls, e.calls, 5 * std::sqrt(e.calls));
            expectShare(s.crossShardFraction, e.crossShardFraction, s.calls, "cross-shard share");
            EXPECT_EQ(s.maxFanout, e.maxFanout);
            for (size_t d = 0; d < e.fanoutHistogram.size() && d < s.fanoutHistogram.size(); ++d)
                expectShare(s.fanoutHistogram[d] / s.calls, e.fanoutHistogram[d] / e.calls, s.calls, "histogram");
            // Amplification and fan-out are sums of a few bounded counts per call: within 5 sigma of at most
            // 2 x 8 shard requests.
            EXPECT_NEAR(s.amplification, e.amplification, 5 * 8 / std::sqrt(s.calls) + 1e-12);
            EXPECT_NEAR(s.meanFanout, e.meanFanout, 5 * 4 / std::sqrt(s.calls) + 1e-12);
            EXPECT_NEAR(s.rowsReadPerCall, e.rowsReadPerCall, 5 * 8 * 300 / std::sqrt(s.calls) + 1e-9);
        }
        // The nodes' shares of the shard requests agree too.
        for (size_t n = 0; n < expected.nodes.size(); ++n) {
            const double p = expected.nodes[n].share;
            EXPECT_NEAR(sampled.nodes[n].share, p, 5 * std::sqrt(p * (1 - p) / sampled.clientRequests) + 2e-3)
                << expected.nodes[n].name;
        }
    }

    // A vertical split: the core row shrinks (more rows per 16 KiB page), the extension table is stored with it,
    // and only the operation that reads split columns pays a second request per shard.
    TEST(VerticalSplit, CoreAndExtensionTables)
    {
        ScenarioLoad loaded
            = loadScenarioFile(std::string(SHARDSIM_TEST_DATA) + "/scenarios/valid/vertical-split.yaml");
        ASSERT_TRUE(loaded.ok()) << loaded.errorText();
        for (EngineMode engine : { EngineMode::Expected, EngineMode::Sampled }) {
            const RunResult result = mustRun(*loaded.config, engine);
            ASSERT_EQ(result.tables.size(), 2u);
            EXPECT_EQ(result.tables[0].name, "t_user");
            EXPECT_DOUBLE_EQ(result.tables[0].rowSize, 1000 - 708);
            EXPECT_DOUBLE_EQ(result.tables[0].rowsPerPage, 56); // 16384 / 292; the unsplit 1 KB row: 16
            EXPECT_EQ(result.tables[1].name, "t_user_ext");
            EXPECT_DOUBLE_EQ(result.tables[1].rowSize, 708 + 8);
            EXPECT_DOUBLE_EQ(result.tables[1].rows, 1e6);
            double bytes = 0;
            for (const NodeSummary& node : result.nodes)
                bytes += node.bytes;
            EXPECT_DOUBLE_EQ(bytes, 1e6 * (292 + 716));
            EXPECT_CLOSE(querySummaryOf(result, "get_user").amplification, 1);
            EXPECT_CLOSE(querySummaryOf(result, "get_profile").amplification, 2);
            EXPECT_CLOSE(querySummaryOf(result, "get_profile").meanFanout, 1);
            EXPECT_CLOSE(querySummaryOf(result, "get_profile").rowsReadPerCall, 2);
        }
    }

    TEST(VerticalSplit, BadSplitsAreNamedWithTheirPlace)
    {
        const std::string text = "name: s\nduration: 1s\ncluster: { nodes: 1 }\ndata:\n  tables:\n"
                                 "    - name: t\n      rows: 10\n      row_size: 100B\n      split:\n"
                                 "        columns: { blob: { size: 120B, read_by: [get_blbo] } }\n"
                                 "sharding: { rule: \"mod:n=1\" }\nworkload:\n  rate: 1/s\n"
                                 "  mix: [ { op: get_blob, kind: point, table: t } ]\n";
        ScenarioLoad loaded = loadScenarioText(text, "split.yaml", "");
        ASSERT_FALSE(loaded.ok());
        const std::string errors = loaded.errorText();
        EXPECT_NE(errors.find("split.yaml:10:"), std::string::npos) << errors;
        EXPECT_NE(errors.find("the split columns take 120 B of the row's 100 B"), std::string::npos) << errors;
        EXPECT_NE(errors.find("read_by: no operation named 'get_blbo' in workload.mix; did you mean 'get_blob'?"),
            std::string::npos)
            << errors;
    }

    // Replicas: a write goes to every copy, a read to the copies read_from picks. Two regions, one copy of each
    // database in each, every caller in the east; half the calls read, half write one row.
    TEST(Replicas, WritesGoToEveryCopyReadsWhereReadFromSays)
    {
        const auto westShare = [](const std::string& readFrom, EngineMode engine) {
            const std::string text = "name: replicas\nseed: 5\nduration: 20s\n"
                                     "cluster: { nodes: 4, node: { max_qps: 1M }, regions: { east: 2, west: 2 }, "
                                     "replication: 2, read_from: "
                + readFrom
                + " }\ndata: { tables: [ { name: t_user, key: uid, rows: 1M } ] }\n"
                  "sharding: { rule: \"mod:n=4\" }\n"
                  "workload:\n  rate: 10K/s\n  geo: { east: 100% }\n"
                  "  mix: [ { op: get, kind: point, table: t_user }, { op: put, kind: transaction, tables: [t_user] } "
                  "]\n";
            ScenarioLoad loaded = loadScenarioText(text, "replicas.yaml", "");
            EXPECT_TRUE(loaded.ok()) << loaded.errorText();
            const RunResult result = mustRun(*loaded.config, engine);
            EXPECT_NEAR(
                result.requests, querySummaryOf(result, "get").calls + 2 * querySummaryOf(result, "put").calls, 1e-9 * result.requests);
            double west = 0;
            for (const NodeSummary& node : result.nodes)
                west += node.region == "west" ? node.requests : 0;
            return west / result.requests;
        };
        for (EngineMode engine : { EngineMode::Expected, EngineMode::Sampled }) {
            const double tolerance = engine == EngineMode::Expected ? 1e-9 : 0.01;
            EXPECT_NEAR(westShare("nearest", engine), 1.0 / 3, tolerance); // the west copies take only writes
            EXPECT_NEAR(westShare("primary", engine), 0.5, tolerance); // half the primaries are in the west
            EXPECT_NEAR(westShare("any", engine), 0.5, tolerance); // each read split over both copies
        }
    }

    TEST(FanoutMath, DistinctShardsOfUniformKeys)
    {
        const std::vector<double> uniform(8, 1.0 / 8);
        const auto two = queries::distinctShardHistogram(uniform, 0, 2);
        ASSERT_EQ(two.size(), 3u);
        EXPECT_NEAR(two[1], 1.0 / 8, 1e-15);
        EXPECT_NEAR(two[2], 7.0 / 8, 1e-15);
        const auto three = queries::distinctShardHistogram(uniform, 0, 3);
        EXPECT_NEAR(three[1], 1.0 / 64, 1e-15);
        EXPECT_NEAR(three[3], 8.0 * 7 * 6 / 512, 1e-15);
        EXPECT_NEAR(three[2], 1 - 1.0 / 64 - 336.0 / 512, 1e-15);
        EXPECT_NEAR(queries::expectedDistinct(uniform, 2), 8 * (1 - 49.0 / 64), 1e-15);
    }

    TEST(FanoutMath, SkewedSharesAndRefusedKeys)
    {
        const std::vector<double> shares { 0.5, 0.2, 0.1, 0.1 };
        const double refused = 0.1;
        for (int64_t k : { 1, 2, 4, 7 }) {
            const auto histogram = queries::distinctShardHistogram(shares, refused, k);
            EXPECT_NEAR(std::accumulate(histogram.begin(), histogram.end(), 0.0), 1, 1e-12);
            double mean = 0;
            for (size_t d = 0; d < histogram.size(); ++d)
                mean += static_cast<double>(d) * histogram[d];
            EXPECT_NEAR(mean, queries::expectedDistinct(shares, k), 1e-12) << k;
            EXPECT_NEAR(histogram[0], std::pow(refused, static_cast<double>(k)), 1e-15);
            double one = 0;
            for (double p : shares)
                one += std::pow(p + refused, static_cast<double>(k)) - std::pow(refused, static_cast<double>(k));
            EXPECT_NEAR(histogram[1], one, 1e-12) << k;
        }
    }

} // namespace
} // namespace shardsim
