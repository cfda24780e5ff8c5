#pragma once
// Internal: the formulas of the real systems, separate from the rule classes so the tests can check
// each one against the vectors published with that system. docs/rules-real-systems.md cites the sources.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/rules/key.h"

namespace shardsim::rules::systems {

// Lowercase hex of raw bytes, two digits a byte ("166b40b44aba4bd6").
std::string toHex(std::string_view bytes);

// ---- Vitess ----------------------------------------------------------------------------------------

// A keyspace id of the hash, xxhash and numeric vindexes: always 8 bytes.
using KeyspaceId = std::array<uint8_t, 8>;

std::string_view keyspaceIdBytes(const KeyspaceId& id);

// The 8 bytes of `value`, most significant first (Go's binary.BigEndian.PutUint64).
KeyspaceId bigEndian(uint64_t value);
// `hash` vindex: DES with an all-zero key of the id as 8 big-endian bytes. Vitess used 3DES with a null
// key earlier; with all three keys equal 3DES (EDE) is single DES, so the ids are the same.
KeyspaceId vitessDesHash(uint64_t id);
// `xxhash` vindex: xxHash64 (seed 0) of the value's bytes, stored little-endian. The bytes are what the vindex reads
// for a key (sqltypes.Value.ToBytes), Key::text(): integers as their decimal text, strings as UTF-8, binary as it is.
KeyspaceId vitessXxhash(std::string_view valueBytes);

// One shard of an evenly split keyspace. `start`/`end` are raw boundary bytes; empty means open.
struct VitessShard {
    std::string name; // "-80", "80-c0", "c0-"
    std::string start;
    std::string end;
};
// Vitess's key.GenerateShardRanges(shards) with the default width: two hex digits a boundary up to 256
// shards, four up to 65536; boundary i is floor(i * 256 / shards) (or 65536), which spreads the remainder
// of an uneven split over the shards. One shard is "-".
Result<std::vector<VitessShard>> vitessShardRanges(int shards);
// Byte-wise comparison as Go's bytes.Compare: shorter prefixes sort first.
int compareBytes(std::string_view a, std::string_view b);

// ---- Cassandra -------------------------------------------------------------------------------------

// The partition key bytes as Cassandra serialises the CQL type: int (Int32Type) 4 bytes and bigint
// (LongType) 8 bytes, big-endian; text as UTF-8; blob as is. A uint64 is taken as the bigint with the
// same 64 bits, since CQL has no unsigned type.
std::string cassandraKeyBytes(const Key& key);
// h1 of org.apache.cassandra.utils.MurmurHash.hash3_x64_128(key, seed 0). It differs from the reference
// MurmurHash3 in one place: Java bytes are signed, so tail bytes >= 0x80 are sign-extended into k1/k2.
int64_t cassandraMurmur3(std::string_view bytes);
// Murmur3Partitioner.getToken for a non-empty key: the hash above, with Long.MIN_VALUE (the partitioner's
// minimum token, which no key may take) moved to Long.MAX_VALUE.
int64_t cassandraToken(std::string_view keyBytes);
// Evenly spaced initial tokens as ccm and the Cassandra docs compute them: node i (0-based) gets
// i * floor(2^64 / nodes) - 2^63.
std::vector<int64_t> cassandraBalancedTokens(int nodes);

// ---- MongoDB ---------------------------------------------------------------------------------------

// BSONElementHasher::hash64(element, seed 0) for the BSON value a key becomes: int32 -> NumberInt,
// int64 (and uint64 up to 2^63-1) -> NumberLong, string -> String, bytes -> BinData subtype 0.
// A uint64 above 2^63-1 has no BSON integer type and is refused.
Result<int64_t> mongoHash64(const Key& key);
// InitialSplitPolicy::calculateHashedSplitPoints for a {field: "hashed"} key: chunks - 1 split points,
// symmetric around 0, sorted ascending.
std::vector<int64_t> mongoHashedSplitPoints(int chunks);

} // namespace shardsim::rules::systems
