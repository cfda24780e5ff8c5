#pragma once
// Internal: the hashes of an int64 key as hashes::hashKey(function, Key::int64(key)) computes them, without
// building the key's bytes as a string. The simulator routes hundreds of millions of keys through these.

#include <cstdint>

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
    constexpr uint64_t c1 = 0x87c37b91114253d5ULL;
    constexpr uint64_t c2 = 0x4cf5ad432745937fULL;
    const auto fmix64 = [](uint64_t k) {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccdULL;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53ULL;
        k ^= k >> 33;
        return k;
    };
    uint64_t k1 = static_cast<uint64_t>(value) * c1;
    k1 = (k1 << 31) | (k1 >> 33);
    k1 *= c2;
    uint64_t h1 = k1 ^ 8;
    uint64_t h2 = 8;
    h1 += h2;
    h2 += h1;
    return fmix64(h1) + fmix64(h2);
}

// hashes::hashKey(function, Key::int64(value)).
uint64_t hashOfInteger(hashes::HashFunction function, int64_t value);

} // namespace shardsim::rules
