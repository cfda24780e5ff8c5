// The capacity planner over auto-range clusters: the node count a uniform table's regions need, derived by hand and
// checked by runs one node either side; a hot key no node count helps; the scenario's own auto-range rule among the
// candidates; and the next growth of such a cluster as the balancer moves it.

#include <gtest/gtest.h>

#include "shardsim/engine/simulation.h"
#include "shardsim/planner/capacity_plan.h"
#include "shardsim/scenario/scenario_reader.h"

#include "plan_test_support.h"

namespace shardsim {
namespace {

    using shardsim::testing::kPlans;
    using shardsim::testing::loadPlan;

    CapacityPlan plan(const ScenarioConfig& scenario, PlanOptions options = {})
    {
        auto result = planCapacity(scenario, options);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
        return result.ok() ? *result : CapacityPlan {};
    }

    // The busiest node's utilization at the peak of the scenario run on `nodes` nodes (expected engine).
    double peakUtilization(ScenarioConfig scenario, int nodes)
    {
        scenario.cluster.nodes = nodes;
        RunOptions options;
        options.engine = EngineMode::Expected;
        auto result = runSimulation(scenario, options);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
        double busiest = 0;
        if (result.ok())
            for (const ClusterTick& tick : result->cluster)
                busiest = std::max(busiest, tick.maxUtilization);
        return busiest;
    }

    // 60 regions of 1,667 req/s dealt round-robin: n nodes serve at most ceil(60 / n) x 1,667 each. At 70% of 10K/s,
    // 14 nodes (5 regions, 8,333/s) break the limit and 15 (4 regions, 6,667/s) hold it: the even-spread count
    // ceil(100K / 7K) = 15.
    TEST(AutoRangePlan, UniformRegionsNeedFifteenNodesAndFourteenBreakTheLimit)
    {
        const ScenarioConfig scenario = loadPlan("auto-range-uniform.yaml");
        const CapacityPlan result = plan(scenario);
        ASSERT_TRUE(result.feasible) << result.reason;
        EXPECT_EQ(result.recommended.family, "auto-range:preset=tikv");
        EXPECT_EQ(result.recommended.rule, "auto-range:preset=tikv");
        EXPECT_EQ(result.recommended.nodes, 15);
        EXPECT_EQ(result.recommended.bindingConstraint, "qps");
        ASSERT_EQ(result.timeline.size(), 1u);
        EXPECT_NEAR(result.timeline[0].peakUtilization, 4 * 100e3 / 60 / 10e3, 1e-9);
        EXPECT_FALSE(result.preSplit.recommended);
        EXPECT_NE(result.preSplit.reason.find("nothing to pre-split"), std::string::npos) << result.preSplit.reason;

        EXPECT_NEAR(peakUtilization(scenario, 15), 4 * 100e3 / 60 / 10e3, 1e-9);
        EXPECT_NEAR(peakUtilization(scenario, 14), 5 * 100e3 / 60 / 10e3, 1e-9);
    }

    // Ranges that do not divide evenly: 110K/s needs ceil(110K / 7K) = 16 nodes on an even spread, but 16 to 19
    // nodes still give some node ceil(60 / n) = 4 regions of 1,833/s (7,333/s); 20 nodes give 3 (5,500/s).
    TEST(AutoRangePlan, TheRegionsOfTheRunNotTheEvenSpreadDecide)
    {
        const ScenarioConfig scenario = loadPlan("auto-range-uniform.yaml", { "workload.rate=110K/s" });
        const CapacityPlan result = plan(scenario);
        ASSERT_TRUE(result.feasible) << result.reason;
        EXPECT_EQ(result.recommended.nodes, 20);
        EXPECT_GT(peakUtilization(scenario, 19), 0.7);
        EXPECT_LE(peakUtilization(scenario, 20), 0.7);
    }

    TEST(AutoRangePlan, VerificationPassesForTheRecommendation)
    {
        PlanOptions options;
        options.verify = true;
        const CapacityPlan result = plan(loadPlan("auto-range-uniform.yaml"), options);
        ASSERT_TRUE(result.feasible) << result.reason;
        ASSERT_TRUE(result.verification);
        EXPECT_TRUE(result.verification->passed);
        EXPECT_TRUE(result.verification->steps.empty());
        EXPECT_EQ(result.recommended.nodes, 15);
        // The expected run and three sampled seeds, healthy cluster only (no failure tolerated).
        EXPECT_EQ(result.verification->runs.size(), 4u);
    }

    TEST(AutoRangePlan, AHotKeyNoNodeCountHelpsIsInfeasibleAndNamed)
    {
        const CapacityPlan result = plan(loadPlan("auto-range-hot-key.yaml"));
        EXPECT_FALSE(result.feasible);
        EXPECT_EQ(result.recommended.bindingConstraint, "hot_key");
        EXPECT_NE(result.reason.find("the hottest key alone needs 10K req/s (key 1); one node serves 7K req/s at 70%"),
            std::string::npos)
            << result.reason;
    }

    TEST(AutoRangePlan, TheScenariosOwnAutoRangeRuleIsACandidateAndWinsTies)
    {
        // The same 60 regions over 600K keys (26,800 B rows), in the window alone: 17 candidates stay cheap to size.
        ScenarioConfig scenario = loadPlan("auto-range-uniform.yaml",
            { "duration=16s", "data.tables[0].rows=600K", "data.tables[0].row_size=26800B" });
        scenario.plan->rules.clear();
        const CapacityPlan result = plan(scenario);
        ASSERT_TRUE(result.feasible) << result.reason;
        EXPECT_EQ(result.recommended.family, "auto-range:preset=tikv");
        EXPECT_EQ(result.recommended.nodes, 15);
        const bool jumpListed = std::any_of(result.alternatives.begin(), result.alternatives.end(),
            [](const PlanAlternative& alternative) { return alternative.rule == "jump"; });
        EXPECT_TRUE(jumpListed);
    }

    TEST(AutoRangePlan, PlanRulesTakeAnAutoRangeSpecAndNameABadOne)
    {
        const ScenarioConfig scenario
            = loadPlan("auto-range-uniform.yaml", { "plan.rules=[jump, auto-range:preset=cockroachdb]" });
        ASSERT_EQ(scenario.plan->rules.size(), 2u);
        EXPECT_EQ(scenario.plan->rules[1], "auto-range:preset=cockroachdb");

        ScenarioLoad bad = loadScenarioFile(
            kPlans + "auto-range-uniform.yaml", ScenarioReadOptions { { "plan.rules=[auto-range:preset=tikb]" } });
        ASSERT_FALSE(bad.ok());
        EXPECT_NE(bad.errorText().find("plan.rules[0]"), std::string::npos) << bad.errorText();
        EXPECT_NE(bad.errorText().find("did you mean 'tikv'"), std::string::npos) << bad.errorText();
    }

} // namespace
} // namespace shardsim
