#pragma once
// Internal: Guava's Hashing.consistentHash, separate from the rule so the tests can check it against Guava's own
// golden values. docs/rules-real-systems.md cites the source.

#include <cstdint>
#include <vector>

namespace shardsim::rules::systems {

// Hashing.consistentHash(long input, int buckets) with its LinearCongruentialGenerator: the jump consistent hash
// of Lamping and Veach, in Guava's arithmetic. `visited`, when given, receives each bucket the key lands in.
// It differs from the paper's C++ (the `jump` rule) in two places: the next bucket is (candidate + 1) divided by
// ((int) (state >>> 33) + 1) / 2^31, one rounding instead of two, and that int + 1 overflows to -2^31 when
// state >>> 33 is 2^31 - 1, which gives a negative candidate and stops the walk.
int32_t guavaConsistentHash(int64_t input, int32_t buckets, std::vector<int64_t>* visited = nullptr);

} // namespace shardsim::rules::systems
