#pragma once
// `auto-range:preset=NAME[,PARAM=VALUE]...` as a shard rule: an ordered range rule whose ranges are not fixed. Outside a
// run (route, migrate, compare's static view) it routes like `range` over its current bounds (one range, shard 0,
// when nothing has split yet). During a run the engine owns the ranges: it splits, merges and moves them as the
// settings say (docs/engine-model.md, "Ranges that split, merge and move") and routes with a rule of the same
// settings over the bounds of the moment (withBounds).

#include <cstdint>
#include <vector>

#include "shardsim/rules/auto_range_preset.h"
#include "shardsim/rules/shard_rule.h"

namespace shardsim {

class AutoRangeRule : public ShardRule {
public:
    virtual const AutoRangeSettings& settings() const = 0;
    // Ascending keys at which a new range starts: bounds().size() + 1 ranges, range i holding keys in
    // [bounds[i-1], bounds[i]) (the first from the lowest key, the last to the highest).
    virtual const std::vector<int64_t>& bounds() const = 0;
    // The same settings over other bounds (strictly increasing), for the layout of a moment in a run.
    virtual std::shared_ptr<const AutoRangeRule> withBounds(std::vector<int64_t> bounds) const = 0;
};

// The auto-range settings of `rule`, or null when it is another kind of rule.
const AutoRangeRule* asAutoRange(const ShardRule& rule);

} // namespace shardsim
