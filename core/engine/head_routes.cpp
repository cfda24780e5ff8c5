#include "engine/head_routes.h"

#include <algorithm>
#include <chrono>
#include <limits>

namespace shardsim::engine {

namespace {

    constexpr uint16_t kNotRouted = 0;
    constexpr int kLargestShard = std::numeric_limits<uint16_t>::max() - 2;

} // namespace

HeadRoutes::HeadRoutes(const ShardRule& rule, uint64_t first, uint64_t keyCount, uint64_t entries)
    : m_rule(&rule)
    , m_first(first)
    , m_keyCount(keyCount)
{
    if (rule.shardCount() - 1 <= kLargestShard)
        m_entries.assign(entries, kNotRouted);
}

bool HeadRoutes::worthRemembering(const ShardRule& rule, uint64_t firstKey)
{
    constexpr size_t kKeys = 512;
    std::vector<int64_t> keys(kKeys);
    std::vector<int32_t> shards(kKeys);
    for (size_t i = 0; i < kKeys; ++i)
        keys[i] = static_cast<int64_t>(firstKey + i);
    double least = std::numeric_limits<double>::infinity();
    for (int round = 0; round < 3; ++round) {
        const auto start = std::chrono::steady_clock::now();
        rule.shardsOfIntegers(keys, shards);
        least = std::min(
            least, std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count());
    }
    return least > kWorthRemembering * static_cast<double>(kKeys);
}

int32_t HeadRoutes::shardOf(uint64_t index, int64_t key) const
{
    const uint64_t slot = slotOf(index);
    if (slot == size())
        return m_rule->shardOfInteger(key);
    int32_t routed = shard(slot);
    if (routed == kUnknown) {
        routed = m_rule->shardOfInteger(key);
        store(slot, routed);
    }
    return routed;
}

} // namespace shardsim::engine

namespace shardsim::engine {

std::optional<HeadWindow> headWindowOf(const KeyLaw& law, uint64_t entries)
{
    if (law.drawWithDistribution)
        return HeadWindow { 0, law.keyCount };
    // The segment with the heaviest keys; the first of equals (a hotspot's hot part cut at heat-map buckets).
    const KeySegment* densest = nullptr;
    double densestMass = -1;
    for (const KeySegment& segment : law.segments) {
        const double perKey = segment.mass / static_cast<double>(segment.last - segment.first + 1);
        if (perKey > densestMass) {
            densest = &segment;
            densestMass = perKey;
        }
    }
    if (!densest)
        return std::nullopt;
    if (densest->shape == SegmentShape::PowerFromEnd) // latest: the keys just below the points, ending at its last
        return HeadWindow { densest->last >= entries ? densest->last + 1 - entries : 1, 0 };
    return HeadWindow { densest->first, 0 };
}

} // namespace shardsim::engine
