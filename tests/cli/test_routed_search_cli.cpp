// A search by routing value on an Elasticsearch partitioned index, as a user sees it: `route --explain` names the
// shards such a search visits, `explain` shows a search fanning out to them and a get staying on one shard, and the
// run's fanout.csv counts them. The shards are computed here from the routing hash.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "cli_runner.h"
#include "shardsim/rules/hashes.h"

namespace {

const std::string kPartitioned = SHARDSIM_SCENARIOS "/queries/es-tenant-search-partitioned.yaml";

// IndexRouting.collectSearchShards on 6 shards with 6 routing shards: floorMod(hash + j, 6) for j = 0, 1, 2.
std::vector<int> searchShards(const std::string& routing)
{
    const auto hash
        = static_cast<int32_t>(shardsim::hashes::murmur3x86_32(shardsim::hashes::javaUtf16LittleEndian(routing), 0));
    std::vector<int> shards;
    for (int j = 0; j < 3; ++j) {
        const int64_t h = static_cast<int64_t>(hash) + j;
        shards.push_back(static_cast<int>(((h % 6) + 6) % 6));
    }
    return shards;
}

TEST(RoutedSearchCli, RouteExplainNamesTheShardsASearchVisits)
{
    const std::vector<int> shards = searchShards("7");
    const CliResult result
        = runCli({ "route", "--rule", "elasticsearch:shards=6,routing_shards=6,partition_size=3", "--explain", "7" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const std::string line = "j = 0..2: shard-" + std::to_string(shards[0]) + ", shard-" + std::to_string(shards[1])
        + ", shard-" + std::to_string(shards[2]) + " (3 of 6)";
    EXPECT_NE(result.out.find("a search with routing \"7\" visits the shards of "), std::string::npos) << result.out;
    EXPECT_NE(result.out.find(line), std::string::npos) << result.out;
}

TEST(RoutedSearchCli, ExplainFansASearchOutAndKeepsAGetOnOneShard)
{
    const CliResult search = runCli({ "explain", kPartitioned, "--op", "search", "--key", "7", "--format", "json" });
    ASSERT_EQ(search.exitCode, 0) << search.err;
    const auto json = nlohmann::json::parse(search.out);
    EXPECT_EQ(json["fanout"], 3);
    EXPECT_EQ(json["shard_requests"], 3);
    const CliResult text = runCli({ "explain", kPartitioned, "--op", "search", "--key", "7" });
    EXPECT_NE(text.out.find("the router merges 3 x 10 = 30 rows and returns 10"), std::string::npos) << text.out;
    for (int shard : searchShards("7"))
        EXPECT_NE(text.out.find("shard-" + std::to_string(shard)), std::string::npos) << text.out;

    const CliResult get = runCli({ "explain", kPartitioned, "--op", "get", "--key", "7", "--format", "json" });
    ASSERT_EQ(get.exitCode, 0) << get.err;
    EXPECT_EQ(nlohmann::json::parse(get.out)["fanout"], 1);
}

TEST(RoutedSearchCli, FanoutCsvCountsThreeShardsPerSearch)
{
    const auto dir = std::filesystem::temp_directory_path() / ("shardsim-routed-search-" + std::to_string(getpid()));
    const CliResult result = runCli({ "run", kPartitioned, "--engine", "sampled", "--out", dir.string(), "--no-history",
        "--set", "duration=10m", "--set", "expect=[]" }); // the scenario's exact figures are the expected engine's
    ASSERT_EQ(result.exitCode, 0) << result.err;
    std::ifstream csv(dir / "fanout.csv");
    std::string line;
    std::getline(csv, line);
    ASSERT_EQ(line, "tick,ticks,op,calls,shard_requests,mean_fanout,rows_read,lookups,cross_shard_fraction");
    int lines = 0;
    while (std::getline(csv, line)) {
        std::vector<std::string> fields;
        std::stringstream row(line);
        for (std::string field; std::getline(row, field, ',');)
            fields.push_back(field);
        ASSERT_EQ(fields.size(), 9u) << line;
        // A get touches its tenant's shard; a search and an aggregation the 3 shards of the tenant's partition.
        const double fanout = fields[2] == "get" ? 1 : 3;
        EXPECT_EQ(std::stod(fields[5]), fanout) << line;
        EXPECT_EQ(std::stod(fields[4]), fanout * std::stod(fields[3])) << line;
        ++lines;
    }
    EXPECT_EQ(lines, 3 * 10); // 3 operations, 10 one-minute ticks
    std::filesystem::remove_all(dir);
}

} // namespace
