#pragma once
// What a cluster costs per month: the one cost model the planner's timeline and a run's report share
// (nodes x cluster.node.cost_per_month, docs/planner.md).

#include <vector>

#include "shardsim/engine/run_result.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

double monthlyCost(int nodes, double costPerNodeMonth);
// Nodes in the cluster at `time` (s): cluster.nodes, plus the nodes events added by then, less those removed. A
// failed node still counts: it is paid for and comes back.
int nodesPresentAt(const ScenarioConfig& scenario, double time);
// Seconds of [0, seconds) each node (in node order, added nodes after the file's) was part of the cluster: from the
// start or its add_nodes event until its remove_node event or `seconds`. A node present for part of a run is compared
// with the others by its requests per second present, not by its total.
std::vector<double> nodeSecondsPresent(const ScenarioConfig& scenario, double seconds);
ClusterCost clusterCost(const ScenarioConfig& scenario);

} // namespace shardsim
