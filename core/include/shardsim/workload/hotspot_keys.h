#pragma once
// `distribution: hotspot`: a share of the requests on a small contiguous part of the key space, as YCSB's
// HotspotIntegerGenerator, placed where the scenario says and optionally drifting over time.

#include "shardsim/workload/key_distribution.h"

namespace shardsim::workload {

// With h hot keys and c = n - h cold ones: a draw is hot with probability hot_ops (1 when c = 0), uniform over
// the hot keys, and otherwise uniform over the cold ones. So P(key) = hot_ops / h inside, (1 - hot_ops) / c
// outside, and a range's probability is exact by counting its hot and cold keys.
//
// h = floor(hot_fraction n) (for `at: [b, e]`, floor(e n) - floor(b n)), at least 1. The hot keys start after
// offset o (0-based) and run on for h keys, wrapping past n back to key 1:
//   start: o = 0; end: o = n - h; random: o = floor(p (n - h + 1)) with p drawn once; range: o = floor(b n);
// plus drift: floor(frac(drift t) n) more keys at simulated time t.
class HotspotKeys final : public KeyDistribution {
public:
    // `randomPosition` in [0, 1): the draw that places an `at: random` hot set; unused otherwise.
    HotspotKeys(const KeyDistributionConfig& config, uint64_t n, double randomPosition);

    void setKeyCount(uint64_t n) override;
    uint64_t keyCount() const override { return m_n; }
    void setTime(double t) override;
    uint64_t sample(RandomEngine& engine) const override;
    double probabilityOfRange(uint64_t first, uint64_t last) const override;
    std::string describe() const override;

    // The first hot key (1-based) and how many there are; the hot keys are first, first + 1, ... wrapping.
    uint64_t firstHotKey() const { return m_offset + 1; }
    uint64_t hotKeyCount() const { return m_hot; }

private:
    void place(); // m_hot and m_offset from n, the position and the time

    KeyDistributionConfig m_config;
    double m_randomPosition;
    uint64_t m_n = 0;
    double m_time = 0; // s
    uint64_t m_hot = 0; // hot keys, 1..n
    uint64_t m_offset = 0; // 0-based index of the first hot key, 0..n-1
    double m_hotProbability = 0; // hot_ops, or 1 when every key is hot
};

} // namespace shardsim::workload
