#include "shardsim/workload/points_rate.h"

#include <algorithm>
#include <cmath>

#include "shardsim/workload/exp_integrals.h"

namespace shardsim::workload {

PointsRate::PointsRate(const RateShapeConfig& config)
    : m_points(config.points)
    , m_lambda(growthExponent(config.growth))
{
}

double PointsRate::shapeAt(double t) const
{
    if (t <= m_points.front().at)
        return m_points.front().rate;
    if (t >= m_points.back().at)
        return m_points.back().rate;
    // The first point after t; t lies strictly inside the points, so it has a predecessor.
    const auto next = std::upper_bound(
        m_points.begin(), m_points.end(), t, [](double time, const RatePoint& point) { return time < point.at; });
    const RatePoint& a = *(next - 1);
    const RatePoint& b = *next;
    return a.rate + (b.rate - a.rate) * (t - a.at) / (b.at - a.at);
}

double PointsRate::rate(double t) const
{
    const double value = shapeAt(t);
    return m_lambda == 0 ? value : value * std::exp(m_lambda * t);
}

double PointsRate::segmentIntegral(std::size_t i, double t0, double t1) const
{
    const RatePoint& a = m_points[i];
    const RatePoint& b = m_points[i + 1];
    const double lo = std::max(t0, a.at);
    const double hi = std::min(t1, b.at);
    if (!(lo < hi))
        return 0;
    const double slope = (b.rate - a.rate) / (b.at - a.at);
    return integrateLineExp(m_lambda, lo, hi, a.rate + slope * (lo - a.at), a.rate + slope * (hi - a.at));
}

double PointsRate::expectedRequests(double t0, double t1) const
{
    if (t1 < t0)
        return -expectedRequests(t1, t0);
    const RatePoint& first = m_points.front();
    const RatePoint& last = m_points.back();
    double total = 0;
    if (t0 < first.at)
        total += first.rate * integrateExp(m_lambda, t0, std::min(t1, first.at));
    if (t1 > last.at)
        total += last.rate * integrateExp(m_lambda, std::max(t0, last.at), t1);
    if (t1 <= first.at || t0 >= last.at)
        return total;
    // Segments [i, i + 1] that overlap (t0, t1): from the one holding max(t0, first) on.
    const auto start = std::upper_bound(m_points.begin(), m_points.end(), std::max(t0, first.at),
        [](double time, const RatePoint& point) { return time < point.at; });
    for (auto i = static_cast<std::size_t>(start - m_points.begin()) - 1; i + 1 < m_points.size(); ++i) {
        if (m_points[i].at >= t1)
            break;
        total += segmentIntegral(i, t0, t1);
    }
    return total;
}

} // namespace shardsim::workload
