#pragma once
// Generalised harmonic sums H(a..b, theta) = sum over k = a..b of k^-theta: the normalising constant and the
// range masses of Zipf's law, for any theta > 0 and any b up to 2^53, in O(1) time.

#include <cstdint>

namespace shardsim::workload {

// sum_{k=first}^{last} k^-theta, 1 <= first; 0 when last < first. Exact summation for the first terms and
// short ranges, Euler–Maclaurin beyond; relative error below 1e-14 for 0 < theta <= 10.
double harmonicSum(uint64_t first, uint64_t last, double theta);

// H(n, theta) = harmonicSum(1, n, theta).
inline double harmonicNumber(uint64_t n, double theta) { return harmonicSum(1, n, theta); }

// The two methods on their own, so each can be checked against the other.
// Term by term, smallest first, with Neumaier's compensated summation: O(last - first).
double harmonicSumDirect(uint64_t first, uint64_t last, double theta);
// Euler–Maclaurin with the Bernoulli corrections B2..B12: O(1). Accurate to ~1e-16 relative once
// first >= kEulerMaclaurinStart; below that the asymptotic series converges too slowly for large theta.
double harmonicSumEulerMaclaurin(uint64_t first, uint64_t last, double theta);
inline constexpr uint64_t kEulerMaclaurinStart = 64;

} // namespace shardsim::workload
