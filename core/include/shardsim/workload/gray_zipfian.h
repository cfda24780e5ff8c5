#pragma once
// YCSB's ZipfianGenerator: the approximate Zipf sampler of Gray et al. (1994), reproduced operation by
// operation so that the same uniform double gives the same rank as YCSB.

#include <cstdint>

namespace shardsim::workload {

// Ranks are 0-based as in YCSB: rank 0 is the most popular. For a uniform u in [0, 1):
//   u zeta_n < 1               -> 0
//   u zeta_n < 1 + 0.5^theta   -> 1
//   otherwise                  -> floor(n (eta u - eta + 1)^(1 / (1 - theta)))
// with eta = (1 - (2/n)^(1-theta)) / (1 - zeta_2 / zeta_n), zeta_2 = 1 + 2^-theta. Ranks 0 and 1 get their exact
// Zipf mass; the rest follow a continuous power law fitted through rank 2. The rank is a monotone function
// of u, so its distribution has a closed-form CDF, which makes probabilities exact.
class GrayZipfian {
public:
    // items >= 3, theta > 0, zetaN: the normalising constant YCSB uses (its own precomputed one, or H(items)).
    GrayZipfian(uint64_t items, double theta, double zetaN);

    uint64_t items() const { return m_items; }
    double theta() const { return m_theta; }
    double zetaN() const { return m_zetaN; }

    // YCSB's nextLong(items) given the double its generator drew.
    uint64_t rankFromUniform(double u) const;
    // P(rank = r) for the uniform u of the continuous [0, 1): accurate to rounding, also far in the tail.
    double probability(uint64_t rank) const;
    // P(rank <= r).
    double cumulative(uint64_t rank) const;

private:
    uint64_t m_items;
    double m_theta;
    double m_zetaN;
    double m_zeta2; // 1 + 2^-theta, summed as YCSB sums it
    double m_alpha; // 1 / (1 - theta)
    double m_eta;
    double m_secondThreshold; // 1 + 0.5^theta, compared with u zeta_n
};

} // namespace shardsim::workload
