// describe and run tell the same story of a scenario: the rows per shard describe reports are the rows the run
// stores, and the shards a run reports cover all of it, through its reshards.

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "cli_runner.h"

namespace {

const std::string kGeo = SHARDSIM_SCENARIOS "/rules/geo-east-north.yaml";

nlohmann::json runSummary(const std::string& scenario, const std::string& name)
{
    const auto dir
        = std::filesystem::temp_directory_path() / ("shardsim-whole-run-" + name + "-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    const CliResult result = runCli({ "run", scenario, "--out", dir.string(), "--engine", "expected", "--no-history" });
    EXPECT_EQ(result.exitCode, 0) << result.err;
    std::ifstream in(dir / "summary.json");
    std::stringstream text;
    text << in.rdbuf();
    std::filesystem::remove_all(dir);
    return nlohmann::json::parse(text.str());
}

} // namespace

TEST(WholeRunCli, DescribeSaysTheRowsPerShardTheRunStores)
{
    const CliResult described = runCli({ "describe", kGeo });
    ASSERT_EQ(described.exitCode, 0) << described.err;
    // East's 60% of 10M, not 10M / 2 shards.
    EXPECT_NE(described.out.find("6M on east, the largest; 5M on average (limit 10M)"), std::string::npos)
        << described.out;
    const auto summary = runSummary(kGeo, "geo");
    EXPECT_EQ(summary["tables"][0]["largest"], "east");
    EXPECT_DOUBLE_EQ(summary["tables"][0]["max_rows_per_table"].get<double>(), 6e6);
}

TEST(WholeRunCli, ShardsCoverTheRunThroughAReshard)
{
    // modulo-two-to-three reshards mod 2 to mod 3 at 10m: the shards of both rules are listed.
    const auto summary = runSummary(SHARDSIM_SCENARIOS "/events/modulo-two-to-three.yaml", "reshard");
    double shards = 0;
    std::vector<std::string> names;
    for (const auto& shard : summary["shards"]) {
        shards += shard["requests"].get<double>();
        names.push_back(shard["name"]);
    }
    double calls = 0;
    for (const auto& query : summary["queries"])
        calls += query["shard_requests"].get<double>();
    EXPECT_GT(calls, 0);
    EXPECT_NEAR(shards, calls, 1e-9 * calls);
    ASSERT_EQ(names.size(), 5u);
    EXPECT_EQ(names[3], names[0] + " (mod:n=2)");
    EXPECT_EQ(summary["shards"][3]["node"], "");
}
