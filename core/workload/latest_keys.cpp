#include "shardsim/workload/latest_keys.h"

#include <algorithm>

#include <fmt/format.h>

namespace shardsim::workload {

LatestKeys::LatestKeys(double theta, uint64_t n)
    : m_ranks(theta, n)
{
}

uint64_t LatestKeys::sample(RandomEngine& engine) const
{
    const uint64_t n = m_ranks.count();
    return n == 0 ? 0 : n + 1 - m_ranks.sample(engine);
}

double LatestKeys::probabilityOfRange(uint64_t first, uint64_t last) const
{
    const uint64_t n = m_ranks.count();
    first = std::max<uint64_t>(first, 1);
    last = std::min(last, n);
    if (last < first)
        return 0;
    // Keys first..last are ranks n+1-last .. n+1-first.
    return m_ranks.probabilityOfRanks(n + 1 - last, n + 1 - first);
}

std::string LatestKeys::describe() const { return fmt::format("latest(theta={:g})", m_ranks.theta()); }

} // namespace shardsim::workload
