#pragma once
// `distribution: scrambled-zipf`: YCSB's ScrambledZipfianGenerator. Zipf-skewed popularity, the popular keys
// scattered over the key space by hashing their rank, so the skew shows up on single keys, not on a range.

#include <cstdint>
#include <vector>

#include "shardsim/workload/gray_zipfian.h"
#include "shardsim/workload/key_distribution.h"

namespace shardsim::workload {

// YCSB's constants: the rank is drawn over ITEM_COUNT + 1 = 10^10 + 1 items whatever the table size, with the
// precomputed ZETAN when theta is 0.99 (YCSB's USED_ZIPFIAN_CONSTANT), and key = 1 + fnvhash64(rank) mod n,
// i.e. new ScrambledZipfianGenerator(1, n, theta).
inline constexpr uint64_t kYcsbItemCount = 10'000'000'000;
inline constexpr double kYcsbZetaN = 26.46902820178302; // YCSB's sum of r^-0.99 for r = 1..10^10
inline constexpr double kYcsbTheta = 0.99;

// YCSB's Utils.fnvhash64: FNV-1a over the 8 little-endian bytes of the value, then Java's Math.abs (which
// leaves Long.MIN_VALUE negative). Signed, as in Java.
int64_t ycsbFnvHash64(int64_t value);

class ScrambledZipfKeys final : public KeyDistribution {
public:
    // How many of the most popular ranks probabilityOfRange() places exactly (see below).
    static constexpr uint64_t kDefaultHotRanks = 1 << 14;

    ScrambledZipfKeys(double theta, uint64_t n, uint64_t hotRanks = kDefaultHotRanks);

    // O(K log K) for K hot ranks: their keys move with n and are re-sorted (~1 ms for the default K).
    void setKeyCount(uint64_t n) override;
    uint64_t keyCount() const override { return m_n; }
    uint64_t sample(RandomEngine& engine) const override;
    // Exact for the K most popular ranks, whose keys are known by hashing them; the remaining mass (about
    // half of it at theta 0.99, spread over ranks whose single probabilities are tiny) is taken as spread in
    // proportion to the range's size. Partitions of 1..n add up to 1.
    double probabilityOfRange(uint64_t first, uint64_t last) const override;
    std::string describe() const override;

    // YCSB's nextValue() for the uniform double its generator drew.
    uint64_t keyFromUniform(double u) const { return keyOfRank(m_ranks.rankFromUniform(u)); }
    uint64_t keyOfRank(uint64_t rank) const { return keyOfHash(ycsbFnvHash64(static_cast<int64_t>(rank))); }
    const GrayZipfian& ranks() const { return m_ranks; }

private:
    uint64_t keyOfHash(int64_t hash) const; // 1 + hash mod n, as Java computes it

    GrayZipfian m_ranks;
    uint64_t m_n = 0;
    double m_tailMass = 0; // P(rank >= K)
    // The K hot ranks' hashes and masses do not depend on n; only the keys they land on do.
    std::vector<int64_t> m_hotHashes;
    std::vector<double> m_hotMasses; // scaled so that they add up to 1 - m_tailMass
    std::vector<uint64_t> m_hotKeys; // distinct keys of the K hot ranks, ascending
    std::vector<double> m_hotMassBefore; // mass of the hot keys before index i; size + 1 entries
};

} // namespace shardsim::workload
