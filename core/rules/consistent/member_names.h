#pragma once
// Names shared by the minimal-movement rules. Their shards are interchangeable members of a pool, so a
// shard is just "shard-<i>" (0-based, as in `mod`); the text hashed to place member i is the same "shard-<i>"
// (the ring and bounded rules add "#<replica>"). Both are part of the documented, reproducible output.

#include <string>

namespace shardsim::rules {

inline std::string memberShardName(int member) { return "shard-" + std::to_string(member); }
inline std::string memberLabel(int member) { return "shard-" + std::to_string(member); }

// Upper limits that keep construction and per-key work bounded.
constexpr int kMaxMembers = 100'000;
constexpr int64_t kMaxRingPoints = 10'000'000;

} // namespace shardsim::rules
