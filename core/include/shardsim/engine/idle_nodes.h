#pragma once
// Nodes that hold no data: a rule with fewer databases (or copies) than nodes, a geo rule with fewer shards than
// nodes, nodes added without a reshard. They serve nothing, so they are named instead of being averaged into the
// imbalance or counted as capacity.

#include <string>
#include <vector>

#include "shardsim/engine/run_result.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

// 0-based nodes of the file's cluster that the rule and placement give no copy of any database at the start.
std::vector<int> nodesWithoutDataAtStart(const ScenarioConfig& config);

// Adds to the run's warnings, by name, the nodes `heldData` (in node order) says never held a copy of a database,
// a row or a request; the engine decides it from its layouts once the run's totals are in.
void warnAboutNodesWithoutData(RunResult& result, const std::vector<bool>& heldData);

// "node-9", "node-9 and node-10", "node-9, node-10 and node-11"; beyond `shown` names, "... and 5 more".
std::string nodeNameList(const std::vector<std::string>& names, size_t shown = 8);

} // namespace shardsim
