#pragma once
// Each shard's share of a range of integer keys as the rule really assigns them, for the expected engine's shard
// shares and both engines' rows per shard (docs/engine-model.md, "Counted keys").
//
// Rules with closed forms (ShardRule::countsRangesExactly: mod, range, range-mod, db-table, ...) are asked directly.
// For the others (hashed rules) keys are counted one by one: one sweep over 1..x routes every key once in batches,
// split over the run's threads (the counts are sums of integers, the same whichever thread routed which keys), and
// keeps each shard's running count at checkpoints, so a range is the difference of two prefix counts, each a
// checkpoint plus at most half a checkpoint step of keys routed again. The sweep goes only as far as the largest key
// asked for, and never past reach(), the counting budget.
//
// How far to count: L keys on n shards whose first C are counted and the rest given the rule's fractions leave a
// shard's share a standard error of sqrt((n - 1) (L - C)) / L of it (the docs derive it). A range ending within
// exactKeys() is counted whole (cheap, and exact); a longer one only as far as that error needs to stay within
// shareError(), C = L - (shareError L)^2 / (n - 1), which is 0 from L = (n - 1) / shareError^2 on. Where those keys
// lie beyond reach(), the keys up to it are counted when they are at least half of the range, and the error that
// leaves is stated (shareStandardError) rather than met.
//
// Not thread-safe: one counter per run and rule, called from the run's thread (it starts its own for a sweep).

#include <atomic>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "shardsim/rules/shard_rule.h"

namespace shardsim::engine {

// How far a counter counts, in routings of one key by a rule of keyRoutingCost() 1 (jump, hash-mod): a rule whose
// keys cost more counts proportionally fewer.
struct CountingLimits {
    // Ranges ending within this many keys are counted whole: 2^25 keys of jump over 1,024 buckets take about 0.8 s on
    // one thread.
    uint64_t exactKeys = uint64_t(1) << 25;
    // The sweep's furthest key: 2^28 meets the bound at every key count for up to 1,074 shards (the worst range needs
    // 2.5 x 10^5 (n - 1) keys counted); about 6 s of jump over 1,024 buckets on one thread, half that on two.
    uint64_t budgetKeys = uint64_t(1) << 28;
    double shareError = 1e-3; // the bound: a shard's share's standard error, relative to the share
    int threads = 1; // threads routing a sweep; the counts do not depend on them
    const std::atomic<bool>* cancel = nullptr; // set: a sweep stops, and the keys it did not reach get fractions
};

class RangeShareCounter {
public:
    // The bound the engines keep and warn past: a shard's share's standard error, relative to the share.
    static constexpr double kShareError = 1e-3;

    explicit RangeShareCounter(const ShardRule& rule, CountingLimits limits = {});

    // As ShardRule::addRangeShares: adds `mass` to `shares` in proportion to each shard's keys in lo..hi and returns
    // the part on refused keys. The keys within 1..min(countedLast, reach()) are counted; the others get fractions.
    double addRangeShares(
        int64_t lo, int64_t hi, double mass, std::span<double> shares, uint64_t countedLast = UINT64_MAX);
    // Rows spread evenly over keys first..last: adds each shard's part of them (1 in all) to `shares` and returns the
    // refused part, counting keysToCount(first, last) keys from `first` on.
    double addEvenShares(uint64_t first, uint64_t last, std::span<double> shares);

    // How many keys of first..last, from `first` on, rows spread evenly over them need counted (see above): 0 when
    // the fractions suffice, for closed forms and for ranges the rule routes key by key anyway.
    uint64_t keysToCount(uint64_t first, uint64_t last) const;
    // The standard error of a shard's share of keys first..last spread evenly (rows), relative to the share, as
    // addEvenShares splits them: sqrt((n - 1) * beyond) / L for a shard of 1/n of the hash space, `beyond` the keys
    // left to the fractions. 0 for closed forms and short ranges.
    double shareStandardError(uint64_t first, uint64_t last) const;
    // Whether addEvenShares(first, last) keeps the bound.
    bool meetsBound(uint64_t first, uint64_t last) const { return shareStandardError(first, last) <= m_shareError; }

    const ShardRule& rule() const { return *m_rule; }
    double shareError() const { return m_shareError; }
    uint64_t exactKeys() const { return m_exactKeys; } // ranges ending within it are counted whole
    uint64_t reach() const { return m_reach; } // the furthest key the sweep may count
    uint64_t countedKeys() const { return m_counted; } // how far the sweep has gone

private:
    using Counts = std::vector<uint32_t>; // per shard, then the refused keys last
    struct Batch {
        std::vector<int64_t> keys;
        std::vector<int32_t> shards;
    };

    // Counts of keys 1..x on each shard, x <= reach().
    const Counts& prefix(uint64_t x);
    void sweepTo(uint64_t x);
    // Halves the checkpoints (doubling their step) until those up to `x` fit the memory bound.
    void thinCheckpoints(uint64_t x);
    // Adds (sign +1) or removes (-1) the keys first..last, routed, to `counts`.
    void route(uint64_t first, uint64_t last, int sign, Counts& counts, Batch& batch) const;
    // Keys past the fractions' allowance: the most of L keys the fractions may cover within the bound.
    uint64_t allowedBeyond(uint64_t length) const;

    const ShardRule* m_rule;
    uint64_t m_exactKeys;
    uint64_t m_reach;
    double m_shareError;
    int m_threads;
    const std::atomic<bool>* m_cancel;
    size_t m_slots; // shards + 1 (refused)
    uint64_t m_step; // keys between checkpoints
    std::vector<Counts> m_checkpoints; // [c]: counts of keys 1..c * m_step
    Counts m_running; // counts of keys 1..m_counted
    uint64_t m_counted = 0;
    std::map<uint64_t, Counts> m_prefixes; // prefix counts already asked for
    size_t m_maxPrefixes; // how many of them to remember
    Batch m_batch; // the run's thread's buffers
};

} // namespace shardsim::engine
