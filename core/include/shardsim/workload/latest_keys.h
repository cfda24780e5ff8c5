#pragma once
// `distribution: latest`: the newest rows are the most popular, as YCSB's SkewedLatestGenerator.

#include "shardsim/workload/key_distribution.h"
#include "shardsim/workload/zipf_ranks.h"

namespace shardsim::workload {

// Zipf over recency: the newest key n is rank 1, key n + 1 - r is rank r, so
// P(key k) = (n + 1 - k)^-theta / H(n, theta). As rows are inserted (setKeyCount) popularity follows the new
// end. YCSB draws the recency rank with Gray et al.'s approximation; this is the exact law (see
// docs/workload-model.md).
class LatestKeys final : public KeyDistribution {
public:
    LatestKeys(double theta, uint64_t n);

    void setKeyCount(uint64_t n) override { m_ranks.setCount(n); }
    uint64_t keyCount() const override { return m_ranks.count(); }
    uint64_t sample(RandomEngine& engine) const override;
    double probabilityOfRange(uint64_t first, uint64_t last) const override;
    std::string describe() const override;

private:
    ZipfRanks m_ranks;
};

} // namespace shardsim::workload
