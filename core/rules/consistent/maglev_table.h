#pragma once
// The Maglev lookup table (Eisenbud et al., NSDI 2016, Pseudocode 1).

#include <cstdint>
#include <vector>

namespace shardsim::rules {

bool isPrime(int64_t value);

// The shard of each of the `size` entries; `size` prime and >= `nodes` >= 1. Shard i prefers the entries
// (offset_i + j * skip_i) mod size for j = 0, 1, ..., with offset_i = xxhash64("shard-<i>") mod size and
// skip_i = murmur3("shard-<i>") mod (size - 1) + 1; the shards take turns claiming their next free
// preferred entry, so every shard ends with floor(size / nodes) or ceil(size / nodes) entries.
std::vector<int32_t> populateMaglevTable(int nodes, int64_t size);

} // namespace shardsim::rules
