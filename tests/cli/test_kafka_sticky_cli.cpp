// Records without a key under the kafka rule, as a user meets them on the command line.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.h"

namespace {

namespace fs = std::filesystem;

const std::string kKeylessLesson = SHARDSIM_SCENARIOS "/rules/kafka-keyless-logs.yaml";

std::string readText(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A topic of records without a key under `rule`, written into a fresh directory.
fs::path writeKeyless(const std::string& name, const std::string& rule)
{
    const fs::path dir = fs::temp_directory_path() / ("shardsim-kafka-sticky-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "topic.yaml")
        << "name: topic\nseed: 9\nduration: 30s\ntick: 1s\n"
           "cluster: { nodes: 3, node: { max_qps: 100K } }\n"
           "data:\n  tables:\n    - { name: logs, key: offset, rows: 1M, row_size: 2000B }\n"
           "sharding: { rule: \""
            + rule
            + "\" }\n"
              "workload:\n  rate: 20K/s\n  keys: none\n  mix:\n    - { kind: insert, table: logs }\n";
    return dir;
}

TEST(KafkaStickyCli, ExplainSaysKeylessRecordsAreSticky)
{
    const CliResult result = runCli({ "route", "--rule", "kafka:partitions=12", "--explain", "42" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("records without a key take the sticky partitioner instead (KIP-794): 16384 bytes to "
                              "one partition, then the next chosen at random, weighted by max queue + 1 - the "
                              "partition's queue"),
        std::string::npos)
        << result.out;
    const CliResult uniform
        = runCli({ "route", "--rule", "kafka:partitions=12,adaptive=false,batch_size=1024", "--explain", "42" });
    ASSERT_EQ(uniform.exitCode, 0) << uniform.err;
    EXPECT_NE(
        uniform.out.find("1024 bytes to one partition, then the next chosen uniformly at random"), std::string::npos)
        << uniform.out;
}

TEST(KafkaStickyCli, TheLessonSpreadsEvenlyAndPassesItsChecks)
{
    const CliResult result = runCli({ "run", kKeylessLesson, "--engine", "expected", "--no-history", "--quiet" });
    EXPECT_EQ(result.exitCode, 0) << result.out << result.err;
    const CliResult described = runCli({ "describe", kKeylessLesson });
    ASSERT_EQ(described.exitCode, 0) << described.err;
    EXPECT_NE(
        described.out.find("none: records without a key, placed by Kafka's sticky partitioner"), std::string::npos)
        << described.out;
}

TEST(KafkaStickyCli, SampledBatchesAreTheSameOnAnyThreadCount)
{
    const fs::path dir = writeKeyless("threads", "kafka:partitions=6");
    for (const char* threads : { "1", "3" })
        ASSERT_EQ(runCli({ "run", (dir / "topic.yaml").string(), "--engine", "sampled", "--threads", threads, "--out",
                             (dir / threads).string(), "--no-history", "--quiet" })
                      .exitCode,
            0);
    const std::string one = readText(dir / "1" / "summary.json");
    EXPECT_EQ(one, readText(dir / "3" / "summary.json"));
    // 600K records of 2,000 bytes: 9 to a batch, each batch on one partition.
    const auto summary = nlohmann::json::parse(one);
    double total = 0;
    for (const auto& shard : summary["shards"])
        total += shard["requests"].get<double>();
    EXPECT_NEAR(total, 600'000, 5 * std::sqrt(600'000.0)); // Poisson arrivals
    ASSERT_EQ(summary["shards"].size(), 6u);
    // 66,667 batches over 6 partitions: each partition's records vary by sqrt(66667 x 1/6 x 5/6) x 9 = 0.9%.
    for (const auto& shard : summary["shards"])
        EXPECT_NEAR(shard["requests"].get<double>(), total / 6, 0.04 * total / 6) << shard;
    fs::remove_all(dir);
}

TEST(KafkaStickyCli, KeylessRecordsUnderAnotherRuleAreAnErrorAtTheirField)
{
    const fs::path dir = writeKeyless("mod", "mod:n=6");
    const std::string file = (dir / "topic.yaml").string();
    const CliResult result = runCli({ "validate", file });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.out.find(file
                  + ":12:9: error: workload.keys: records without a key need a partitioner that accepts them: kafka"),
        std::string::npos)
        << result.out;
    fs::remove_all(dir);
}

} // namespace
