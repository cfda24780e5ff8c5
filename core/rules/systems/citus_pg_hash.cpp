// PostgreSQL's hash_any / hash_uint32 (common/hashfn.c), the hashes behind hashint4, hashint8 and hashtext.

#include "rules/systems/citus.h"

#include <algorithm>
#include <cstdint>

namespace shardsim::rules::systems {

namespace {

    uint32_t rot(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

    void mix(uint32_t& a, uint32_t& b, uint32_t& c)
    {
        a -= c;
        a ^= rot(c, 4);
        c += b;
        b -= a;
        b ^= rot(a, 6);
        a += c;
        c -= b;
        c ^= rot(b, 8);
        b += a;
        a -= c;
        a ^= rot(c, 16);
        c += b;
        b -= a;
        b ^= rot(a, 19);
        a += c;
        c -= b;
        c ^= rot(b, 4);
        b += a;
    }

    void finalMix(uint32_t& a, uint32_t& b, uint32_t& c)
    {
        c ^= b;
        c -= rot(b, 14);
        a ^= c;
        a -= rot(c, 11);
        b ^= a;
        b -= rot(a, 25);
        c ^= b;
        c -= rot(b, 16);
        a ^= c;
        a -= rot(c, 4);
        b ^= a;
        b -= rot(a, 14);
        c ^= b;
        c -= rot(b, 24);
    }

    constexpr uint32_t kInitial = 0x9e3779b9u + 3923095u;

    // Bytes [from, from + count) of `k` as a little-endian word, count <= 4; missing bytes are zero.
    uint32_t littleEndian(const unsigned char* k, int count)
    {
        uint32_t word = 0;
        for (int i = count - 1; i >= 0; --i)
            word = (word << 8) | k[i];
        return word;
    }

} // namespace

uint32_t postgresHashBytes(std::string_view bytes)
{
    const auto* k = reinterpret_cast<const unsigned char*>(bytes.data());
    auto len = static_cast<uint32_t>(bytes.size());
    uint32_t a = kInitial + len;
    uint32_t b = a;
    uint32_t c = a;
    while (len >= 12) {
        a += littleEndian(k, 4);
        b += littleEndian(k + 4, 4);
        c += littleEndian(k + 8, 4);
        mix(a, b, c);
        k += 12;
        len -= 12;
    }
    // The last 0..11 bytes: a takes bytes 0-3, b 4-7, c 8-10 shifted up one byte (its low byte stays free, as
    // lookup3 reserves it for the length).
    const int rest = static_cast<int>(len);
    a += littleEndian(k, std::min(rest, 4));
    if (rest > 4)
        b += littleEndian(k + 4, std::min(rest - 4, 4));
    if (rest > 8)
        c += littleEndian(k + 8, rest - 8) << 8;
    finalMix(a, b, c);
    return c;
}

uint32_t postgresHashUint32(uint32_t value)
{
    uint32_t a = kInitial + 4;
    uint32_t b = a;
    uint32_t c = a;
    a += value;
    finalMix(a, b, c);
    return c;
}

int32_t postgresHashInt4(int32_t value)
{
    return static_cast<int32_t>(postgresHashUint32(static_cast<uint32_t>(value)));
}

int32_t postgresHashInt8(int64_t value)
{
    // hashint8: "the idea is to make hashint8(x) = hashint4(x) for values in int4 range".
    auto low = static_cast<uint32_t>(static_cast<uint64_t>(value));
    const auto high = static_cast<uint32_t>(static_cast<uint64_t>(value) >> 32);
    low ^= value >= 0 ? high : ~high;
    return static_cast<int32_t>(postgresHashUint32(low));
}

int32_t postgresHashText(std::string_view bytes) { return static_cast<int32_t>(postgresHashBytes(bytes)); }

std::vector<CitusShardRange> citusShardRanges(int shards)
{
    std::vector<CitusShardRange> ranges;
    if (shards <= 0)
        return ranges;
    const uint64_t increment = (uint64_t { 1 } << 32) / static_cast<uint64_t>(shards);
    for (int i = 0; i < shards; ++i) {
        const int64_t min = INT32_MIN + static_cast<int64_t>(i) * static_cast<int64_t>(increment);
        const int64_t max = i == shards - 1 ? INT32_MAX : min + static_cast<int64_t>(increment) - 1;
        ranges.push_back({ static_cast<int32_t>(min), static_cast<int32_t>(max) });
    }
    return ranges;
}

int citusShardIndex(int32_t hash, int shards)
{
    const int64_t increment = static_cast<int64_t>((uint64_t { 1 } << 32) / static_cast<uint64_t>(shards));
    const auto index = static_cast<int>((static_cast<int64_t>(hash) - INT32_MIN) / increment);
    return index >= shards ? shards - 1 : index;
}

} // namespace shardsim::rules::systems
