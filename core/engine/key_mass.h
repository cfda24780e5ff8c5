#pragma once
// The mass of a key law (KeyLaw) over any run of keys, and the key that halves it, in O(log pieces): what the range
// balancer needs to know how hot a range is and where to split it by load. Built once per load window from the law
// of that moment; its memory is that of the law (points and segments), never per key.
//
// Inside a segment the mass is taken as spread evenly over its keys. Segments are short where the law is steep
// (a zipf tail's segments grow by 1/64) and cut at the ranges' bounds, so a range's mass is exact and only a split
// key inside one segment is interpolated.

#include <cstdint>
#include <vector>

#include "engine/key_law.h"

namespace shardsim::engine {

// The smallest key k in first..last with upTo(k) - upTo(first - 1) at least half of the range's mass, by bisection;
// `upTo(key)` is a non-decreasing mass of the keys 1..key. Half less a rounding error, so that a cut between two equal
// halves is found where it is.
template <class UpTo>
uint64_t halvingKeyOf(const UpTo& upTo, uint64_t first, uint64_t last)
{
    const double before = first > 0 ? upTo(first - 1) : 0.0;
    const double half = (upTo(last) - before) / 2 * (1 - 1e-12);
    uint64_t lo = first;
    uint64_t hi = last;
    while (lo < hi) {
        const uint64_t mid = lo + (hi - lo) / 2;
        if (upTo(mid) - before >= half)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

class KeyMass {
public:
    KeyMass() = default;
    explicit KeyMass(const KeyLaw& law);

    uint64_t keyCount() const { return m_keyCount; }
    // Probability of one draw falling on a key in first..last (inclusive; 0 when last < first).
    double ofRange(uint64_t first, uint64_t last) const;
    // The smallest key k in first..last whose keys first..k carry at least half of the range's mass.
    uint64_t halvingKey(uint64_t first, uint64_t last) const;

    double upTo(uint64_t key) const; // mass of keys 1..key

private:
    uint64_t m_keyCount = 0;
    std::vector<uint64_t> m_pointKeys; // ascending
    std::vector<double> m_pointMass;
    std::vector<double> m_pointsBefore; // m_pointsBefore[i]: mass of points 0..i-1; one more entry at the end
    std::vector<uint64_t> m_segmentFirst; // ascending
    std::vector<uint64_t> m_segmentLast;
    std::vector<double> m_segmentMass;
    std::vector<double> m_segmentsBefore; // as m_pointsBefore
};

} // namespace shardsim::engine
