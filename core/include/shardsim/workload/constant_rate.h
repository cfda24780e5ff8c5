#pragma once
// `rate: 50K/s`: a constant rate, optionally compounding by `growth` per year.

#include "shardsim/workload/rate_shape.h"

namespace shardsim::workload {

// rate(t) = base * (1 + growth)^(t / year).
class ConstantRate final : public RateShape {
public:
    explicit ConstantRate(const RateShapeConfig& config);

    double rate(double t) const override;
    double expectedRequests(double t0, double t1) const override;

private:
    double m_base; // requests/s at t = 0
    double m_lambda; // 1/s, growth exponent
};

} // namespace shardsim::workload
