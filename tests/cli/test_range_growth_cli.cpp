// auto-range beside static rules from the command line: compare's growth columns filled by the balancer, a plan
// that sizes an auto-range cluster and passes its verification, and migrate's answer for a rule with no fixed layout.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace {

const std::string kDouble11 = SHARDSIM_SCENARIOS "/ranges/double-11-hot-range.yaml";

// The lesson's table is 1M items of 1 KB: TiKV cuts it into ceil(1 GB / 256 MiB) = 4 regions, dealt over 5 nodes.
// No event grows the cluster, so the step is x2: 10 nodes. No store is more than one region ahead of another, inside
// PD's band of 2 region sizes, so nothing moves, where an even spread would give the 5 new nodes half of the data;
// jump doubled moves exactly half.
TEST(RangeGrowthCli, CompareShowsTheBalancersGrowthBesideJump)
{
    const CliResult result
        = runCli({ "compare", kDouble11, "--rules", "auto-range:preset=tikv,jump:buckets=8", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto json = nlohmann::json::parse(result.out);
    const auto& rows = json["rules"];
    ASSERT_EQ(rows.size(), 2u) << result.out;
    const auto& ranges = rows[0]["growth"];
    ASSERT_FALSE(ranges.is_null()) << result.out;
    EXPECT_EQ(ranges["to"], "10 nodes: 0 of 4 ranges moved in 0s");
    EXPECT_EQ(ranges["moved_fraction"].get<double>(), 0.0);
    EXPECT_DOUBLE_EQ(ranges["optimum_fraction"].get<double>(), 0.5);
    EXPECT_EQ(ranges["moved_bytes"].get<double>(), 0.0);
    const auto& jump = rows[1]["growth"];
    EXPECT_EQ(jump["to"], "jump:buckets=16");
    EXPECT_NEAR(jump["moved_fraction"].get<double>(), 0.5, 0.01);

    const CliResult text = runCli({ "compare", kDouble11, "--rules", "auto-range:preset=tikv,jump:buckets=8" });
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_NE(text.out.find("10 nodes: 0 of 4 ranges moved in 0s"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("auto-range: the rule stays; the nodes grow x2"), std::string::npos) << text.out;
}

TEST(RangeGrowthCli, PlanSizesAnAutoRangeClusterAndItsVerificationPasses)
{
    const CliResult result
        = runCli({ "plan", SHARDSIM_TEST_DATA "/plans/auto-range-uniform.yaml", "--verify", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto plan = nlohmann::json::parse(result.out);
    ASSERT_TRUE(plan["feasible"].get<bool>()) << plan["reason"];
    EXPECT_EQ(plan["recommended"]["rule"], "auto-range:preset=tikv");
    EXPECT_EQ(plan["recommended"]["nodes"], 15);
    EXPECT_TRUE(plan["verification"]["passed"].get<bool>());
}

TEST(RangeGrowthCli, PlanNamesTheHotKeyNoNodeCountHelps)
{
    const CliResult result = runCli({ "plan", SHARDSIM_TEST_DATA "/plans/auto-range-hot-key.yaml" });
    EXPECT_EQ(result.exitCode, 0) << result.err; // an infeasible plan is an answer
    EXPECT_NE(result.out.find("the hottest key alone needs 10K req/s (key 1)"), std::string::npos) << result.out;
}

TEST(RangeGrowthCli, MigrateToAutoRangeSaysWhyThereIsNoKeyCount)
{
    const CliResult keys = runCli({ "migrate", "--from", "jump:buckets=8", "--to", "auto-range:preset=tikv" });
    EXPECT_EQ(keys.exitCode, 2);
    EXPECT_TRUE(keys.out.empty()) << keys.out;
    EXPECT_NE(keys.err.find("auto-range:preset=tikv has no fixed layout to count keys against"), std::string::npos)
        << keys.err;
    EXPECT_NE(keys.err.find("compare --rules"), std::string::npos) << keys.err;

    const CliResult scenario = runCli({ "migrate", "--scenario", kDouble11, "--to", "jump:buckets=5" });
    EXPECT_EQ(scenario.exitCode, 2);
    EXPECT_NE(scenario.err.find("auto-range:preset=cockroachdb"), std::string::npos) << scenario.err;
}

} // namespace
