// `run` tells a failover in words: which node failed, what took over and where, how loaded it got, the
// re-replication, what was shed or failed meanwhile, and how many users lost access.

#include <gtest/gtest.h>

#include <regex>

#include "cli_runner.h"

namespace {

const std::string kEvents = SHARDSIM_TEST_DATA "/events/";

// The story's block of the text: from its heading to the end.
std::string failoverBlock(const std::string& out)
{
    const size_t at = out.find("\nFailover\n");
    return at == std::string::npos ? std::string() : out.substr(at);
}

} // namespace

TEST(FailoverCli, ACrossRegionFailoverIsToldInWords)
{
    const CliResult result
        = runCli({ "run", kEvents + "cross-region-failover.yaml", "--engine", "expected", "--no-history" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const std::string story = failoverBlock(result.out);
    ASSERT_FALSE(story.empty()) << result.out;
    // mod:n=4 over east (node-1, node-2) and west (node-3, node-4): node-1's replica is on west's first node.
    EXPECT_NE(story.find("  node-1 (east) failed at 30s; node-3 (west) took over its 1 database "
                         "(cross-region failover: east -> west"),
        std::string::npos)
        << story;
    // At the peak of 23K/s node-3 serves its own 5.75K/s and node-1's on 10K/s of capacity: at least 115%.
    std::smatch peak;
    ASSERT_TRUE(std::regex_search(story, peak,
        std::regex("node-3 peaked at ([0-9]+)% offered load at ([0-9a-z]+): "
                   "overloaded, offered more than it can serve")))
        << story;
    EXPECT_GE(std::stoi(peak[1]), 115) << story;
    EXPECT_EQ(peak[2], "45s") << story;
    // node-1 holds two of the four databases' copies (its own and a replica): 2 x 10M rows x 1KB / 4 = 5GB, copied
    // at 100MB/s in 50 s; the workload only reads, so there is nothing to catch up on.
    std::smatch copy;
    ASSERT_TRUE(std::regex_search(story, copy,
        std::regex("Re-replicating node-1's copies \\(([0-9.]+) GB at 100 MB/s, from 30s\\) took 50s, done at 1m20s")))
        << story;
    EXPECT_NEAR(std::stod(copy[1]), 5.0, 0.05) << story;
    EXPECT_NE(story.find("While node-1 was down (until it recovered at 1m30s): "), std::string::npos) << story;
    EXPECT_NE(story.find("requests shed, 0 failed"), std::string::npos) << story;
    EXPECT_NE(story.find("No user lost access: every database kept a copy up"), std::string::npos) << story;
}

TEST(FailoverCli, WithoutAReplicaTheRequestsFailAndTheUsersAreCounted)
{
    const CliResult result
        = runCli({ "run", kEvents + "unreplicated-failure.yaml", "--engine", "expected", "--no-history" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const std::string story = failoverBlock(result.out);
    EXPECT_NE(story.find("node-2 failed at 30s; no copy of its 1 database was up elsewhere"), std::string::npos)
        << story;
    EXPECT_EQ(story.find("took over"), std::string::npos) << story;
    EXPECT_NE(story.find("No re-replication ran: there was no copy left to rebuild from"), std::string::npos) << story;
    // A quarter of 8K/s for the 30 s node-2 was down (30s to 1m): 60K requests failed.
    EXPECT_NE(
        story.find("While node-2 was down (until it recovered at 1m): 0 requests shed, 60K failed"), std::string::npos)
        << story;
    EXPECT_NE(story.find("Users affected: 25% of users"), std::string::npos) << story;
}

TEST(FailoverCli, ARunWithoutFailuresTellsNoFailover)
{
    const CliResult result = runCli(
        { "run", SHARDSIM_SCENARIOS "/events/modulo-two-to-three.yaml", "--engine", "expected", "--no-history" });
    ASSERT_NE(result.out.find("node-1"), std::string::npos) << result.err;
    EXPECT_EQ(result.out.find("Failover"), std::string::npos) << result.out;
}
