#pragma once
// `distribution: zipf`: the smallest keys are the most popular. Rank r is key r.

#include "shardsim/workload/key_distribution.h"
#include "shardsim/workload/zipf_ranks.h"

namespace shardsim::workload {

// P(key k) = k^-theta / H(n, theta): exact Zipf, sampled by rejection-inversion.
class ZipfKeys final : public KeyDistribution {
public:
    ZipfKeys(double theta, uint64_t n);

    void setKeyCount(uint64_t n) override { m_ranks.setCount(n); }
    uint64_t keyCount() const override { return m_ranks.count(); }
    uint64_t sample(RandomEngine& engine) const override { return m_ranks.sample(engine); }
    double probabilityOfRange(uint64_t first, uint64_t last) const override
    {
        return m_ranks.probabilityOfRanks(first, last);
    }
    std::string describe() const override;

    const ZipfRanks& ranks() const { return m_ranks; }

private:
    ZipfRanks m_ranks;
};

} // namespace shardsim::workload
