// The planner's search against brute force: each period's size is the smallest cluster whose survivors keep every
// limit, found by trying every size in turn; stopping candidates that can no longer win leaves the recommendation as
// sizing every candidate over the whole horizon gives it; progress and cancellation.

#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "planner/layout_search.h"
#include "planner/period_scenario.h"
#include "shardsim/planner/capacity_plan.h"
#include "shardsim/rules/rule_families.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    using namespace planner;

    // Zipf keys over few keys: every rule is uneven, so sizing has to grow past the even-spread bound and bisect.
    constexpr const char* kSkewed = R"(
name: skewed-plan
duration: 1h
tick: 1m
cluster: { nodes: 4, node: { max_qps: 2K, storage: 100GB, cost_per_month: 300 } }
data: { tables: [ { name: t, key: id, rows: 20K, row_size: 200B, growth: 2K/day } ] }
sharding: { rule: "hash-mod:n=4" }
workload:
  rate: { shape: constant, base: 20K/s, growth: 40%/year }
  keys: { distribution: zipf, theta: 0.6 }
plan:
  horizon: 180d
  step: quarter
  limits: { max_utilization: 70%, tolerate_failures: 1 }
  node_types:
    - { name: small, max_qps: 2K, storage: 100GB, cost_per_month: 300 }
    - { name: large, max_qps: 5K, storage: 200GB, cost_per_month: 800 }
)";

    ScenarioConfig load(const char* text)
    {
        ScenarioLoad loaded = loadScenarioText(text, "plan-search.yaml", "");
        EXPECT_TRUE(loaded.ok()) << loaded.errorText();
        return loaded.ok() ? *loaded.config : ScenarioConfig {};
    }

    CapacityPlan plan(const ScenarioConfig& scenario, const PlanOptions& options = {})
    {
        auto result = planCapacity(scenario, options);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
        return result.ok() ? *result : CapacityPlan {};
    }

    TEST(PlanSearch, EachPeriodIsTheSmallestClusterABruteForceScanFinds)
    {
        const ScenarioConfig scenario = load(kSkewed);
        const PlanConfig& config = *scenario.plan;
        const ScenarioConfig period = periodScenario(scenario, 0, findPeakWindow(scenario));
        const int f = config.limits.tolerateFailures;
        int grew = 0;
        for (const char* name : { "jump", "hash-mod", "mod", "maglev", "rendezvous", "ring", "range" }) {
            SCOPED_TRACE(name);
            const RuleFamily* family = findRuleFamily(name);
            ASSERT_NE(family, nullptr);
            LayoutSearch search;
            search.period = &period;
            search.family = family;
            search.type = config.nodeTypes.front();
            search.limits = config.limits;
            search.maxNodes = config.maxNodes;
            search.hottestKeyShare = hottestKeyShare(period.workload.keys, keySpace(period));
            const PeriodSize size = sizePeriod(search, 0);
            // Brute force: every cluster from the fewest that can hold a failure up, its survivors simulated.
            const EvenSpreadBound bound = evenSpreadBound(search);
            ASSERT_TRUE(bound.infeasibleConstraint.empty()) << bound.reason;
            int smallest = 0;
            for (int nodes = 1 + f; nodes <= kMaxSkewFactor * bound.lowest && smallest == 0; ++nodes)
                if (runLayout(search, nodes - f, nodes - f, 1).ok)
                    smallest = nodes;
            if (smallest == 0) {
                EXPECT_FALSE(size.feasible) << "sized to " << size.nodes;
                continue;
            }
            ASSERT_TRUE(size.feasible) << size.reason << "; brute force: " << smallest;
            EXPECT_EQ(size.nodes, smallest);
            grew += smallest > bound.lowest ? 1 : 0;
        }
        EXPECT_GT(grew, 0) << "the case should make the search grow past the even-spread bound";
    }

    TEST(PlanSearch, StoppingCandidatesThatCannotWinKeepsTheRecommendation)
    {
        const ScenarioConfig scenario = load(kSkewed);
        PlanOptions everything;
        everything.exhaustive = true;
        const CapacityPlan full = plan(scenario, everything);
        const CapacityPlan fast = plan(scenario);
        ASSERT_TRUE(full.feasible) << full.reason;
        ASSERT_TRUE(fast.feasible) << fast.reason;
        EXPECT_EQ(fast.recommended.rule, full.recommended.rule);
        EXPECT_EQ(fast.recommended.nodeType, full.recommended.nodeType);
        EXPECT_EQ(fast.recommended.nodes, full.recommended.nodes);
        EXPECT_EQ(fast.recommended.bindingConstraint, full.recommended.bindingConstraint);
        ASSERT_EQ(fast.timeline.size(), full.timeline.size());
        for (std::size_t k = 0; k < full.timeline.size(); ++k) {
            EXPECT_EQ(fast.timeline[k].nodes, full.timeline[k].nodes) << full.timeline[k].period;
            EXPECT_EQ(fast.timeline[k].rule, full.timeline[k].rule) << full.timeline[k].period;
            EXPECT_EQ(fast.timeline[k].bindingConstraint, full.timeline[k].bindingConstraint);
            EXPECT_EQ(fast.timeline[k].peakUtilization, full.timeline[k].peakUtilization);
        }
        EXPECT_EQ(fast.reshards.size(), full.reshards.size());
        EXPECT_EQ(fast.preSplit.reason, full.preSplit.reason);
        ASSERT_EQ(fast.alternatives.size(), full.alternatives.size());
        std::map<std::string, int> fullNow;
        for (const PlanAlternative& alternative : full.alternatives)
            fullNow[alternative.rule + "/" + alternative.nodeType] = alternative.nodes;
        int stopped = 0;
        for (const PlanAlternative& alternative : fast.alternatives) {
            // The present is always sized: "nodes now" is exact even for a candidate stopped early.
            EXPECT_EQ(alternative.nodes, fullNow[alternative.rule + "/" + alternative.nodeType]) << alternative.rule;
            if (!alternative.sizedUntil.empty()) {
                ++stopped;
                EXPECT_NE(alternative.reason.find("could no longer win"), std::string::npos) << alternative.reason;
            }
        }
        EXPECT_GT(stopped, 0) << "some candidate should stop early";
        EXPECT_LT(fast.simulations, full.simulations);
    }

    TEST(PlanSearch, AnInfeasiblePlanNamesTheSameCandidateAndReasonWithFewerRuns)
    {
        // 40%/year outgrows 12 nodes within the horizon on both node types: every candidate fails some period, and the
        // plan names the one that fails cheapest, as sizing every candidate to its failure does.
        ScenarioConfig scenario = load(kSkewed);
        scenario.plan->maxNodes = 12;
        scenario.plan->horizon = 3 * 365.0 * 86'400;
        PlanOptions everything;
        everything.exhaustive = true;
        const CapacityPlan full = plan(scenario, everything);
        const CapacityPlan fast = plan(scenario);
        ASSERT_FALSE(full.feasible);
        EXPECT_FALSE(fast.feasible);
        EXPECT_EQ(fast.reason, full.reason);
        EXPECT_EQ(fast.recommended.bindingConstraint, full.recommended.bindingConstraint);
        EXPECT_EQ(fast.alternatives.size(), full.alternatives.size());
        EXPECT_LT(fast.simulations, full.simulations);
    }

    TEST(PlanSearch, ProgressCountsEveryCandidatesPeriodsOnce)
    {
        const ScenarioConfig scenario = load(kSkewed);
        PlanOptions options;
        int last = 0;
        int total = 0;
        bool monotone = true;
        options.progress = [&](int done, int all) {
            monotone = monotone && done >= last;
            last = done;
            total = all;
        };
        plan(scenario, options);
        // Every family x 2 node types x 2 periods: now and quarter 1 (quarter 2 would start after 180 days).
        EXPECT_EQ(total, static_cast<int>(ruleFamilies().size()) * 2 * 2);
        EXPECT_EQ(last, total);
        EXPECT_TRUE(monotone);
    }

    TEST(PlanSearch, ACancelledPlanStopsAtTheNextPeriod)
    {
        const ScenarioConfig scenario = load(kSkewed);
        std::atomic<bool> cancel { false };
        PlanOptions options;
        options.cancel = &cancel;
        int reports = 0;
        options.progress = [&](int, int) {
            ++reports;
            cancel = true; // as Ctrl-C or the Plan view's Stop would, after the first period sized
        };
        auto result = planCapacity(scenario, options);
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error(), "cancelled");
        EXPECT_EQ(reports, 1) << "nothing more is sized once the flag is set";
    }

} // namespace
} // namespace shardsim
