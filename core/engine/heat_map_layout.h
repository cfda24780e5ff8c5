#pragma once
// The key axis of the heat map: keys 1..keyMax in `buckets` near-equal buckets. Bucket b holds the keys
// 1 + floor(b * keyMax / buckets) .. floor((b + 1) * keyMax / buckets).

#include <cstdint>
#include <vector>

namespace shardsim::engine {

class HeatMapLayout {
public:
    HeatMapLayout() = default;
    // keyMax >= 1; fewer buckets than requested when there are fewer keys than buckets.
    HeatMapLayout(uint64_t keyMax, int buckets);

    uint64_t keyMax() const { return m_keyMax; }
    int buckets() const { return m_buckets; }
    uint64_t firstKey(int bucket) const;
    uint64_t lastKey(int bucket) const { return firstKey(bucket + 1) - 1; }
    // The bucket holding `key` (1..keyMax; larger keys fall in the last bucket): ceil(key * buckets / keyMax) - 1.
    int bucketOf(uint64_t key) const;
    // The first keys of buckets 1..buckets-1, ascending: where key segments must be cut.
    std::vector<uint64_t> starts() const;

private:
    uint64_t m_keyMax = 1;
    int m_buckets = 1;
};

} // namespace shardsim::engine
