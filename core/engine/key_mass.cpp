#include "engine/key_mass.h"

#include <algorithm>

namespace shardsim::engine {

KeyMass::KeyMass(const KeyLaw& law)
    : m_keyCount(law.keyCount)
{
    m_pointsBefore.push_back(0);
    for (const KeyPoint& point : law.points) {
        m_pointKeys.push_back(point.key);
        m_pointMass.push_back(point.mass);
        m_pointsBefore.push_back(m_pointsBefore.back() + point.mass);
    }
    m_segmentsBefore.push_back(0);
    for (const KeySegment& segment : law.segments) {
        m_segmentFirst.push_back(segment.first);
        m_segmentLast.push_back(segment.last);
        m_segmentMass.push_back(segment.mass);
        m_segmentsBefore.push_back(m_segmentsBefore.back() + segment.mass);
    }
}

double KeyMass::upTo(uint64_t key) const
{
    const auto points = std::upper_bound(m_pointKeys.begin(), m_pointKeys.end(), key) - m_pointKeys.begin();
    double mass = m_pointsBefore[static_cast<size_t>(points)];
    // Segments starting at or before key: all of them but the last are whole.
    const auto after = std::upper_bound(m_segmentFirst.begin(), m_segmentFirst.end(), key) - m_segmentFirst.begin();
    if (after == 0)
        return mass;
    const auto s = static_cast<size_t>(after - 1);
    mass += m_segmentsBefore[s];
    const uint64_t first = m_segmentFirst[s];
    const uint64_t last = m_segmentLast[s];
    const double covered = static_cast<double>(std::min(key, last) - first + 1);
    return mass + m_segmentMass[s] * covered / static_cast<double>(last - first + 1);
}

double KeyMass::ofRange(uint64_t first, uint64_t last) const
{
    if (last < first)
        return 0;
    return std::max(0.0, upTo(last) - (first > 0 ? upTo(first - 1) : 0.0));
}

uint64_t KeyMass::halvingKey(uint64_t first, uint64_t last) const
{
    return halvingKeyOf([this](uint64_t key) { return upTo(key); }, first, last);
}

} // namespace shardsim::engine
