#include "shardsim/workload/gray_zipfian.h"

#include <cmath>

namespace shardsim::workload {

GrayZipfian::GrayZipfian(uint64_t items, double theta, double zetaN)
    : m_items(items)
    , m_theta(theta)
    , m_zetaN(zetaN)
    // The expressions below repeat YCSB's, operation for operation: a different but equal formula would round
    // differently and move a few rank boundaries.
    , m_zeta2(1 / std::pow(1.0, theta) + 1 / std::pow(2.0, theta))
    , m_alpha(1.0 / (1.0 - theta))
    , m_eta((1 - std::pow(2.0 / static_cast<double>(items), 1 - theta)) / (1 - m_zeta2 / zetaN))
    , m_secondThreshold(1.0 + std::pow(0.5, theta))
{
}

uint64_t GrayZipfian::rankFromUniform(double u) const
{
    const double uz = u * m_zetaN;
    if (uz < 1.0)
        return 0;
    if (uz < m_secondThreshold)
        return 1;
    const double n = static_cast<double>(m_items);
    double scaled;
    if (m_theta == 1) {
        // YCSB divides by 1 - theta here. The limit of its formula as theta -> 1 is n (2/n)^((1-u)/(1 -
        // zeta_2/zeta_n)).
        scaled = n * std::exp((1 - u) / (1 - m_zeta2 / m_zetaN) * std::log(2.0 / n));
    } else {
        scaled = n * std::pow(m_eta * u - m_eta + 1, m_alpha);
    }
    // Java's (long) cast truncates toward zero; the value lies in [2, n).
    return scaled <= 0 ? 0 : static_cast<uint64_t>(scaled);
}

double GrayZipfian::cumulative(uint64_t rank) const
{
    if (rank == 0)
        return 1 / m_zetaN;
    if (rank == 1)
        return m_secondThreshold / m_zetaN;
    if (rank + 1 >= m_items)
        return 1;
    // rank <= r exactly when n g(u) < r + 1, i.e. when u is below the u that maps to r + 1.
    const double k = static_cast<double>(rank + 1);
    const double n = static_cast<double>(m_items);
    if (m_theta == 1)
        return 1 - (1 - m_zeta2 / m_zetaN) * std::log(n / k) / std::log(n / 2);
    return 1 - (1 - std::pow(k / n, 1 - m_theta)) / m_eta;
}

double GrayZipfian::probability(uint64_t rank) const
{
    if (rank == 0)
        return 1 / m_zetaN;
    if (rank == 1)
        return (m_secondThreshold - 1) / m_zetaN;
    if (rank >= m_items)
        return 0;
    // u(r + 1) - u(r) with u(k) = 1 - (1 - (k/n)^(1-theta)) / eta, as (r/n)^(1-theta) expm1((1-theta) log1p(1/r)) / eta
    // so that far-out ranks, whose masses are differences of numbers near 1, keep their digits.
    const double r = static_cast<double>(rank);
    const double n = static_cast<double>(m_items);
    const double step = std::log1p(1 / r);
    if (m_theta == 1)
        return (1 - m_zeta2 / m_zetaN) * step / std::log(n / 2);
    const double epsilon = 1 - m_theta;
    return std::pow(r / n, epsilon) * std::expm1(epsilon * step) / m_eta;
}

} // namespace shardsim::workload
