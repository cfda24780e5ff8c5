#include "shardsim/workload/hotspot_keys.h"

#include <algorithm>
#include <cmath>

#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <fmt/format.h>

namespace shardsim::workload {

namespace {

    // floor(fraction * n) for a fraction in [0, 1], kept inside 0..n.
    uint64_t partOf(double fraction, uint64_t n)
    {
        const double keys = std::floor(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(n));
        return std::min(static_cast<uint64_t>(keys), n);
    }

    // How many of the 0-based indices [lo, hi] lie in [begin, end] (both inclusive).
    uint64_t overlap(uint64_t lo, uint64_t hi, uint64_t begin, uint64_t end)
    {
        const uint64_t from = std::max(lo, begin);
        const uint64_t to = std::min(hi, end);
        return to < from ? 0 : to - from + 1;
    }

} // namespace

HotspotKeys::HotspotKeys(const KeyDistributionConfig& config, uint64_t n, double randomPosition)
    : m_config(config)
    , m_randomPosition(randomPosition)
    , m_n(n)
{
    place();
}

void HotspotKeys::setKeyCount(uint64_t n)
{
    m_n = n;
    place();
}

void HotspotKeys::setTime(double t)
{
    m_time = t;
    place();
}

void HotspotKeys::place()
{
    if (m_n == 0) {
        m_hot = 0;
        m_offset = 0;
        m_hotProbability = 0;
        return;
    }
    const bool range = m_config.hotAt == HotspotPosition::Range;
    const uint64_t hot
        = range ? partOf(m_config.hotEnd, m_n) - partOf(m_config.hotBegin, m_n) : partOf(m_config.hotFraction, m_n);
    m_hot = std::clamp<uint64_t>(hot, 1, m_n);
    uint64_t offset = 0;
    switch (m_config.hotAt) {
    case HotspotPosition::Start:
        break;
    case HotspotPosition::End:
        offset = m_n - m_hot;
        break;
    case HotspotPosition::Random:
        offset = std::min(partOf(m_randomPosition, m_n - m_hot + 1), m_n - m_hot);
        break;
    case HotspotPosition::Range:
        offset = std::min(partOf(m_config.hotBegin, m_n), m_n - m_hot);
        break;
    }
    if (m_config.drift != 0) {
        // The drift only matters modulo one full turn of the key space.
        double turns = std::fmod(m_config.drift * m_time, 1.0);
        if (turns < 0)
            turns += 1;
        offset = (offset + partOf(turns, m_n)) % m_n;
    }
    m_offset = offset;
    m_hotProbability = m_hot == m_n ? 1.0 : std::clamp(m_config.hotOps, 0.0, 1.0);
}

uint64_t HotspotKeys::sample(RandomEngine& engine) const
{
    if (m_n == 0)
        return 0;
    // As YCSB: one uniform double against hot_ops, then a uniform index inside the chosen set.
    const bool hot = boost::random::uniform_01<double>()(engine) < m_hotProbability;
    const uint64_t index = hot ? boost::random::uniform_int_distribution<uint64_t>(0, m_hot - 1)(engine)
                               : m_hot + boost::random::uniform_int_distribution<uint64_t>(0, m_n - m_hot - 1)(engine);
    return (m_offset + index) % m_n + 1;
}

double HotspotKeys::probabilityOfRange(uint64_t first, uint64_t last) const
{
    first = std::max<uint64_t>(first, 1);
    last = std::min(last, m_n);
    if (last < first)
        return 0;
    const uint64_t lo = first - 1;
    const uint64_t hi = last - 1;
    // The hot set is [offset, offset + hot) on a circle of n keys: one interval, or two when it wraps.
    uint64_t hotInside = 0;
    if (m_offset + m_hot <= m_n) {
        hotInside = overlap(lo, hi, m_offset, m_offset + m_hot - 1);
    } else {
        hotInside = overlap(lo, hi, m_offset, m_n - 1) + overlap(lo, hi, 0, m_offset + m_hot - m_n - 1);
    }
    const uint64_t coldInside = (hi - lo + 1) - hotInside;
    const uint64_t cold = m_n - m_hot;
    double probability = m_hotProbability * static_cast<double>(hotInside) / static_cast<double>(m_hot);
    if (cold > 0)
        probability += (1 - m_hotProbability) * static_cast<double>(coldInside) / static_cast<double>(cold);
    return probability;
}

std::string HotspotKeys::describe() const
{
    if (m_n == 0)
        return "hotspot(no keys)";
    return fmt::format("hotspot({:g}% of requests on keys {}..{} of {}{})", m_hotProbability * 100, firstHotKey(),
        (m_offset + m_hot - 1) % m_n + 1, m_n, m_config.drift != 0 ? ", drifting" : "");
}

} // namespace shardsim::workload
