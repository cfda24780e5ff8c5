#include "engine/heat_map_layout.h"

#include <algorithm>

#include "engine/alias_table.h"

namespace shardsim::engine {

HeatMapLayout::HeatMapLayout(uint64_t keyMax, int buckets)
    : m_keyMax(std::max<uint64_t>(keyMax, 1))
    , m_buckets(static_cast<int>(std::clamp<uint64_t>(static_cast<uint64_t>(std::max(buckets, 1)), 1, m_keyMax)))
{
}

uint64_t HeatMapLayout::firstKey(int bucket) const
{
    const UInt128 scaled = static_cast<UInt128>(bucket) * m_keyMax;
    return 1 + static_cast<uint64_t>(scaled / static_cast<unsigned>(m_buckets));
}

int HeatMapLayout::bucketOf(uint64_t key) const
{
    if (key >= m_keyMax)
        return m_buckets - 1;
    if (key == 0)
        return 0;
    const UInt128 scaled = static_cast<UInt128>(key) * static_cast<unsigned>(m_buckets) - 1;
    return static_cast<int>(scaled / m_keyMax);
}

std::vector<uint64_t> HeatMapLayout::starts() const
{
    std::vector<uint64_t> out;
    for (int b = 1; b < m_buckets; ++b)
        out.push_back(firstKey(b));
    return out;
}

} // namespace shardsim::engine
