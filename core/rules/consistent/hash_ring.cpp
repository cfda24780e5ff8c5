#include "rules/consistent/hash_ring.h"
#include "rules/consistent/member_names.h"

#include <algorithm>

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

std::string HashRing::pointLabel(int member, int replica)
{
    return memberLabel(member) + "#" + std::to_string(replica);
}

} // namespace shardsim::rules
