#pragma once
// Internal: PostgreSQL's hash functions and Citus's hash-distributed shard ranges, separate from the rule so the
// tests can check each against PostgreSQL's and Citus's own outputs. docs/rules-real-systems.md cites the sources.

#include <cstdint>
#include <string_view>
#include <vector>

namespace shardsim::rules::systems {

// PostgreSQL's hash_bytes (hash_any): Bob Jenkins' lookup3 with PostgreSQL's initial value
// 0x9e3779b9 + length + 3923095 and the final mix always applied, reading the bytes little-endian.
uint32_t postgresHashBytes(std::string_view bytes);
// hash_bytes_uint32 (hash_uint32): the same for one 32-bit word.
uint32_t postgresHashUint32(uint32_t value);
// hashint4 and hashint8 as the int4 PostgreSQL returns: hashint8 folds the high half into the low half (its
// complement for negative values), so an int8 in int4 range hashes like the int4.
int32_t postgresHashInt4(int32_t value);
int32_t postgresHashInt8(int64_t value);
// hashtext under a deterministic collation, and hashvarlena (bytea): hash_any of the bytes.
int32_t postgresHashText(std::string_view bytes);

struct CitusShardRange {
    int32_t min = 0; // inclusive, as pg_dist_shard.shardminvalue
    int32_t max = 0; // inclusive, as shardmaxvalue
};
// CreateShardsWithRoundRobinPolicy: increment = 2^32 / shards (integer division), shard i starts at
// INT32_MIN + i * increment and ends one before the next; the last ends at INT32_MAX.
std::vector<CitusShardRange> citusShardRanges(int shards);
// CalculateUniformHashRangeIndex: (hash - INT32_MIN) / increment, the overflow past the last range going to the
// last shard. Agrees with the ranges above.
int citusShardIndex(int32_t hash, int shards);

} // namespace shardsim::rules::systems
