#pragma once
// `shape: points`: a rate drawn through (time, rate) points.

#include <vector>

#include "shardsim/workload/rate_shape.h"

namespace shardsim::workload {

// Piecewise linear through the points, flat at the first rate before the first point and at the last rate
// after the last one, times (1 + growth)^(t / year). A single point is a constant.
class PointsRate final : public RateShape {
public:
    // config.points: at least one, strictly increasing times (makeRateShape checks).
    explicit PointsRate(const RateShapeConfig& config);

    double rate(double t) const override;
    double expectedRequests(double t0, double t1) const override;

private:
    double shapeAt(double t) const; // without growth
    // The integral over [t0, t1] of the part of the curve that lies in [points[i], points[i + 1]].
    double segmentIntegral(std::size_t i, double t0, double t1) const;

    std::vector<RatePoint> m_points;
    double m_lambda; // 1/s, growth exponent
};

} // namespace shardsim::workload
