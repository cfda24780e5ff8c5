#pragma once
// A rate shape: requests/s as a function of simulated time, and its exact integral. Shapes are immutable
// after construction and safe to call from many threads.

#include <memory>

#include "shardsim/common/result.h"
#include "shardsim/workload/workload_config.h"

namespace shardsim::workload {

inline constexpr double kSecondsPerDay = 86'400;
inline constexpr double kSecondsPerYear = 365 * kSecondsPerDay; // the `y` of durations and of `/year`

class RateShape {
public:
    virtual ~RateShape() = default;

    // requests/s at simulated time t (s since the start; also meaningful before 0).
    virtual double rate(double t) const = 0;
    // The integral of rate() over [t0, t1), in requests, in closed form: the expected number of arrivals.
    // t0 <= t1; equal bounds give 0.
    virtual double expectedRequests(double t0, double t1) const = 0;
};

using RateShapePtr = std::shared_ptr<const RateShape>;

// The growth factor (1 + g)^(t / year) as exp(lambda t): lambda = log1p(g) / year, in 1/s. g > -1.
double growthExponent(double growthPerYear);

// Builds one shape of `workload.rate`. `shift` (s) delays the daily curve of a diurnal shape, so a region
// whose evening comes an hour later passes shift = 3600; the other shapes run on simulated time and ignore
// it. Fails, naming the field, for values no valid scenario holds (negative rates, unordered points).
Result<RateShapePtr> makeRateShape(const RateShapeConfig& config, double shift = 0);

} // namespace shardsim::workload
