// The capacity planner against plans with analytic answers, a growth plan, an infeasible hot key, and the
// plan section's reader errors.

#include <gtest/gtest.h>

#include <cmath>

#include "shardsim/engine/simulation.h"
#include "shardsim/planner/capacity_plan.h"
#include "shardsim/planner/plan_report.h"
#include "shardsim/scenario/scenario_reader.h"

#include "plan_test_support.h"

namespace shardsim {
namespace {

    using shardsim::testing::kPlans;
    using shardsim::testing::loadPlan;

    CapacityPlan plan(const ScenarioConfig& scenario)
    {
        auto result = planCapacity(scenario);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
        return result.ok() ? *result : CapacityPlan {};
    }

    // 1.2M req/s at 70% of 20K per node is 85.7 nodes' worth: 86 survivors plus one tolerated failure.
    TEST(Planner, UniformJumpIs87NodesBoundByQps)
    {
        const CapacityPlan result = plan(loadPlan("uniform-jump.yaml"));
        ASSERT_TRUE(result.feasible) << result.reason;
        EXPECT_EQ(result.recommended.nodes, 87);
        EXPECT_EQ(result.recommended.bindingConstraint, "qps");
        EXPECT_EQ(result.recommended.rule, "jump:buckets=87");
        EXPECT_EQ(result.recommended.databases, 87);
        // 900M rows at 10M per table need at least 90 tables; 87 databases of 10.3M rows need 2 each.
        EXPECT_GE(result.recommended.tables, 90);
        EXPECT_EQ(result.recommended.tables, 174);
        ASSERT_EQ(result.timeline.size(), 1u);
        EXPECT_LE(result.timeline[0].maxRowsPerTable, 10e6);
        EXPECT_NEAR(result.timeline[0].failoverUtilization, 1.2e6 / 86 / 20e3, 1e-9);
        EXPECT_TRUE(result.reshards.empty());
    }

    TEST(Planner, WithoutToleratedFailures86NodesSuffice)
    {
        const CapacityPlan result = plan(loadPlan("uniform-jump.yaml", { "plan.limits.tolerate_failures=0" }));
        ASSERT_TRUE(result.feasible);
        EXPECT_EQ(result.recommended.nodes, 86);
        EXPECT_EQ(result.recommended.bindingConstraint, "qps");
    }

    TEST(Planner, StorageBindsWhenTheDataOutgrowsTheNodes)
    {
        // 900M rows of 4KB = 3.6TB; at 80% of 100GB per node that is 45 nodes, far above the 2 the load needs.
        const CapacityPlan result = plan(loadPlan("uniform-jump.yaml",
            { "workload.rate=10K/s", "data.tables[0].row_size=4KB", "cluster.node.storage=100GB",
                "plan.limits.tolerate_failures=0" }));
        ASSERT_TRUE(result.feasible);
        EXPECT_EQ(result.recommended.nodes, 45);
        EXPECT_EQ(result.recommended.bindingConstraint, "storage");
    }

    TEST(Planner, SingleHotKeyIsInfeasibleWithItsReason)
    {
        const CapacityPlan result = plan(loadPlan("hot-key.yaml"));
        EXPECT_FALSE(result.feasible);
        EXPECT_EQ(result.recommended.bindingConstraint, "hot_key");
        EXPECT_NE(result.reason.find("the hottest key alone needs"), std::string::npos) << result.reason;
        EXPECT_NE(result.reason.find("one node serves 14K req/s at 70%"), std::string::npos) << result.reason;
        EXPECT_NE(result.reason.find("cache it, replicate it, or change the key"), std::string::npos);
        EXPECT_TRUE(result.timeline.empty());
        const auto json = planJson(result);
        EXPECT_FALSE(json["feasible"].get<bool>());
        EXPECT_TRUE(json["recommended"].is_null());
    }

    TEST(Planner, GrowthOverThreeYearsByQuarter)
    {
        const CapacityPlan result = plan(loadPlan("growth-quarters.yaml"));
        ASSERT_TRUE(result.feasible) << result.reason;
        ASSERT_EQ(result.timeline.size(), 13u); // now and 12 quarters
        EXPECT_EQ(result.timeline.front().period, "now");
        EXPECT_EQ(result.timeline.back().period, "quarter 12");
        // The Double-11 peak is part of the year: 20K x 5 now, grown 50% a year.
        EXPECT_NEAR(result.timeline.front().peakQps, 100e3, 100e3 * 1e-3);
        EXPECT_NEAR(result.timeline.back().peakQps, 100e3 * std::pow(1.5, 3), 100e3 * std::pow(1.5, 3) * 1e-2);
        // ceil(100K / 14K) = 8 survivors + 1 now; ceil(337.5K / 14K) = 25 + 1 at the horizon.
        EXPECT_EQ(result.timeline.front().nodes, 9);
        EXPECT_EQ(result.timeline.back().nodes, 26);
        for (std::size_t i = 1; i < result.timeline.size(); ++i)
            EXPECT_GE(result.timeline[i].nodes, result.timeline[i - 1].nodes);
        for (const PlanPeriod& row : result.timeline) {
            EXPECT_LE(row.failoverUtilization, 0.7 + 1e-9) << row.period;
            EXPECT_LE(row.maxRowsPerTable, 10e6) << row.period;
            EXPECT_EQ(row.monthlyCost, row.nodes * 600.0);
        }
        ASSERT_FALSE(result.reshards.empty());
        for (const PlanReshard& reshard : result.reshards) {
            EXPECT_NEAR(reshard.seconds, reshard.movedBytes / 200e6, 1e-6);
            if (reshard.toNodes > reshard.fromNodes) {
                // jump moves only the new buckets' keys: (to - from) / to of them, within sampling error.
                const double expected = double(reshard.toNodes - reshard.fromNodes) / reshard.toNodes;
                EXPECT_NEAR(reshard.movedFraction, expected, 0.02) << reshard.period;
            }
        }
        EXPECT_EQ(result.recommended.family, "jump");
        ASSERT_EQ(result.alternatives.size(), 1u);
        EXPECT_EQ(result.alternatives[0].rule, "mod");
        EXPECT_GT(result.alternatives[0].movedBytes, 0);
        EXPECT_NE(result.alternatives[0].reason.find("more data"), std::string::npos) << result.alternatives[0].reason;
    }

    TEST(Planner, HotRangeOnARangeRuleIsInfeasibleButAHashFixesIt)
    {
        // 90% of the requests on the first 0.1% of the keys: a range rule keeps them together.
        const std::vector<std::string> hotspot { "workload.rate=200K/s", "workload.keys={distribution: hotspot, "
                                                                        "hot_fraction: 0.1%, hot_ops: 90%}",
            "plan.limits.tolerate_failures=0" };
        auto rangeOnly = hotspot;
        rangeOnly.push_back("plan.rules=[range]");
        const CapacityPlan range = plan(loadPlan("uniform-jump.yaml", rangeOnly));
        EXPECT_FALSE(range.feasible);
        EXPECT_NE(range.reason.find("hot key range"), std::string::npos) << range.reason;
        auto both = hotspot;
        both.push_back("plan.rules=[range, jump]");
        const CapacityPlan mixed = plan(loadPlan("uniform-jump.yaml", both));
        ASSERT_TRUE(mixed.feasible) << mixed.reason;
        EXPECT_EQ(mixed.recommended.family, "jump");
        ASSERT_EQ(mixed.alternatives.size(), 1u);
        EXPECT_FALSE(mixed.alternatives[0].feasible);
    }

    TEST(Planner, TextReportNamesTheRecommendation)
    {
        const CapacityPlan result = plan(loadPlan("uniform-jump.yaml"));
        const std::string text = planText(result, "uniform-jump");
        EXPECT_NE(text.find("Recommendation: jump:buckets=87 on 87 nodes now"), std::string::npos) << text;
        EXPECT_NE(text.find("peak load (qps)"), std::string::npos);
        // Today: 8 nodes of 20K req/s under 1.2M req/s are at 1.2M / 8 / 20K = 750%.
        EXPECT_EQ(result.today.nodes, 8);
        ASSERT_TRUE(result.today.peakUtilization.has_value());
        EXPECT_NEAR(*result.today.peakUtilization, 1.2e6 / 8 / 20e3, 1e-9);
        EXPECT_NE(text.find("Today → recommended: 8 nodes today → 87 (jump:buckets=8 → jump:buckets=87); peak "
                            "utilisation 750.0% → "),
            std::string::npos)
            << text;
    }

    // The recommendation run as `run` runs it — the scenario file with the recommended node count and rule, the
    // whole duration, rows growing — keeps every limit of the plan.
    TEST(Planner, RecommendationHoldsWhenRun)
    {
        const std::string file = std::string(SHARDSIM_SCENARIOS) + "/planning/orders-capacity-plan.yaml";
        ScenarioLoad loaded = loadScenarioFile(file, ScenarioReadOptions {});
        ASSERT_TRUE(loaded.ok()) << loaded.errorText();
        const CapacityPlan result = plan(*loaded.config);
        ASSERT_TRUE(result.feasible) << result.reason;
        ASSERT_EQ(result.recommended.nodeType, "standard"); // the same node as cluster.node
        ScenarioLoad asRun = loadScenarioFile(file,
            ScenarioReadOptions { { "cluster.nodes=" + std::to_string(result.recommended.nodes),
                "sharding.rule=" + result.recommended.rule } });
        ASSERT_TRUE(asRun.ok()) << asRun.errorText();
        RunOptions options;
        options.engine = EngineMode::Expected;
        auto run = runSimulation(*asRun.config, options);
        ASSERT_TRUE(run.ok()) << run.error();
        double utilization = 0;
        double p99 = 0;
        for (const ClusterTick& tick : run->cluster) {
            utilization = std::max(utilization, tick.maxUtilization);
            p99 = std::max(p99, tick.p99LatencyMs);
        }
        EXPECT_LE(utilization, 0.7 + 1e-9);
        EXPECT_LE(p99, 50.0);
        EXPECT_NEAR(utilization, result.timeline[0].peakUtilization, 1e-6);
        for (const NodeSummary& node : run->nodes)
            EXPECT_LE(node.storageUtilization, 0.8);
    }

    PlanOptions verifying()
    {
        PlanOptions options;
        options.verify = true;
        return options;
    }

    // 20K req/s per second on nodes of 2K at 70%: 15 nodes are 66.7% on average, but the sampled engine's busiest
    // node in its busiest second is above 70% (Poisson counts of about 1,333 per second: 2.7% of the mean). The
    // first size fails its verification and the planner sizes up until every run keeps the limit.
    TEST(Planner, VerificationSizesUpALayoutThatBreaksALimitWhenRun)
    {
        const CapacityPlan unverified = plan(loadPlan("noisy-peak.yaml"));
        ASSERT_TRUE(unverified.feasible) << unverified.reason;
        EXPECT_EQ(unverified.recommended.nodes, 15);
        EXPECT_FALSE(unverified.verification.has_value());

        auto verified = planCapacity(loadPlan("noisy-peak.yaml"), verifying());
        ASSERT_TRUE(verified.ok()) << verified.error();
        ASSERT_TRUE(verified->feasible) << verified->reason;
        ASSERT_TRUE(verified->verification.has_value());
        const PlanVerification& verification = *verified->verification;
        EXPECT_TRUE(verification.passed);
        ASSERT_FALSE(verification.steps.empty());
        EXPECT_EQ(verification.steps[0].rfind("jump on 15 nodes failed its verification (sampled seed ", 0), 0u)
            << verification.steps[0];
        const int nodes = verified->recommended.nodes;
        EXPECT_GT(nodes, 15);
        EXPECT_EQ(verified->recommended.rule, "jump:buckets=" + std::to_string(nodes));
        // No failure tolerated: the healthy cluster only, once expected and once per seed 1, 2, 3.
        ASSERT_EQ(verification.runs.size(), 4u);
        EXPECT_EQ(verification.runs[0].engine, "expected");
        for (int i = 1; i <= 3; ++i) {
            EXPECT_EQ(verification.runs[i].engine, "sampled");
            EXPECT_EQ(verification.runs[i].seed, uint64_t(i));
        }
        for (const VerificationRun& run : verification.runs) {
            EXPECT_TRUE(run.ok) << run.engine;
            EXPECT_EQ(run.nodes, nodes);
            ASSERT_FALSE(run.limits.empty());
            const LimitCheck& utilization = run.limits[0];
            EXPECT_EQ(utilization.limit, "utilization");
            EXPECT_LE(utilization.value, 0.7 + 1e-9);
            EXPECT_NEAR(utilization.margin, (0.7 - utilization.value) / 0.7, 1e-12);
        }
        // Uniform keys over a jump rule of `nodes` buckets: the expected engine's busiest node carries 20K / nodes.
        EXPECT_NEAR(verification.runs[0].limits[0].value, 20e3 / nodes / 2e3, 2e-3);
        const std::string text = planText(*verified, "noisy-peak");
        EXPECT_NE(text.find("jump on 15 nodes failed its verification"), std::string::npos) << text;
        EXPECT_NE(text.find("Every run keeps every limit."), std::string::npos) << text;
    }

    // Two families of the same cost spreading uniform keys alike: the sampled noise that breaks the first at 15 nodes
    // would break the second there too, so both are sized up at once and the second is not verified to the same
    // failure.
    TEST(Planner, VerificationSizesUpTheCandidatesAsCloseToTheLimitsTogether)
    {
        auto result = planCapacity(loadPlan("noisy-peak.yaml", { "plan.rules=[jump, rendezvous]" }), verifying());
        ASSERT_TRUE(result.ok()) << result.error();
        ASSERT_TRUE(result->feasible) << result->reason;
        const PlanVerification& verification = *result->verification;
        ASSERT_EQ(verification.steps.size(), 1u);
        EXPECT_EQ(verification.steps[0].rfind("jump on 15 nodes failed its verification", 0), 0u)
            << verification.steps[0];
        EXPECT_NE(
            verification.steps[0].find(", and so 1 other candidate as close to the limits there"), std::string::npos)
            << verification.steps[0];
        EXPECT_EQ(verification.steps[0].find("is now the best candidate"), std::string::npos) << verification.steps[0];
        EXPECT_TRUE(verification.passed);
        EXPECT_GT(result->recommended.nodes, 15);
        ASSERT_EQ(result->alternatives.size(), 1u);
        EXPECT_GT(result->alternatives[0].nodes, 15) << "rendezvous was sized up with jump";
    }

    // 5.61K req/s on nodes of 2K at 70%: 5 nodes now (56.1%, the sampled peak well under 70%); a year later +24% is
    // 6.96K req/s, still 5 nodes by the expected engine (69.6%) but over 70% at the sampled engine's busiest second.
    // The present passes, the year fails, and only the year is sized up.
    TEST(Planner, VerificationSizesUpTheFirstPeriodThatBreaksALimitAndKeepsThoseBefore)
    {
        const std::vector<std::string> growing { "workload.rate={ shape: constant, base: 5610/s, growth: 24%/year }",
            "plan.horizon=1y", "plan.step=year" };
        const CapacityPlan unverified = plan(loadPlan("noisy-peak.yaml", growing));
        ASSERT_TRUE(unverified.feasible) << unverified.reason;
        ASSERT_EQ(unverified.timeline.size(), 2u);
        EXPECT_EQ(unverified.timeline[0].nodes, 5);
        EXPECT_EQ(unverified.timeline[1].nodes, 5);

        auto verified = planCapacity(loadPlan("noisy-peak.yaml", growing), verifying());
        ASSERT_TRUE(verified.ok()) << verified.error();
        ASSERT_TRUE(verified->feasible) << verified->reason;
        const PlanVerification& verification = *verified->verification;
        EXPECT_TRUE(verification.passed);
        ASSERT_EQ(verification.steps.size(), 1u);
        EXPECT_EQ(verification.steps[0].rfind("jump on 5 nodes in year 1 failed its verification (sampled seed ", 0), 0u)
            << verification.steps[0];
        EXPECT_NE(verification.steps[0].find("; sized up to 6 in year 1"), std::string::npos)
            << verification.steps[0];
        ASSERT_EQ(verified->timeline.size(), 2u);
        EXPECT_EQ(verified->timeline[0].nodes, 5) << "the present passed and keeps its size";
        EXPECT_EQ(verified->timeline[1].nodes, 6);
        EXPECT_EQ(verified->recommended.nodes, 5);
        // Both periods' runs, in order: expected and three seeds each, all within the limit.
        ASSERT_EQ(verification.runs.size(), 8u);
        for (std::size_t i = 0; i < verification.runs.size(); ++i) {
            const VerificationRun& run = verification.runs[i];
            EXPECT_EQ(run.period, i < 4 ? "now" : "year 1");
            EXPECT_EQ(run.nodes, i < 4 ? 5 : 6);
            EXPECT_TRUE(run.ok) << run.period << " " << run.engine;
        }
        // Year 1's expected run is the grown rate on 6 nodes: 6.956K req/s / 6 / 2K.
        EXPECT_NEAR(verification.runs[4].limits[0].value, 5610 * 1.24 / 6 / 2e3, 2e-3);
        EXPECT_EQ(verified->reshards.size(), 1u);
    }

    TEST(Planner, ALayoutThatNeverPassesItsVerificationIsNotRecommended)
    {
        auto result = planCapacity(loadPlan("noisy-peak.yaml", { "plan.max_nodes=15" }), verifying());
        ASSERT_TRUE(result.ok()) << result.error();
        EXPECT_FALSE(result->feasible);
        ASSERT_TRUE(result->verification.has_value());
        EXPECT_FALSE(result->verification->passed);
        EXPECT_NE(result->reason.find("jump on 15 nodes failed its verification"), std::string::npos) << result->reason;
        EXPECT_TRUE(planJson(*result)["recommended"].is_null());
    }

    TEST(Planner, ScenarioWithoutPlanIsPlannedForThePresentWithItsLimits)
    {
        ScenarioConfig scenario = loadPlan("uniform-jump.yaml");
        scenario.plan.reset();
        scenario.limits.maxUtilization = 0.5;
        auto result = planCapacity(scenario);
        ASSERT_TRUE(result.ok()) << result.error();
        EXPECT_EQ(result->horizon, "now only");
        EXPECT_EQ(result->limits.maxUtilization, 0.5) << "the top-level limits";
        ASSERT_FALSE(result->notes.empty());
        EXPECT_EQ(result->notes.back(), kNoPlanSectionNote);

        // The same plan as a scenario that asks for the present with those limits in words.
        ScenarioConfig asked = scenario;
        asked.plan = PlanConfig {};
        asked.plan->horizon = 0;
        asked.plan->limits.maxUtilization = scenario.limits.maxUtilization;
        asked.plan->limits.maxStorage = scenario.limits.maxStorageUtilization;
        asked.plan->limits.maxRowsPerTable = scenario.limits.maxRowsPerTable;
        auto explicitPlan = planCapacity(asked);
        ASSERT_TRUE(explicitPlan.ok()) << explicitPlan.error();
        auto json = planJson(*result);
        json["notes"].erase(json["notes"].size() - 1);
        EXPECT_EQ(json, planJson(*explicitPlan));
    }

    struct ReaderCase {
        std::string override;
        std::string message;
    };

    TEST(PlanSection, ErrorsNameTheFieldAndSuggest)
    {
        const std::vector<ReaderCase> cases {
            { "plan.stepp=quarter", "plan: unknown key 'stepp'; did you mean 'step'?" },
            { "plan.step=week", "plan.step: unknown step 'week'" },
            { "plan.rules=[jmup]", "plan.rules[0]: unknown rule family the planner can size 'jmup'; did you mean 'jump'?" },
            { "plan.rules=[jump, jump]", "plan.rules[1]: 'jump' is listed twice" },
            { "plan.limits.max_utilisation=50%", "did you mean 'max_utilization'?" },
            { "plan.limits.tolerate_failures=-1", "plan.limits.tolerate_failures: must not be negative" },
            { "plan.horizon=40y", "plan.horizon: must be at most" },
            { "plan.node_types=[{max_qps: 5K}]", "plan.node_types[0]: missing required key 'name'" },
        };
        for (const ReaderCase& c : cases) {
            ScenarioLoad loaded = loadScenarioFile(kPlans + "uniform-jump.yaml", ScenarioReadOptions { { c.override } });
            ASSERT_FALSE(loaded.ok()) << c.override;
            EXPECT_NE(loaded.errorText().find(c.message), std::string::npos) << c.override << "\n" << loaded.errorText();
        }
    }

    TEST(PlanSection, LimitsDefaultToTheTopLevelLimits)
    {
        ScenarioLoad loaded = loadScenarioFile(kPlans + "uniform-jump.yaml",
            ScenarioReadOptions { { "limits={max_utilization: 50%, max_rows_per_table: 5M}", "plan.limits={}" } });
        ASSERT_TRUE(loaded.ok()) << loaded.errorText();
        ASSERT_TRUE(loaded.config->plan);
        EXPECT_DOUBLE_EQ(loaded.config->plan->limits.maxUtilization, 0.5);
        EXPECT_EQ(loaded.config->plan->limits.maxRowsPerTable, 5'000'000);
        EXPECT_EQ(loaded.config->plan->limits.tolerateFailures, 0);
        EXPECT_EQ(loaded.config->plan->step, PlanStep::Quarter);
    }

    TEST(PlanSection, ErrorCarriesFileAndLine)
    {
        ScenarioLoad loaded = loadScenarioText("name: x\nduration: 1m\ncluster: { nodes: 2 }\ndata:\n  tables:\n"
                                               "    - { name: t, rows: 1M }\nsharding: { rule: mod:n=2 }\n"
                                               "workload: { rate: 1K/s }\nplan:\n  step: weekly\n",
            "inline.yaml", "");
        ASSERT_FALSE(loaded.ok());
        ASSERT_FALSE(loaded.diagnostics.empty());
        EXPECT_EQ(loaded.diagnostics[0].file, "inline.yaml");
        EXPECT_EQ(loaded.diagnostics[0].line, 10);
        EXPECT_NE(loaded.diagnostics[0].format().find("plan.step"), std::string::npos);
    }

    TEST(Planner, PreSplitIsRecommendedWhenUnfoldingMovesLessThanResharding)
    {
        const CapacityPlan result = plan(loadPlan("presplit-mod.yaml"));
        ASSERT_TRUE(result.feasible) << result.reason;
        EXPECT_EQ(result.recommended.bindingConstraint, "storage");
        ASSERT_EQ(result.timeline.size(), 3u);
        EXPECT_EQ(result.timeline[0].nodes, 2);
        ASSERT_EQ(result.reshards.size(), 2u);
        // mod:n=4 -> 5 keeps only keys whose residues agree: 1 in 5 stay.
        EXPECT_NEAR(result.reshards[1].movedFraction, 0.8, 1e-9);
        EXPECT_NEAR(result.reshards[1].optimumFraction, 0.2, 1e-9);
        EXPECT_TRUE(result.preSplit.recommended) << result.preSplit.reason;
        EXPECT_EQ(result.preSplit.databases % 2, 0);
        EXPECT_LT(result.preSplit.movedBytes, result.preSplit.movedBytesResharding);
    }

    TEST(Planner, CheapestNodeTypeWins)
    {
        // Two small nodes cost less than one large one for the same load.
        const CapacityPlan result = plan(loadPlan("uniform-jump.yaml",
            { "workload.rate=100K/s", "plan.limits.tolerate_failures=0",
                "plan.node_types=[{name: large, max_qps: 40K, cost_per_month: 1000}, {name: small, max_qps: 10K, "
                "cost_per_month: 200}]" }));
        ASSERT_TRUE(result.feasible);
        EXPECT_EQ(result.recommended.nodeType, "small");
        EXPECT_EQ(result.recommended.nodes, 15); // 100K / 7K = 14.3
        EXPECT_DOUBLE_EQ(result.recommended.monthlyCost, 15 * 200.0);
        ASSERT_FALSE(result.alternatives.empty());
        EXPECT_EQ(result.alternatives[0].nodeType, "large");
        EXPECT_EQ(result.alternatives[0].nodes, 4); // 100K / 28K = 3.6
        EXPECT_NE(result.alternatives[0].reason.find("more over the horizon"), std::string::npos);
    }


    TEST(Planner, HotKeyOfASampleFileIsInfeasible)
    {
        const CapacityPlan result = plan(loadPlan("hot-sample-key.yaml"));
        EXPECT_FALSE(result.feasible);
        EXPECT_EQ(result.recommended.bindingConstraint, "hot_key");
        // Key 42 weighs 500 of 1,000: 50K req/s against 14K per node.
        EXPECT_NE(result.reason.find("the hottest key alone needs 50K req/s"), std::string::npos) << result.reason;
    }

} // namespace
} // namespace shardsim
