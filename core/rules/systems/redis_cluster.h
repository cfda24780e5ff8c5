#pragma once
// Internal: Redis Cluster's key-to-slot function and redis-cli's slot allocation, separate from the rule so the
// tests can check each against Redis's own vectors. docs/rules-real-systems.md cites the sources.

#include <cstdint>
#include <string_view>
#include <vector>

namespace shardsim::rules::systems {

constexpr int kRedisClusterSlots = 16384;

// CRC-16/XMODEM (polynomial 0x1021, initial value 0, no reflection), Redis's crc16.c: "123456789" -> 0x31C3.
uint16_t redisCrc16(std::string_view bytes);
// The bytes keyHashSlot hashes: between the first '{' and the next '}' when at least one byte is between them,
// otherwise the whole key.
std::string_view redisHashTag(std::string_view key);
// CLUSTER KEYSLOT: crc16 of the hash tag (or key) & 16383.
int redisKeySlot(std::string_view key);

struct RedisSlotRange {
    int first = 0;
    int last = 0; // inclusive
};
// The contiguous ranges `redis-cli --cluster create` gives masters 0..N-1: slots per node = 16384 / N in single
// precision, a float cursor, last = lround(cursor + slots per node - 1), the last master up to 16383.
std::vector<RedisSlotRange> redisCliSlotRanges(int masters);

} // namespace shardsim::rules::systems
