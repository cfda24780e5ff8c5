#pragma once
// Zipf's law over ranks 1..n: P(r) = r^-theta / H(n, theta). Exact sampling in O(1) time and memory per draw
// and exact range probabilities in O(1), for any theta > 0 (including 1 and above) and n up to 2^53.

#include <cstdint>

#include "shardsim/workload/random_streams.h"

namespace shardsim::workload {

class ZipfRanks {
public:
    // theta > 0; n = 0 is an empty set (sample() returns 0, every probability is 0).
    ZipfRanks(double theta, uint64_t n);

    double theta() const { return m_theta; }
    uint64_t count() const { return m_n; }
    // O(1): a few pow/exp/log calls and one Euler–Maclaurin sum.
    void setCount(uint64_t n);

    // H(n, theta), the normalising constant.
    double normaliser() const { return m_normaliser; }

    // Rejection-inversion, Hörmann & Derflinger (1996): a uniform point under the integral H of x^-theta is
    // inverted to x and rounded to the nearest rank k, which is accepted when the point lies in the part of k's
    // cell whose area is exactly k^-theta. Over 98% of the points are accepted, whatever theta and n.
    uint64_t sample(RandomEngine& engine) const;

    // P(first <= rank <= last), the bounds clipped to 1..n.
    double probabilityOfRanks(uint64_t first, uint64_t last) const;
    double probability(uint64_t rank) const { return probabilityOfRanks(rank, rank); }

private:
    // H(x) = integral_1^x t^-theta dt (negative below 1), its inverse, and h(x) = x^-theta.
    double hIntegral(double x) const;
    double hIntegralInverse(double y) const;
    double h(double x) const;

    double m_theta;
    uint64_t m_n = 0;
    double m_normaliser = 0;
    double m_hIntegralLow = 0; // H(3/2) - h(1): the left end of the area the uniform draw is spread over
    double m_hIntegralHigh = 0; // H(n + 1/2): its right end
    double m_squeeze = 0; // accept without testing when k - x <= this: 2 - H^-1(H(5/2) - h(2))
};

} // namespace shardsim::workload
