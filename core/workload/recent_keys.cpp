#include "shardsim/workload/recent_keys.h"

#include <algorithm>
#include <cmath>

#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <fmt/format.h>

namespace shardsim::workload {

RecentKeys::RecentKeys(double windowKeys, double share, uint64_t n)
    : m_windowKeys(windowKeys)
    , m_share(share)
    , m_n(n)
{
}

uint64_t RecentKeys::recentKeyCount() const
{
    if (m_n == 0)
        return 0;
    // A window of 2.5 keys holds 2; a window shorter than one insert still holds the newest key.
    const double keys = std::floor(std::min(m_windowKeys, static_cast<double>(m_n)));
    return std::clamp<uint64_t>(static_cast<uint64_t>(keys), 1, m_n);
}

uint64_t RecentKeys::sample(RandomEngine& engine) const
{
    if (m_n == 0)
        return 0;
    const bool recent = boost::random::uniform_01<double>()(engine) < m_share;
    const uint64_t first = recent ? firstRecentKey() : 1;
    return boost::random::uniform_int_distribution<uint64_t>(first, m_n)(engine);
}

double RecentKeys::probabilityOfRange(uint64_t first, uint64_t last) const
{
    first = std::max<uint64_t>(first, 1);
    last = std::min(last, m_n);
    if (last < first)
        return 0;
    const uint64_t from = std::max(first, firstRecentKey());
    const double recentInside = last < from ? 0.0 : static_cast<double>(last - from + 1);
    return m_share * recentInside / static_cast<double>(recentKeyCount())
        + (1 - m_share) * static_cast<double>(last - first + 1) / static_cast<double>(m_n);
}

std::string RecentKeys::describe() const
{
    if (m_n == 0)
        return "recent(no keys)";
    return fmt::format("recent({:g}% of requests on keys {}..{} of {})", m_share * 100, firstRecentKey(), m_n, m_n);
}

} // namespace shardsim::workload
