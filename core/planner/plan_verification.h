#pragma once
// Internal: one period's recommended layout run as `run` would run it at that period — the whole scenario grown to
// the period through the expected engine and the ticks around its peak through the sampled engine with three seeds —
// and each limit's margin (docs/planner.md#verification).

#include <atomic>
#include <cstdint>
#include <string>

#include "shardsim/planner/capacity_plan.h"
#include "shardsim/rules/rule_families.h"

namespace shardsim::planner {

// Requests one sampled verification run draws at most: it simulates as many ticks around the peak as fit (at least
// one, at most kWindowTicks), so `plan --verify` stays within seconds on scenarios of millions of requests a second.
inline constexpr double kSampledRequestBudget = 1e7;
// Sampled runs per layout: the scenario's seed and the two after it, so `run` with the scenario's own seed is one.
inline constexpr int kVerificationSeeds = 3;

struct LayoutToVerify {
    const ScenarioConfig* scenario = nullptr; // as given to the planner
    std::string period; // "now", "quarter 2"
    double periodTime = 0; // s from now: the rates and rows are grown to it
    const RuleFamily* family = nullptr;
    NodeTypeConfig type;
    PlanLimits limits;
    int nodes = 0; // healthy cluster
    int tablesPerDatabase = 1;
    std::string rule; // the recommended rule on the healthy cluster, inline
    uint64_t keyCount = 1; // the key space the planner sized the rule for (range bounds of the survivors' rule)
    const std::atomic<bool>* cancel = nullptr;
};

struct VerificationOutcome {
    bool ok = false;
    std::string error; // a run failed outright (or was cancelled)
    std::vector<VerificationRun> runs;
    std::string failure; // the first broken limit, in words: "sampled seed 2, healthy: utilization 73.1% > 70.0%"
    double worstRatio = 0; // largest value over limit among qps, storage and latency over every run
};

VerificationOutcome verifyLayout(const LayoutToVerify& layout);

} // namespace shardsim::planner
