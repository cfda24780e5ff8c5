#pragma once
// The capacity planner: for every period of `plan.horizon` it grows the data and the rates, simulates the
// peak with the expected engine, and finds the smallest node count, the tables per database and the rule
// family that keep every limit of `plan.limits` under the workload's real skew. docs/planner.md gives every
// formula and search rule.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/engine/run_result.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

// Constraint names as written in plan.json: "qps", "storage", "rows_per_table", "latency", "hot_key".
struct PlanPeriod {
    std::string period; // "now", "month 3", "quarter 2", "year 1"
    double time = 0; // s from now
    int nodes = 0; // healthy cluster, failures tolerated included
    int databases = 0; // logical databases (the rule's units), one or more per node
    int tablesPerDatabase = 1;
    int tables = 0; // databases x tablesPerDatabase
    std::string rule; // the inline spec of the period's rule
    std::string bindingConstraint;
    double peakQps = 0; // requests/s at the period's peak
    double peakUtilization = 0; // busiest node at the peak, healthy cluster
    double failoverUtilization = 0; // busiest survivor at the peak after tolerate_failures nodes are lost
    double storageFraction = 0; // fullest node's storage, survivors
    double maxRowsPerTable = 0; // largest physical table
    double p99LatencyMs = 0; // request-weighted p99 at the peak, survivors
    // The healthy cluster's served requests over the window simulated around the period's peak: p50, p95, p99 and
    // p99.9 of their mixture, as summary.json's `latency` gives them for a run.
    LatencySummary latency;
    double rows = 0; // all tables' rows (one copy)
    double bytes = 0; // all tables' bytes (one copy)
    double monthlyCost = 0;
};

struct PlanReshard {
    std::string period; // when: the first period that needs the new layout
    double time = 0; // s from now
    int fromNodes = 0;
    int toNodes = 0;
    std::string fromRule;
    std::string toRule;
    double movedFraction = 0; // of the rows: keys whose shard or database changes (shardsim/migration)
    double optimumFraction = 0; // the least any rule must move for this change of database count
    double movedRows = 0;
    double movedBytes = 0; // replicas included
    double seconds = 0; // movedBytes / plan.bandwidth
    std::string what; // in words
};

struct PreSplit {
    bool recommended = false;
    int databases = 0; // logical databases created now
    std::string rule;
    double movedBytes = 0; // over the horizon, when they are unfolded onto the growing cluster
    double movedBytesResharding = 0; // the same growth by resharding the rule
    std::string reason; // why it is or is not recommended
};

struct PlanAlternative {
    std::string rule; // family
    std::string nodeType;
    bool feasible = false;
    int nodes = 0; // now
    int finalNodes = 0; // at the horizon
    double monthlyCost = 0; // now
    double horizonCost = 0; // node-months over the horizon x cost
    double movedBytes = 0; // by reshards over the horizon
    std::string bindingConstraint;
    std::string reason; // why it lost (or was infeasible)
    // The last period sized when the search stopped once this candidate could no longer win; empty when it was sized
    // over the whole horizon. finalNodes is then the nodes of that period and horizonCost a lower bound.
    std::string sizedUntil;
};

// The cluster as the scenario configures it today, run at the present's peak with its own rule (expected engine).
struct TodayCluster {
    int nodes = 0;
    std::string rule; // sharding.rule, inline
    std::optional<double> peakUtilization; // busiest node at the peak; none when the run failed
    double monthlyCost = 0; // nodes x cluster.node.cost_per_month
};

// One limit in one verification run: value against limit, margin = (limit - value) / limit (negative: broken).
struct LimitCheck {
    std::string limit; // "utilization", "p99_latency_ms", "storage", "rows_per_table"
    double value = 0;
    double bound = 0;
    double margin = 0;
    bool ok = false;
};

// One period's recommended layout run as `run` would run it at that period, by one engine.
struct VerificationRun {
    std::string period; // "now", "quarter 2": the timeline's period whose layout and growth were run
    double time = 0; // s from now
    std::string engine; // "expected" or "sampled"
    std::optional<uint64_t> seed; // sampled only
    std::string cluster; // "healthy" or "survivors" (after tolerate_failures nodes are lost)
    int nodes = 0;
    std::string rule;
    double seconds = 0; // simulated: the whole scenario (expected) or the ticks around the peak (sampled)
    std::vector<LimitCheck> limits;
    double failedRequests = 0; // refused by the rule; any breaks the plan
    bool ok = false;
};

struct PlanVerification {
    bool passed = false; // the recommendation printed passed every run of every period
    std::vector<VerificationRun> runs; // of the recommendation, period by period in the timeline's order
    // Layouts that failed their verification and what the planner did instead, in order ("jump on 15 nodes: sampled
    // seed 2 breaks utilization (73.1% > 70.0%); sized up to 17").
    std::vector<std::string> steps;
};

struct CapacityPlan {
    bool feasible = false;
    std::string reason; // when infeasible: in words, with what to do instead
    struct Recommended {
        std::string family;
        std::string rule; // inline spec, now
        std::string nodeType;
        int nodes = 0;
        int databases = 0;
        int tables = 0;
        double monthlyCost = 0;
        std::string bindingConstraint;
    } recommended;
    std::vector<PlanPeriod> timeline; // of the recommended rule
    std::vector<PlanReshard> reshards;
    PreSplit preSplit;
    std::vector<PlanAlternative> alternatives; // every other (family, node type), best first
    TodayCluster today;
    std::optional<PlanVerification> verification; // plan --verify
    std::vector<std::string> notes; // simplifications that apply to this scenario, in words
    // How the plan was computed, for the report.
    std::string horizon; // "3y by quarter"
    PlanLimits limits;
    double windowSeconds = 0; // simulated window around each period's peak
    int simulations = 0; // runs of the expected engine
};

struct PlanOptions {
    const std::atomic<bool>* cancel = nullptr; // stops the plan between two simulations (and inside a run)
    // After each period of each candidate is sized (or skipped because the candidate cannot win): periods done and
    // in all (candidates x periods), on the planning thread.
    std::function<void(int done, int total)> progress;
    // Size every candidate over the whole horizon, even one that can no longer win (its alternative's numbers are then
    // exact rather than bounds). The recommendation is the same either way; tests compare the two.
    bool exhaustive = false;
    // Run the recommended layout of every period through the expected engine and the sampled engine with three seeds
    // before it is recommended; a period whose layout fails is sized up (docs/planner.md#verification).
    bool verify = false;
};

// A scenario without a `plan:` section is planned with defaultPlanConfig(), and kNoPlanSectionNote is among the
// plan's notes, so `shardsim-cli plan` and the desktop app's Plan view give the same plan. Fails when the scenario
// cannot be planned (a trace); an infeasible plan is a result with feasible = false.
Result<CapacityPlan> planCapacity(const ScenarioConfig& scenario, const PlanOptions& options = {});

// The plan of a scenario without a `plan:` section: the present only, with the top-level `limits`.
PlanConfig defaultPlanConfig(const ScenarioConfig& scenario);
inline constexpr std::string_view kNoPlanSectionNote
    = "the scenario has no plan: section, so this is the present with its limits; add one (horizon, step, limits, "
      "rules) to plan for growth";

} // namespace shardsim
