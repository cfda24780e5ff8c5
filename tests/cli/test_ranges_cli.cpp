// `run` under an auto-range rule reports what the ranges did: summary.json `ranges` with the fields the issue names,
// ranges.csv window by window, and a Ranges paragraph in words that names the key no split could help.

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "cli_runner.h"

namespace {

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST(RangesCli, TheHotKeyLessonReportsItsRangesInJsonCsvAndWords)
{
    const auto dir = std::filesystem::temp_directory_path() / ("shardsim-cli-ranges-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    const CliResult result = runCli({ "run", SHARDSIM_SCENARIOS "/ranges/hot-key.yaml", "--out", dir.string(),
        "--engine", "expected", "--no-history" });
    ASSERT_EQ(result.exitCode, 0) << result.err << result.out;

    // Key 1 draws 50% of 10,000 requests/s on node-1 (the first range's node), which serves 4,000/s. A minute in,
    // CockroachDB's store rebalancer moves its one-key range to node-3, which had none: the key's 5,000/s is reported
    // where it ends. With one copy there is no follower to pass its leader to: it moved, copying its one row.
    const auto summary = nlohmann::json::parse(readFile(dir / "summary.json"));
    ASSERT_TRUE(summary.contains("ranges")) << summary.dump(2);
    const auto& ranges = summary["ranges"];
    for (const char* field : { "start", "end", "splits", "merges", "moves", "bytes_moved", "unsplittable",
             "balanced_at_s", "max_ranges_per_node", "min_ranges_per_node", "leader_transfers" })
        EXPECT_TRUE(ranges.contains(field)) << field;
    ASSERT_EQ(ranges["unsplittable"].size(), 1u);
    EXPECT_EQ(ranges["unsplittable"][0]["key"], 1);
    EXPECT_NEAR(ranges["unsplittable"][0]["rate"].get<double>(), 5000, 0.01);
    EXPECT_EQ(ranges["unsplittable"][0]["node"], "node-3");
    EXPECT_EQ(ranges["leader_transfers"], 0);
    EXPECT_EQ(ranges["end"].get<int>() - ranges["start"].get<int>(), ranges["splits"].get<int>() - ranges["merges"].get<int>());

    // 2 minutes of CockroachDB's 1 s load windows: 120 lines under the header.
    const std::string csv = readFile(dir / "ranges.csv");
    EXPECT_EQ(csv.rfind("time_s,seconds,ranges,splits,merges,moves,bytes_moved,busiest_range_rate,leader_transfers\n", 0),
        0u)
        << csv;
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 121) << csv;

    EXPECT_NE(result.out.find("\nRanges\n"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("key 1 stayed on node-3 at 5K/s, above what one node serves (4K/s)"), std::string::npos)
        << result.out;
    std::filesystem::remove_all(dir);
}

TEST(RangesCli, OtherRulesWriteNoRanges)
{
    const auto dir = std::filesystem::temp_directory_path() / ("shardsim-cli-noranges-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    const CliResult result = runCli({ "run", SHARDSIM_SCENARIOS "/ranges/add-node-hash.yaml", "--out", dir.string(),
        "--engine", "expected", "--no-history" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_FALSE(nlohmann::json::parse(readFile(dir / "summary.json")).contains("ranges"));
    EXPECT_FALSE(std::filesystem::exists(dir / "ranges.csv"));
    EXPECT_EQ(result.out.find("\nRanges\n"), std::string::npos);
    std::filesystem::remove_all(dir);
}
