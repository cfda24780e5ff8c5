#pragma once
// The capacity plan as plan.json (docs/outputs.md#planjson) and as a text report for a design document.

#include <string>

#include <nlohmann/json.hpp>

#include "shardsim/planner/capacity_plan.h"

namespace shardsim {

nlohmann::ordered_json planJson(const CapacityPlan& plan);
std::string planText(const CapacityPlan& plan, const std::string& scenarioName);

} // namespace shardsim
