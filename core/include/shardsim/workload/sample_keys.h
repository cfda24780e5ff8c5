#pragma once
// `distribution: sample`: keys drawn from a measured popularity, a CSV file of `key,weight` lines (see
// docs/workload-model.md). A key's probability is its weight over the weights of every key that exists.

#include <span>
#include <string>
#include <vector>

#include "shardsim/workload/key_distribution.h"

namespace shardsim::workload {

struct WeightedKey {
    uint64_t key = 0; // 1..kMaxKeyCount
    double weight = 0; // > 0
};

// Reads `key,weight` lines: an optional `key,weight` header, `#` comments and blank lines skipped, a line with a key
// alone weighing 1 (the older one-key-per-line form). Repeated keys add up. The result is ascending by key. Errors
// name the CSV's own file and line.
Result<std::vector<WeightedKey>> readSampleFile(const std::string& path);

// Keys above the table's current row count n do not exist yet: they are set aside, and the other keys' weights
// renormalised, until the table grows to hold them. When no key of the file is within 1..n the law falls back to
// uniform over 1..n, so that requests still land somewhere.
class SampleKeys final : public KeyDistribution {
public:
    // `keys` ascending and distinct, as readSampleFile gives them.
    SampleKeys(std::vector<WeightedKey> keys, uint64_t n);

    void setKeyCount(uint64_t n) override;
    uint64_t keyCount() const override { return m_n; }
    uint64_t sample(RandomEngine& engine) const override;
    double probabilityOfRange(uint64_t first, uint64_t last) const override;
    std::string describe() const override;

    // The keys in 1..n, ascending, for pieces that route them one by one.
    std::span<const uint64_t> activeKeys() const { return { m_keys.data(), m_active }; }
    // Keys of the file, including those above n.
    std::size_t fileKeyCount() const { return m_keys.size(); }

private:
    std::vector<uint64_t> m_keys; // ascending
    std::vector<double> m_prefix; // m_prefix[i]: the weights of m_keys[0..i), so m_prefix[0] = 0
    uint64_t m_n = 0;
    std::size_t m_active = 0; // keys <= m_n
};

} // namespace shardsim::workload
