#pragma once
// The rate of a whole workload: the stacked shapes of `workload.rate`, added together.

#include <vector>

#include "shardsim/workload/rate_shape.h"

namespace shardsim::workload {

class RateCurve final : public RateShape {
public:
    explicit RateCurve(std::vector<RateShapePtr> shapes);

    // The curve seen from a region whose daily curve runs `shift` seconds late (0: the scenario's clock).
    static Result<RateCurve> fromConfig(const std::vector<RateShapeConfig>& shapes, double shift = 0);

    double rate(double t) const override;
    double expectedRequests(double t0, double t1) const override;

    const std::vector<RateShapePtr>& shapes() const { return m_shapes; }

private:
    std::vector<RateShapePtr> m_shapes;
};

} // namespace shardsim::workload
