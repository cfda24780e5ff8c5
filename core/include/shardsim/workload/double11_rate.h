#pragma once
// `shape: double-11`: a flash sale. Quiet, a steep ramp, a plateau at the peak, an exponential return.

#include "shardsim/workload/rate_shape.h"

namespace shardsim::workload {

// With B = base, P = peak, ramp end r = at + ramp and decay start e = r + hold:
//
//   rate(t) = B                                       t < at
//           = B + (P - 1) * B * (t - at) / ramp       at <= t < r
//           = P * B                                   r <= t < e
//           = B + (P - 1) * B * exp(-(t - e) / decay) t >= e        (B when decay = 0)
//
// all times (1 + growth)^(t / year). The curve is continuous; a zero ramp is a jump at `at`.
class Double11Rate final : public RateShape {
public:
    explicit Double11Rate(const RateShapeConfig& config);

    double rate(double t) const override;
    double expectedRequests(double t0, double t1) const override;

private:
    double shapeAt(double t) const; // without growth

    double m_base; // requests/s
    double m_peak; // factor over base at the top
    double m_rampStart; // s
    double m_rampEnd; // s
    double m_decayStart; // s
    double m_decay; // s, time constant; 0 drops straight back to base
    double m_lambda; // 1/s, growth exponent
};

} // namespace shardsim::workload
