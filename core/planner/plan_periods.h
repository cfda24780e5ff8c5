#pragma once
// Internal: the plan's timeline — one period per step of the horizon, each with the scenario grown to it and cut to
// the peak window the planner sizes (period_scenario.h).

#include <string>
#include <vector>

#include "period_scenario.h"
#include "shardsim/planner/capacity_plan.h"

namespace shardsim::planner {

struct Period {
    std::string name; // "now", "quarter 3"
    double time = 0; // s from now
    ScenarioConfig scenario;
    // The same period from the scenario's start to the end of the peak window (fromScenarioStart): what an auto-range
    // layout is sized over, its ranges split and moved by the rates before the peak.
    ScenarioConfig fromStart;
    double hottestKeyShare = 0; // computed once: a sample law reads its file
    std::string hottestKey; // hottestKeyText, for the reason a hot key gives
};

// "now", then every plan.step up to plan.horizon.
std::vector<Period> makePeriods(const ScenarioConfig& scenario, const PlanConfig& plan, const PeakWindow& window);

// How many months one period stands for in the plan's costs: a single period counts one month.
double periodMonths(const std::vector<Period>& periods, const PlanConfig& plan);

} // namespace shardsim::planner
