#pragma once
// Which keys change place when a cluster moves from one shard rule to another (docs/migration-model.md).
//
// A key keeps its place when both rules give it the same logical shard index and that shard lives in the same
// logical database (ShardRule::databaseOf): shard i of the new rule takes over the slot of shard i of the old
// one, and a fold change (db-table's fold=8 -> 16) moves whole databases although no key changes its table.
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
    double optimumFraction = 0; // the least any rule must move for this change of shard count
    std::vector<std::string> from, to; // shard names of the two rules
    std::vector<uint64_t> matrix; // keys, from.size() x to.size(), row-major

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
};

// The least fraction of the data any placement must move when the number of equally loaded units changes from
// n to m: (m - n) / m when growing (the new units' share must arrive), (n - m) / n when shrinking (the leaving
// units' share must go). Taken at the level of shards and of logical databases; the larger of the two.
double optimumMovedFraction(int fromShards, int toShards);

// The largest from -> to matrix measured (cells): two rules of 4,096 shards each.
inline constexpr uint64_t kMaxMovementCells = uint64_t(1) << 24;

// Keys the CLI routes one by one at most (`migrate`): about a second or two of routing on one core. Beyond it
// the count is estimated from this many evenly spaced keys (docs/migration-model.md).
inline constexpr uint64_t kExactRoutedKeys = 100'000'000;

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
