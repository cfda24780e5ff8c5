#pragma once
// Jump consistent hash, Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm" (2014).

#include <cstdint>
#include <span>
#include <vector>

#include "shardsim/rules/key.h"

namespace shardsim::rules {

// The bucket in [0, buckets) of a 64-bit key; `buckets` >= 1. Bit-exact with the paper's C++ listing:
// the same 64-bit LCG (multiplier 2862933555777941757, increment 1) and the same double-precision step
// j = (b + 1) * (2^31 / ((key >> 33) + 1)). When `visited` is given it receives every bucket the key
// jumped to, starting with 0, and finally the first jump target that fell outside the range.
int32_t jumpConsistentHash(uint64_t key, int32_t buckets, std::vector<int64_t>* visited = nullptr);

// The 64-bit value jump reads for a key, as Guava's consistentHash(long) and consistentHash(HashCode) take it: an
// integer key's two's complement (so the int32 and int64 -1 are the same value), a uint64 as it is, a string or bytes
// key's murmur3 (h1 of MurmurHash3_x64_128, seed 0: Guava's murmur3_128().hashString(key, UTF_8).padToLong()).
uint64_t jumpInput(const Key& key);

// buckets[i] = jumpConsistentHash(keys[i], count) for a batch (buckets.size() >= keys.size()), bit-exact with it. A
// key's jumps form one chain of dependent divisions, so the batch runs several keys' chains side by side.
void jumpConsistentHashes(std::span<const int64_t> keys, int32_t count, std::span<int32_t> buckets);

} // namespace shardsim::rules
