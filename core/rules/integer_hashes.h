#pragma once
// Internal: the hashes of an int64 key as hashes::hashKey(function, Key::int64(key)) computes them, without
// building the key's bytes as a string. The simulator routes hundreds of millions of keys through these.

#include <cstdint>

#include "rules/murmur3_parts.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules {

// Java's Long.hashCode: (int) (v ^ (v >>> 32)).
inline int32_t javaLongHash(int64_t value)
{
    const auto bits = static_cast<uint64_t>(value);
    return static_cast<int32_t>(static_cast<uint32_t>(bits ^ (bits >> 32)));
}

// h1 of MurmurHash3_x64_128 (seed 0) over the 8 little-endian bytes of `value`. Eight bytes are no full 16-byte
// block: the whole key is the tail's k1, read little-endian, so k1 is the value's bits; then the finalisation with
// length 8 and h2 = 0.
inline uint64_t murmur3OfInteger(int64_t value)
{
    const murmur3::Halves halves = murmur3::finish(murmur3::mixK1(static_cast<uint64_t>(value)), 0, 8);
    return halves.h1;
}

// hashes::hashKey(function, Key::int64(value)).
uint64_t hashOfInteger(hashes::HashFunction function, int64_t value);

} // namespace shardsim::rules
