#include "engine/range_map.h"

#include <algorithm>

namespace shardsim::engine {

RangeMap::RangeMap(uint64_t keyCount, double rows, NodeId leader)
    : m_keyCount(std::max<uint64_t>(1, keyCount))
{
    Range range;
    range.rows = rows;
    range.leader = leader;
    m_ranges.push_back(range);
}

uint64_t RangeMap::last(size_t i) const
{
    if (i + 1 < m_ranges.size())
        return m_ranges[i + 1].first - 1;
    return std::max(m_keyCount, m_ranges[i].first);
}

size_t RangeMap::indexOf(uint64_t key) const
{
    const auto after = std::upper_bound(m_ranges.begin(), m_ranges.end(), key,
        [](uint64_t k, const Range& range) { return k < range.first; });
    return after == m_ranges.begin() ? 0 : static_cast<size_t>(after - m_ranges.begin() - 1);
}

std::vector<int64_t> RangeMap::bounds() const
{
    std::vector<int64_t> bounds;
    bounds.reserve(m_ranges.size());
    for (size_t i = 1; i < m_ranges.size(); ++i)
        bounds.push_back(static_cast<int64_t>(m_ranges[i].first));
    return bounds;
}

void RangeMap::scaleRows(double factor)
{
    for (Range& range : m_ranges)
        range.rows *= factor;
}

void RangeMap::split(size_t i, uint64_t key, double t)
{
    const double keys = static_cast<double>(this->keys(i));
    Range right = m_ranges[i];
    Range& left = m_ranges[i];
    const double leftShare = static_cast<double>(key - left.first) / keys;
    right.first = key;
    right.rows = left.rows * (1 - leftShare);
    right.rate = left.rate * (1 - leftShare);
    left.rows *= leftShare;
    left.rate *= leftShare;
    left.bornAt = right.bornAt = t;
    left.hotWindows = right.hotWindows = 0;
    left.mass = right.mass = -1;
    m_ranges.insert(m_ranges.begin() + static_cast<std::ptrdiff_t>(i) + 1, right);
}

void RangeMap::mergeWithNext(size_t i, double t)
{
    Range& left = m_ranges[i];
    const Range& right = m_ranges[i + 1];
    left.rows += right.rows;
    left.rate += right.rate;
    left.bornAt = t;
    left.hotWindows = 0;
    left.hotDegree = std::min(left.hotDegree, right.hotDegree);
    left.mass = -1;
    m_ranges.erase(m_ranges.begin() + static_cast<std::ptrdiff_t>(i) + 1);
}

} // namespace shardsim::engine
