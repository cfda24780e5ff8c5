#pragma once
// Internal: what growing a candidate's layout from one period to the next moves — rows that change node under a
// static rule, or the balancer's moves onto new nodes under auto-range (docs/planner.md).

#include "shardsim/planner/capacity_plan.h"
#include "shardsim/rules/rule_families.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::planner {

// The reshard from `before` to `after` of `family`'s layout, measured on `scenario`'s data.
PlanReshard describeReshard(const RuleFamily& family, const PlanPeriod& before, const PlanPeriod& after,
    const ScenarioConfig& scenario, const PlanConfig& plan);

} // namespace shardsim::planner
