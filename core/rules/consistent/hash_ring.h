#pragma once
// A Karger consistent-hash ring: every member (shard) owns `pointsPerMember` points on the 64-bit circle,
// the point of member i, replica v being hash("shard-<i>#<v>"). A key belongs to the first point at or
// after its hash, wrapping past 2^64 - 1 to the lowest point. Shared by `ring` and `bounded`.

#include <cstdint>
#include <string>
#include <vector>

#include "shardsim/rules/hashes.h"

namespace shardsim::rules {

class HashRing {
public:
    struct Point {
        uint64_t position = 0;
        int member = 0;
        int replica = 0;
    };

    HashRing(int members, int pointsPerMember, hashes::HashFunction function);

    int memberCount() const { return m_members; }
    int pointsPerMember() const { return m_pointsPerMember; }
    hashes::HashFunction function() const { return m_function; }

    // Sorted by position; equal positions (a 64-bit collision) ordered by member, then replica.
    const std::vector<Point>& points() const { return m_points; }
    // Index into points() of the first point at or after `hash`; wraps to 0.
    size_t successor(uint64_t hash) const;

    static std::string pointLabel(int member, int replica);

    // Each member's part of the 64-bit circle: the arcs ending at its points, a point owning the hashes after
    // the previous point up to its own position.
    std::vector<double> memberFractions() const;
    // Whether the function's hashes spread over all 64 bits (murmur3, xxhash64, fnv1a64), so arc lengths are
    // the shares of keys; java and crc32 give 32-bit values.
    static bool fillsCircle(hashes::HashFunction function);

private:
    int m_members;
    int m_pointsPerMember;
    hashes::HashFunction m_function;
    std::vector<Point> m_points;
    // Where the search for a hash starts and ends: m_bucketStart[b] is the first point whose position's top
    // m_bucketBits bits are b or more, so a successor lies in [start[b], start[b + 1]] (a few points, not a search
    // of the whole ring).
    int m_bucketBits = 0;
    std::vector<uint32_t> m_bucketStart;
};

} // namespace shardsim::rules
