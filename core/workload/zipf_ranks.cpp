#include "shardsim/workload/zipf_ranks.h"

#include <algorithm>
#include <cmath>

#include <boost/random/uniform_01.hpp>

#include "shardsim/workload/exp_integrals.h"
#include "shardsim/workload/harmonic.h"

namespace shardsim::workload {

namespace {

    // log1p(x) / x with its limit 1 at x = 0.
    double log1pOverX(double x)
    {
        if (std::fabs(x) < 1e-5)
            return 1 - x / 2 + x * x / 3;
        return std::log1p(x) / x;
    }

} // namespace

ZipfRanks::ZipfRanks(double theta, uint64_t n)
    : m_theta(theta)
{
    m_squeeze = 2 - hIntegralInverse(hIntegral(2.5) - h(2));
    setCount(n);
}

void ZipfRanks::setCount(uint64_t n)
{
    m_n = n;
    m_normaliser = harmonicNumber(n, m_theta);
    m_hIntegralLow = hIntegral(1.5) - 1;
    m_hIntegralHigh = hIntegral(static_cast<double>(n) + 0.5);
}

double ZipfRanks::hIntegral(double x) const
{
    // (x^(1-theta) - 1) / (1-theta), written so that theta = 1 gives log(x) and theta near 1 does not cancel.
    const double logX = std::log(x);
    return logX * expm1OverX((1 - m_theta) * logX);
}

double ZipfRanks::hIntegralInverse(double y) const
{
    // x = (1 + (1-theta) y)^(1/(1-theta)); exp(y) at theta = 1.
    return std::exp(y * log1pOverX((1 - m_theta) * y));
}

double ZipfRanks::h(double x) const { return std::exp(-m_theta * std::log(x)); }

uint64_t ZipfRanks::sample(RandomEngine& engine) const
{
    if (m_n == 0)
        return 0;
    boost::random::uniform_01<double> unit;
    const double nAsDouble = static_cast<double>(m_n);
    for (;;) {
        // u is uniform on (H(3/2) - h(1), H(n + 1/2)]: the cell of rank k is (H(k - 1/2), H(k + 1/2)] and its
        // accepted part (H(k + 1/2) - h(k), H(k + 1/2)] has area h(k); the convexity of x^-theta keeps the parts
        // disjoint. Drawing from the top down lets a draw of exactly 0 land on rank n rather than outside.
        const double u = m_hIntegralHigh + unit(engine) * (m_hIntegralLow - m_hIntegralHigh);
        const double x = hIntegralInverse(u);
        const double k = std::clamp(std::floor(x + 0.5), 1.0, nAsDouble);
        if (k - x <= m_squeeze || u >= hIntegral(k + 0.5) - h(k))
            return static_cast<uint64_t>(k);
    }
}

double ZipfRanks::probabilityOfRanks(uint64_t first, uint64_t last) const
{
    first = std::max<uint64_t>(first, 1);
    last = std::min(last, m_n);
    if (last < first)
        return 0;
    return harmonicSum(first, last, m_theta) / m_normaliser;
}

} // namespace shardsim::workload
