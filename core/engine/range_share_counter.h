#pragma once
// Each shard's share of a range of integer keys as the rule really assigns them, for the expected engine's shard
// shares and both engines' rows per shard (docs/engine-model.md, "Counted keys").
//
// Rules with closed forms (ShardRule::countsRangesExactly: mod, range, range-mod, db-table, ...) are asked directly.
// For the others (hashed rules), the part of a range within keys 1..exactKeys is counted key by key: one sweep over
// 1..x routes every key once in batches and keeps each shard's running count at checkpoints, so a range is the
// difference of two prefix counts, each a checkpoint plus at most half a checkpoint step of keys routed again. The
// sweep only goes as far as the largest key asked for. Beyond exactKeys the rule's own addRangeShares gives the
// expected fractions; the standard error that leaves is sqrt((n - 1) * beyond) / length of a shard's share (n shards,
// `beyond` keys past exactKeys), which the docs derive and tabulate. Callers count only where the fractions would err
// by more than kShareError (needsCounting; KeyDomain's choice of segments), since counting costs a route per key.
//
// Not thread-safe: one counter per run and rule, used by the run's single thread.

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "shardsim/rules/shard_rule.h"

namespace shardsim::engine {

class RangeShareCounter {
public:
    // 2^25 keys: a full sweep costs under a second for jump over 1,024 buckets (far less for murmur3) and keeps the
    // standard error of every range below 0.1% of a shard's share for rules of up to 134 shards (docs/engine-model.md).
    static constexpr uint64_t kExactKeys = uint64_t(1) << 25;

    // The standard error of a shard's share, relative to the share, that the fractions may leave: keys are counted
    // only where the fractions would err by more (needsCounting, KeyDomain's choice of segments).
    static constexpr double kShareError = 1e-3;

    // Counts keys 1..exactKeys / rule.keyRoutingCost() one by one (at least ShardRule::kRangeShareKeys).
    explicit RangeShareCounter(const ShardRule& rule, uint64_t exactKeys = kExactKeys);

    // As ShardRule::addRangeShares: adds `mass` to `shares` in proportion to each shard's keys in lo..hi and returns
    // the part on refused keys.
    double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares);

    const ShardRule& rule() const { return *m_rule; }
    uint64_t countedKeys() const { return m_counted; } // how far the sweep has gone
    // Whether every key of 1..keys can be counted one by one (or the rule's closed form is exact).
    bool exactUpTo(uint64_t keys) const { return m_rule->countsRangesExactly() || keys <= m_exactKeys; }
    // Whether rows spread evenly over first..last need counting: the fractions' relative error sqrt((n - 1) / L)
    // exceeds kShareError and at least half of the L keys can be counted (counting fewer would lower the error by
    // less than a third).
    bool needsCounting(uint64_t first, uint64_t last) const;
    // The standard error of a shard's share of keys first..last spread evenly (rows), relative to the share, as the
    // engines split them: sqrt((n - 1) * beyond) / L for a shard of 1/n of the hash space, `beyond` the L keys' part
    // given the rule's fractions (all of them when needsCounting says no). 0 for closed forms and short ranges.
    double shareStandardError(uint64_t first, uint64_t last) const;

private:
    using Counts = std::vector<uint32_t>; // per shard, then the refused keys last

    // Counts of keys 1..x on each shard, x <= exactKeys.
    const Counts& prefix(uint64_t x);
    void sweepTo(uint64_t x);
    // Adds (sign +1) or removes (-1) the keys first..last, routed, to `counts`.
    void route(uint64_t first, uint64_t last, int sign, Counts& counts);

    const ShardRule* m_rule;
    uint64_t m_exactKeys;
    size_t m_slots; // shards + 1 (refused)
    uint64_t m_step; // keys between checkpoints
    std::vector<Counts> m_checkpoints; // [c]: counts of keys 1..c * m_step
    Counts m_running; // counts of keys 1..m_counted
    uint64_t m_counted = 0;
    std::map<uint64_t, Counts> m_prefixes; // prefix counts already asked for
    std::vector<int64_t> m_keys; // batch buffers
    std::vector<int32_t> m_shards;
};

} // namespace shardsim::engine
