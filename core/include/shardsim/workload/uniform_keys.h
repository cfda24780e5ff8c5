#pragma once
// `distribution: uniform`: every key equally likely.

#include "shardsim/workload/key_distribution.h"

namespace shardsim::workload {

// P(key) = 1/n; P([a, b]) = (b - a + 1) / n.
class UniformKeys final : public KeyDistribution {
public:
    explicit UniformKeys(uint64_t n);

    void setKeyCount(uint64_t n) override { m_n = n; }
    uint64_t keyCount() const override { return m_n; }
    uint64_t sample(RandomEngine& engine) const override;
    double probabilityOfRange(uint64_t first, uint64_t last) const override;
    std::string describe() const override { return "uniform"; }

private:
    uint64_t m_n;
};

} // namespace shardsim::workload
