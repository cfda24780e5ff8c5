#pragma once
// Internal: which share of the keys changes node when a layout changes (a new rule, a new node count, or
// both), measured by routing evenly spaced keys through both layouts.

#include <cstdint>

#include "shardsim/common/result.h"
#include "shardsim/rules/rule_spec.h"

namespace shardsim::planner {

inline constexpr uint64_t kMovementSampleKeys = 65'536;

// Databases are placed round-robin (database d on node d mod nodes), as the planned clusters are. Keys
// 1..keys, sampled at min(keys, kMovementSampleKeys) evenly spaced points; a key either layout refuses
// counts as moved.
Result<double> movedKeyFraction(
    const RuleSpec& from, int fromNodes, const RuleSpec& to, int toNodes, uint64_t keys);

} // namespace shardsim::planner
