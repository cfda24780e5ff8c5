#pragma once
// Internal: ordered bounds that cut the integer key line into ranges, shared by `range` (fixed bounds) and
// `auto-range` (the bounds of the moment). k strictly increasing bounds make k + 1 ranges: range 0 takes every key
// below the first bound, range i takes bounds[i-1] <= key < bounds[i], the last every key at or above the last
// bound. No bounds is one range holding every key.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/rules/rule_spec.h"
#include "shardsim/rules/shard_rule.h"

namespace shardsim::rules {

class RangeBounds {
public:
    explicit RangeBounds(std::vector<int64_t> bounds); // strictly increasing, possibly empty

    const std::vector<int64_t>& values() const { return m_bounds; }
    int rangeCount() const { return static_cast<int>(m_bounds.size()) + 1; }
    int rangeOf(int64_t key) const;

    // Routes an integer key (`ruleName` goes into the error for string keys) and, with `explain`, says which
    // bounds hold it.
    Result<RouteResult> route(const Key& key, Explanation* explain, std::string_view ruleName) const;

    // Half-open intervals in the units people wrote: "<10M", "[10M,20M)", ">=30M"; "all" for the only range.
    std::string rangeName(int index) const;
    // "10M|20M|30M", as a spec's bounds= value.
    std::string listText() const;

    // Exact: lo..hi is cut at the bounds inside it and each piece counted (ShardRule::addRangeShares).
    double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const;

private:
    std::vector<int64_t> m_bounds;
};

// Reads the bound texts of `params`'s rule (plain integers or counts such as 10M); a malformed or non-increasing bound
// is added to `params`' errors and gives nullopt.
std::optional<std::vector<int64_t>> parseRangeBounds(RuleParams& params, const std::vector<std::string>& texts);

} // namespace shardsim::rules
