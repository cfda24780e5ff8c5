#pragma once
// `distribution: recent`: "70% of reads hit the last 7 days of orders". A share of the requests goes uniformly to
// the newest keys, the ones inserted during the last `window`; the others go uniformly to every key, new ones too.

#include "shardsim/workload/key_distribution.h"

namespace shardsim::workload {

// With n keys, w = min(window keys, n) newest ones (keys n - w + 1..n) and share s:
//   P(key) = s / w + (1 - s) / n   for a newest key,   (1 - s) / n   for any other,
// so the newest keys together receive s + (1 - s) w / n. A draw picks the newest keys with probability s, then
// one key uniformly from them, else one key uniformly from all n.
class RecentKeys final : public KeyDistribution {
public:
    // `windowKeys` > 0: window x the table's insert rate, or the `keys:` written; share in [0, 1].
    RecentKeys(double windowKeys, double share, uint64_t n);

    void setKeyCount(uint64_t n) override { m_n = n; }
    uint64_t keyCount() const override { return m_n; }
    uint64_t sample(RandomEngine& engine) const override;
    double probabilityOfRange(uint64_t first, uint64_t last) const override;
    std::string describe() const override;

    // The newest keys now: firstRecentKey()..n, at least one key while n > 0.
    uint64_t recentKeyCount() const;
    uint64_t firstRecentKey() const { return m_n - recentKeyCount() + 1; }

private:
    double m_windowKeys;
    double m_share;
    uint64_t m_n;
};

} // namespace shardsim::workload
