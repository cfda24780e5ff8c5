// `shardsim-cli analyze --trace`: the reads' and writes' single-shard, multi-shard and scatter-gather shares and the
// hottest shard come from the trace's rows, each routed through the candidate rule; the references are counted here
// from the rows the test writes.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <unistd.h>
#include <vector>

#include "cli_runner.h"

namespace {

struct Row {
    const char* op;
    int64_t key;
};

// get: a get by the key; search: a search by it (a page by the shard key); recent: a page ordered by time (every
// shard); put: an insert.
const std::vector<Row> kRows = { { "get", 1 }, { "get", 2 }, { "search", 5 }, { "get", 9 }, { "recent", 0 },
    { "put", 4 }, { "get", 13 }, { "search", 6 }, { "put", 8 }, { "recent", 0 }, { "get", 5 } };

class AnalyzeTraceTargeting : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = std::filesystem::temp_directory_path() / ("shardsim-trace-targeting-" + std::to_string(getpid()));
        std::filesystem::create_directories(m_dir);
        std::ofstream(m_dir / "docs.yaml") << R"(name: docs
duration: 10s
cluster: { nodes: 4 }
data:
  tables:
    - { name: docs, key: id, rows: 1000, columns: { created_at: time } }
sharding: { rule: "mod:n=4" }
workload:
  rate: 10/s
  mix:
    - { op: get, kind: point, table: docs }
    - { op: search, kind: page, table: docs, by: id, limit: 10 }
    - { op: recent, kind: page, table: docs, order_by: created_at, limit: 10 }
    - { op: put, kind: insert, table: docs }
)";
        std::ofstream trace(m_dir / "rows.csv");
        trace << "time,op,key\n";
        for (size_t i = 0; i < kRows.size(); ++i)
            trace << i << ".0," << kRows[i].op << "," << kRows[i].key << "\n";
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }

    CliResult analyze(std::vector<std::string> extra)
    {
        std::vector<std::string> args { "analyze", (m_dir / "docs.yaml").string(), "--trace",
            (m_dir / "rows.csv").string() };
        args.insert(args.end(), extra.begin(), extra.end());
        return runCli(args);
    }

    std::filesystem::path m_dir;
};

TEST_F(AnalyzeTraceTargeting, SharesAndHottestShardAreTheRowsOnes)
{
    // Reference under mod 4: a get, search or insert on key % 4, a time-ordered page on all 4 shards.
    double reads = 0, single = 0, scatter = 0, writes = 0;
    std::vector<double> load(4, 0.0);
    for (const Row& row : kRows) {
        const std::string op = row.op;
        if (op == "put") {
            ++writes;
        } else {
            ++reads;
            (op == "recent" ? scatter : single) += 1;
        }
        if (op == "recent")
            for (double& shard : load)
                shard += 1;
        else
            load[static_cast<size_t>(row.key % 4)] += 1;
    }
    double total = 0, hottest = 0;
    for (double shard : load) {
        total += shard;
        hottest = std::max(hottest, shard);
    }

    const CliResult result = analyze({ "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto c = nlohmann::json::parse(result.out)["candidates"][0];
    EXPECT_EQ(c["counted_from"], "trace");
    EXPECT_NEAR(c["reads"]["single_shard"].get<double>(), single / reads, 1e-12);
    EXPECT_NEAR(c["reads"]["multi_shard"].get<double>(), 0, 1e-12);
    EXPECT_NEAR(c["reads"]["scatter_gather"].get<double>(), scatter / reads, 1e-12);
    EXPECT_NEAR(c["writes"]["single_shard"].get<double>(), writes > 0 ? 1 : 0, 1e-12);
    // Keys 1, 5, 9, 13, 5 make shard 1 the hottest: 7 of 17 requests, where the mix's uniform keys would give 1/4.
    EXPECT_NEAR(c["hottest_shard_share"].get<double>(), hottest / total, 1e-12);
    EXPECT_NEAR(hottest / total, 7.0 / 17, 1e-12);

    const CliResult text = analyze({});
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_NE(text.out.find("counted from     the trace: the 11 rows of rows.csv on this table (reads, writes, "
                            "hottest shard)"),
        std::string::npos)
        << text.out;
}

TEST_F(AnalyzeTraceTargeting, RoutedSearchesOnAPartitionedIndexAreMultiShard)
{
    // partition_size 3 over 6 shards routed by floorMod: every search visits 3 shards, every get 1.
    const CliResult result
        = analyze({ "--rule", "elasticsearch:shards=6,routing_shards=6,partition_size=3", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto c = nlohmann::json::parse(result.out)["candidates"][0];
    double reads = 0, searches = 0, scatters = 0;
    for (const Row& row : kRows) {
        const std::string op = row.op;
        reads += op == "put" ? 0 : 1;
        searches += op == "search" ? 1 : 0;
        scatters += op == "recent" ? 1 : 0;
    }
    EXPECT_NEAR(c["reads"]["multi_shard"].get<double>(), searches / reads, 1e-12);
    EXPECT_NEAR(c["reads"]["scatter_gather"].get<double>(), scatters / reads, 1e-12);
    EXPECT_NEAR(c["reads"]["single_shard"].get<double>(), 1 - (searches + scatters) / reads, 1e-12);
}

TEST(AnalyzeTraceVerdict, MonotonicInsertsLandWhereTheTracesInsertsGo)
{
    // orders-trace.csv inserts 101..106 under range:bounds=250|500|750: the last insert, 106, is below the first
    // bound, so the inserts go to shard 0, not to the shard of the model's next key 1,001.
    const int64_t lastInsert = 106;
    const std::vector<int64_t> bounds { 250, 500, 750 };
    const auto shard = std::upper_bound(bounds.begin(), bounds.end(), lastInsert) - bounds.begin();
    const CliResult result = runCli({ "analyze", SHARDSIM_TEST_DATA "/analyze/orders-trace.yaml", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto c = nlohmann::json::parse(result.out)["candidates"][0];
    EXPECT_NE(c["verdict"].get<std::string>().find(
                  "every insert lands on the last range (shard " + std::to_string(shard) + ")"),
        std::string::npos)
        << c["verdict"];
    // Every row of t_order is below 250: one shard takes all of them.
    EXPECT_NEAR(c["hottest_shard_share"].get<double>(), 1, 1e-12);
}

TEST(AnalyzeWithoutTrace, SaysTheModelCountedTheShares)
{
    const CliResult result
        = runCli({ "analyze", SHARDSIM_TEST_DATA "/scenarios/valid/analyze-keys.yaml", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_FALSE(nlohmann::json::parse(result.out)["candidates"][0].contains("counted_from"));
}

} // namespace
