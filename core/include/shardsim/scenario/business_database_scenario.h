#pragma once
// One business database of a vertical split (data.databases) as a scenario of its own: its nodes, its tables and
// the operations that read them, at their share of the rate. Each business database is sharded on its own nodes
// and no operation spans two, so the database behaves in the whole run exactly as in this scenario; the planner
// plans one business database at a time with it.

#include <string>

#include "shardsim/common/result.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

// `database` names one of config.data.databases. The result has no business databases, the cluster is the
// database's starting nodes, the tables and operations are its own, and every rate shape is scaled by its
// operations' share of the mix's weights. Events, expectations and the lesson, which speak of the whole cluster,
// are left out.
Result<ScenarioConfig> businessDatabaseScenario(const ScenarioConfig& config, const std::string& database);

} // namespace shardsim
