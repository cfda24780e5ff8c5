#pragma once
// What a change of shard rule moves on a scenario's cluster, before anything runs: `shardsim-cli migrate --scenario`
// and the rule comparison's movement columns. The measurement itself is the engine's (shardsim/engine/data_movement.h).

#include <string>

#include "shardsim/common/result.h"
#include "shardsim/engine/data_movement.h"
#include "shardsim/rules/rule_spec.h"
#include "shardsim/rules/shard_rule.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

// The what-if of `shardsim-cli migrate --scenario`: the scenario's tables at the start, laid out by `from` and by
// `to` on the scenario's nodes with its placement and replication (a placement list that does not fit the new rule's
// databases is replaced by round-robin, and `note` says so; a round-robin placement that would renumber databases,
// as a range split does, keeps the continuing ones on their nodes like the engine's reshard). routedKeyLimit 0:
// exact.
struct ScenarioMovement {
    ShardRulePtr fromRule, toRule;
    DataMovement data;
    std::string note;
};
Result<ScenarioMovement> measureScenarioMovement(
    const ScenarioConfig& config, const RuleSpec& from, const RuleSpec& to, uint64_t routedKeyLimit = 0);

} // namespace shardsim
