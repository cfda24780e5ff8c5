#pragma once
// `shape: diurnal`: one smooth daily cycle between a trough of `base` and a top of base x peak.

#include "shardsim/workload/rate_shape.h"

namespace shardsim::workload {

// rate(t) = base * (1 + (peak - 1) * (1 + cos(2 pi ((t - shift) / day - peak_hour / 24))) / 2) * (1 + growth)^(t /
// year)
//
// A raised cosine: the top (base x peak) is at peak_hour every day, the trough (base) twelve hours away,
// the daily mean is base * (1 + peak) / 2. Simulated time 0 is midnight of the scenario's clock; a region
// with `shift` sees its day `shift` seconds later. Growth runs on simulated time, not on the shifted one.
class DiurnalRate final : public RateShape {
public:
    DiurnalRate(const RateShapeConfig& config, double shift);

    double rate(double t) const override;
    double expectedRequests(double t0, double t1) const override;

private:
    // The angle of the cosine at t, reduced to [0, 2 pi) before it reaches the trigonometric functions.
    double phaseAt(double t) const;

    double m_mean; // requests/s, base * (1 + peak) / 2
    double m_amplitude; // requests/s, base * (peak - 1) / 2
    double m_topTime; // s after midnight of the scenario's clock when the top is reached: peak_hour h + shift
    double m_lambda; // 1/s, growth exponent
};

} // namespace shardsim::workload
