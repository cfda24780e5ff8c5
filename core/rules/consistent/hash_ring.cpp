#include "rules/consistent/hash_ring.h"
#include "rules/consistent/member_names.h"

#include <algorithm>

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
}

size_t HashRing::successor(uint64_t hash) const
{
    const auto found = std::lower_bound(
        m_points.begin(), m_points.end(), hash, [](const Point& point, uint64_t h) { return point.position < h; });
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
