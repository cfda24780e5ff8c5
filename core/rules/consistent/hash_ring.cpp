#include "rules/consistent/hash_ring.h"
#include "rules/consistent/member_names.h"

#include <algorithm>
#include <bit>

#include "rules/range_shares.h"

namespace shardsim::rules {

HashRing::HashRing(int members, int pointsPerMember, hashes::HashFunction function)
    : m_members(members)
    , m_pointsPerMember(pointsPerMember)
    , m_function(function)
{
    m_points.reserve(static_cast<size_t>(members) * static_cast<size_t>(pointsPerMember));
    for (int member = 0; member < members; ++member) {
        for (int replica = 0; replica < pointsPerMember; ++replica)
            m_points.push_back({ hashes::hashBytes(function, pointLabel(member, replica)), member, replica });
    }
    std::sort(m_points.begin(), m_points.end(), [](const Point& a, const Point& b) {
        if (a.position != b.position)
            return a.position < b.position;
        return a.member != b.member ? a.member < b.member : a.replica < b.replica;
    });
    // About one point a bucket, at most 2^20 buckets (4 MiB).
    m_bucketBits = std::clamp(static_cast<int>(std::bit_width(m_points.size())), 1, 20);
    const size_t buckets = size_t(1) << m_bucketBits;
    m_bucketStart.assign(buckets + 1, static_cast<uint32_t>(m_points.size()));
    for (size_t p = m_points.size(); p-- > 0;)
        m_bucketStart[m_points[p].position >> (64 - m_bucketBits)] = static_cast<uint32_t>(p);
    for (size_t b = buckets; b-- > 0;) // empty buckets start where the next one does
        m_bucketStart[b] = std::min(m_bucketStart[b], m_bucketStart[b + 1]);
}

size_t HashRing::successor(uint64_t hash) const
{
    if (m_points.empty())
        return 0;
    const uint64_t bucket = hash >> (64 - m_bucketBits);
    const auto found
        = std::lower_bound(m_points.begin() + m_bucketStart[bucket], m_points.begin() + m_bucketStart[bucket + 1], hash,
            [](const Point& point, uint64_t h) { return point.position < h; });
    return found == m_points.end() ? 0 : static_cast<size_t>(found - m_points.begin());
}

std::vector<double> HashRing::memberFractions() const
{
    std::vector<double> fractions(static_cast<size_t>(m_members), 0.0);
    if (m_points.empty())
        return fractions;
    // Point 0 owns the wrap-around arc from the last point; a single distinct position owns the whole circle.
    for (size_t p = 0; p < m_points.size(); ++p) {
        const uint64_t previous = m_points[p == 0 ? m_points.size() - 1 : p - 1].position;
        const double arc = previous == m_points[p].position
            ? (p == 0 && m_points.front().position == m_points.back().position ? 1.0 : 0.0)
            : arcFraction(previous, m_points[p].position);
        fractions[static_cast<size_t>(m_points[p].member)] += arc;
    }
    return fractions;
}

bool HashRing::fillsCircle(hashes::HashFunction function)
{
    return function != hashes::HashFunction::Java && function != hashes::HashFunction::Crc32;
}

std::string HashRing::pointLabel(int member, int replica)
{
    return memberLabel(member) + "#" + std::to_string(replica);
}

} // namespace shardsim::rules
