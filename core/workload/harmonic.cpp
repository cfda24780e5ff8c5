#include "shardsim/workload/harmonic.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "shardsim/workload/exp_integrals.h"

namespace shardsim::workload {

namespace {

    // B_2j / (2j)! for j = 1..6 (B2 = 1/6, B4 = -1/30, B6 = 1/42, B8 = -1/30, B10 = 5/66, B12 = -691/2730).
    constexpr std::array<double, 6> kBernoulliOverFactorial
        = { 1.0 / 12, -1.0 / 720, 1.0 / 30'240, -1.0 / 1'209'600, 1.0 / 47'900'160, -691.0 / 1'307'674'368'000 };

} // namespace

double harmonicSumDirect(uint64_t first, uint64_t last, double theta)
{
    double sum = 0;
    double compensation = 0;
    for (uint64_t k = last; k >= first && k > 0; --k) {
        const double term = std::pow(static_cast<double>(k), -theta);
        const double next = sum + term;
        compensation += std::fabs(sum) >= std::fabs(term) ? (sum - next) + term : (term - next) + sum;
        sum = next;
    }
    return sum + compensation;
}

double harmonicSumEulerMaclaurin(uint64_t first, uint64_t last, double theta)
{
    // sum_{k=a}^{b} f(k) = integral_a^b f + (f(a) + f(b)) / 2 + sum_j B_2j / (2j)! (f^(2j-1)(b) - f^(2j-1)(a)) + R
    // with f(x) = x^-theta, f^(m)(x) = (-1)^m theta (theta+1) ... (theta+m-1) x^(-theta-m). The remainder after
    // B12 is below 2 (2 pi)^-14 |f^(13)(a)|, ~1e-19 of f(a) at a = 64 even for theta = 10.
    if (last < first)
        return 0;
    const double a = static_cast<double>(first);
    const double b = static_cast<double>(last);
    const double fa = std::pow(a, -theta);
    const double fb = std::pow(b, -theta);
    if (first == last)
        return fa;
    // integral_a^b x^-theta dx = a^(1-theta) * L * expm1((1-theta) L) / ((1-theta) L) with L = log(b/a): one form
    // that is L itself at theta = 1 and never subtracts b^(1-theta) - a^(1-theta), which cancels near theta = 1.
    const double logRatio = std::log1p(static_cast<double>(last - first) / a);
    double sum = a * fa * logRatio * expm1OverX((1 - theta) * logRatio) + (fa + fb) / 2;
    double rising = theta; // theta (theta+1) ... (theta+2j-2)
    double powA = fa / a; // a^(-theta-2j+1)
    double powB = fb / b;
    const double invA2 = 1 / (a * a);
    const double invB2 = 1 / (b * b);
    for (std::size_t j = 0; j < kBernoulliOverFactorial.size(); ++j) {
        if (j > 0) {
            rising *= (theta + 2 * j - 1) * (theta + 2 * j);
            powA *= invA2;
            powB *= invB2;
        }
        // f^(2j-1)(b) - f^(2j-1)(a) = rising * (a^... - b^...), the odd derivative being negative.
        sum += kBernoulliOverFactorial[j] * rising * (powA - powB);
    }
    return sum;
}

double harmonicSum(uint64_t first, uint64_t last, double theta)
{
    first = std::max<uint64_t>(first, 1);
    if (last < first)
        return 0;
    if (last - first < kEulerMaclaurinStart || last < 2 * kEulerMaclaurinStart)
        return harmonicSumDirect(first, last, theta);
    if (first >= kEulerMaclaurinStart)
        return harmonicSumEulerMaclaurin(first, last, theta);
    // The tail first: it is the larger part for theta <= 1 and adding the head to it rounds once.
    return harmonicSumEulerMaclaurin(kEulerMaclaurinStart, last, theta)
        + harmonicSumDirect(first, kEulerMaclaurinStart - 1, theta);
}

} // namespace shardsim::workload
