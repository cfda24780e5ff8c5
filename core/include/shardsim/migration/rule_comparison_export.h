#pragma once
// The one schema of a rule comparison as it leaves the program: `shardsim-cli compare --format json` prints
// ruleComparisonJson(), the desktop app's Compare view exports ruleComparisonCsv(), whose columns are the JSON's
// per-rule fields with nested names joined by '_' (growth.to is growth_to). docs/outputs.md#compare gives the fields.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shardsim/migration/rule_comparison.h"

namespace shardsim {

// {"scenario": NAME, "growth_step": {"step", "source"}, "rules": [{"rule", "imbalance", "peak_imbalance",
// "hottest_node", "hottest_share", "peak_utilization", "fanout", "requests", "failed_requests", "events": [LINE, ...],
// "growth": null | {"to", "moved_fraction", "optimum_fraction", "moved_bytes"}}, ...]}
nlohmann::ordered_json ruleComparisonJson(const std::string& scenario, const std::vector<RuleComparison>& rows);

// One line per rule under a header; a rule without a growth step leaves the growth columns empty, and its event
// lines share one cell, joined by "; ".
std::string ruleComparisonCsv(const std::vector<RuleComparison>& rows);

} // namespace shardsim
