#include "shardsim/workload/uniform_keys.h"

#include <algorithm>

#include <boost/random/uniform_int_distribution.hpp>

namespace shardsim::workload {

UniformKeys::UniformKeys(uint64_t n)
    : m_n(n)
{
}

uint64_t UniformKeys::sample(RandomEngine& engine) const
{
    if (m_n == 0)
        return 0;
    return boost::random::uniform_int_distribution<uint64_t>(1, m_n)(engine);
}

double UniformKeys::probabilityOfRange(uint64_t first, uint64_t last) const
{
    first = std::max<uint64_t>(first, 1);
    last = std::min(last, m_n);
    if (last < first)
        return 0;
    return static_cast<double>(last - first + 1) / static_cast<double>(m_n);
}

} // namespace shardsim::workload
