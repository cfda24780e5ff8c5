#pragma once
// Internal: the steps of MurmurHash3_x64_128 (Austin Appleby's reference), shared by the whole-string hash
// (hashes.cpp), the hash of an int64 key without its bytes (integer_hashes.h) and rendezvous' per-shard scores, which
// mix a key's blocks once and only the tail that holds the shard number once per shard (rendezvous_rule.cpp).

#include <cstdint>

namespace shardsim::rules::murmur3 {

inline constexpr uint64_t kC1 = 0x87c37b91114253d5ULL;
inline constexpr uint64_t kC2 = 0x4cf5ad432745937fULL;

inline constexpr uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

inline constexpr uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

inline uint64_t readLittleEndian64(const unsigned char* p)
{
    uint64_t value = 0;
    for (int i = 7; i >= 0; --i)
        value = (value << 8) | p[i];
    return value;
}

// The lanes' scrambles, applied to each block's two words and to the tail's.
inline constexpr uint64_t mixK1(uint64_t k1) { return rotl64(k1 * kC1, 31) * kC2; }
inline constexpr uint64_t mixK2(uint64_t k2) { return rotl64(k2 * kC2, 33) * kC1; }

// One whole 16-byte block into the state.
inline void mixBlock(uint64_t& h1, uint64_t& h2, const unsigned char* block)
{
    h1 ^= mixK1(readLittleEndian64(block));
    h1 = rotl64(h1, 27) + h2;
    h1 = h1 * 5 + 0x52dce729;
    h2 ^= mixK2(readLittleEndian64(block + 8));
    h2 = rotl64(h2, 31) + h1;
    h2 = h2 * 5 + 0x38495ab5;
}

// The finalisation after the tail: the halves as the reference returns them.
struct Halves {
    uint64_t h1;
    uint64_t h2;
};
inline constexpr Halves finish(uint64_t h1, uint64_t h2, uint64_t length)
{
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 += h2;
    h2 += h1;
    return { h1, h2 };
}

} // namespace shardsim::rules::murmur3
