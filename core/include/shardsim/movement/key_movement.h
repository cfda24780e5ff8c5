#pragma once
// Which keys change place when a cluster moves from one shard rule to another (docs/migration-model.md).
//
// A key keeps its place when its new shard continues its old shard (continuedShards): the same physical table, in
// the same database. A shard of a range rule is identified by its key range, so a renumbered range keeps its place
// and a split range keeps its lower part in place; a shard of any other rule is identified by its index and its
// logical database (ShardRule::databaseOf), so a fold change (db-table's fold=8 -> 16) moves whole databases
// although no key changes its table. Where the nodes are known, data_movement.h adds the nodes holding each copy.
// Counts are exact: the arithmetic rules (mod, db-table, range, range-mod) repeat with a period between their
// boundaries, so one period per segment is routed and multiplied; every other rule is routed key by key in
// batches. Nothing is stored per key. With a routed-key limit, a count that would route more keys than the limit
// routes that many evenly spaced keys instead and says so (exact = false, with a standard error).

#include <cstdint>
#include <string>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/rules/rule_spec.h"
#include "shardsim/rules/shard_rule.h"

namespace shardsim {

struct KeyMovement {
    uint64_t keys = 0; // keys compared: 1..keys
    uint64_t movedKeys = 0;
    double movedFraction = 0; // movedKeys / keys
    double optimumFraction = 0; // the least any layout must move for this change (rangeOptimum; other rules: what the continued shards cannot keep)
    std::vector<std::string> from, to; // shard names of the two rules
    std::vector<uint64_t> matrix; // keys, from.size() x to.size(), row-major
    std::vector<int> continued; // per shard of `to`: the shard of `from` whose place it keeps, -1 (continuedShards)
    bool byRanges = false; // both rules are `range`: shards are key ranges, not equally loaded units (rangeOptimum)

    // Keys a rule refuses (a key beyond range-mod's databases): not in the matrix, not counted as moved.
    uint64_t refusedFrom = 0, refusedTo = 0;
    // Shards and logical databases of each rule, for the optimum.
    int fromShards = 0, toShards = 0, fromDatabases = 0, toDatabases = 0;
    // False when the count came from evenly spaced keys (a routed-key limit was reached): then movedKeys and the
    // matrix are scaled from `sampledKeys` keys, and movedFraction is an estimate with standard error
    // sqrt(p (1 - p) / sampledKeys), the evenly spaced keys taken as a random sample of the key set.
    bool exact = true;
    uint64_t sampledKeys = 0;
    double standardError = 0; // of movedFraction; 0 when exact

    uint64_t cell(size_t fromShard, size_t toShard) const { return matrix[fromShard * to.size() + toShard]; }
    // The keys of cell (fromShard, toShard) keep their place.
    bool stays(size_t fromShard, size_t toShard) const { return continued[toShard] == static_cast<int>(fromShard); }
};

// For each shard of `to`, the shard of `from` whose place (physical table and database) it keeps, or -1 for a new
// one. Between two `range` rules a shard is its key range: new shard t keeps the place of the old shard holding
// its first key (keys start at 1), unless an earlier new shard already starts in that old shard (a split keeps
// its lower part in place; a renumbered range keeps its place). Otherwise shard t keeps shard t's place when the old
// rule has a shard t in the same logical database. No two new shards keep the same old shard.
std::vector<int> continuedShards(const ShardRule& from, const ShardRule& to);

// For each logical database of `to`, the database of `from` whose place it keeps (the database of its first
// continued shard, if no earlier database claimed it), or -1.
std::vector<int> continuedDatabases(const ShardRule& from, const ShardRule& to);

// The databases a placement by index (round-robin) must keep on their nodes: when some database of `to` keeps the
// place of a database with another index (a range split or merge renumbers the ranges after it), placing by index
// would move data that need not move, so continuedDatabases; empty when no database is renumbered.
std::vector<int> databasesKeptInPlace(const ShardRule& from, const ShardRule& to);

// The least fraction of keys 1..keys any layout must move between two range rules when every range has its own
// place: 1 - W / keys, with W the largest total of keys a one-to-one pairing of old and new ranges can keep, a
// maximum-weight matching on the overlaps of the two partitions of the key line (a path, so a linear pass). The
// overlaps are the matrix's non-empty cells in order.
double rangeOptimum(const KeyMovement& movement);


// The largest from -> to matrix measured (cells): two rules of 4,096 shards each.
inline constexpr uint64_t kMaxMovementCells = uint64_t(1) << 24;

// Keys the CLI routes one by one at most (`migrate`): about a second or two of routing on one core. Beyond it
// the count is estimated from this many evenly spaced keys (docs/migration-model.md).
inline constexpr uint64_t kExactRoutedKeys = 100'000'000;

// The two rules of a change, or why one cannot be made ("from rule mdo:n=16: ...").
struct RulePair {
    ShardRulePtr from, to;
};
Result<RulePair> makeRulePair(const RuleSpec& from, const RuleSpec& to, const RuleContext& context);

// `routedKeyLimit` 0: exact whatever it costs; else as measureKeyMovementBounded.
Result<KeyMovement> measureKeyMovement(const RuleSpec& from, const RuleSpec& to, uint64_t keys,
    const RuleContext& context, uint64_t routedKeyLimit = 0);
Result<KeyMovement> measureKeyMovement(const ShardRule& from, const ShardRule& to, uint64_t keys);

// Like measureKeyMovement, but when the count would route more than `routedKeyLimit` keys (a hashed rule over a
// large key set, or periodic rules whose pieces add up to more than that and kExactRoutedKeys), routes `routedKeyLimit` evenly spaced keys instead
// and scales the counts (exact = false). For the simulator, which moves tables of a billion rows, and the CLI
// beyond kExactRoutedKeys. Fails like measureKeyMovement when the matrix would be too large.
Result<KeyMovement> measureKeyMovementBounded(const ShardRule& from, const ShardRule& to, uint64_t keys,
    uint64_t routedKeyLimit);

} // namespace shardsim
