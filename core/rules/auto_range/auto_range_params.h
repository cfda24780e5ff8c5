#pragma once
// Internal: the `auto-range` parameters that override a preset, one per AutoRangeSettings field, in snake_case with
// the scenario format's units (split_size=96MiB, snapshot_rate=64MiB/s, split_merge_interval=1h).

#include <string>
#include <vector>

#include "shardsim/rules/auto_range_preset.h"
#include "shardsim/rules/rule_spec.h"

namespace shardsim::rules {

// Reads every override present in `params` into `settings` (the preset's values); a malformed or out-of-range value
// becomes an error of `params` naming the parameter. Given split_size (split_keys) without split_target
// (split_target_keys), the pieces keep the preset's ratio to the split size.
void readAutoRangeOverrides(RuleParams& params, AutoRangeSettings& settings);

// ",split_size=96MiB,replicas=5": every parameter whose value in `settings` differs from what `preset` gives it (a
// derived split_target included), in the parameters' fixed order, each written so that it reads back as exactly the
// same value.
std::string autoRangeOverrideText(const AutoRangeSettings& settings, const AutoRangeSettings& preset);

// What makes a combination of values unusable (pieces bigger than the size that cuts them, merges of ranges that
// would split again), each naming the parameters to change. Empty when the settings can run.
std::vector<std::string> autoRangeSettingsProblems(const AutoRangeSettings& settings);

// A size as these parameters write it, exactly: 96MiB, 512MB, 1500B.
std::string autoRangeSizeText(double bytes);

} // namespace shardsim::rules
