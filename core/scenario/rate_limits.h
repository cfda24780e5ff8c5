#pragma once
// Internal: the highest rate a workload reaches over a span of time, for the reader's limit of 10^12 requests/s
// (input_limits::kMaxRate). Judged in log10, so that no value the reader accepts can overflow while it is judged.

#include <string>
#include <vector>

#include "shardsim/workload/workload_config.h"

namespace shardsim::scenario {

inline constexpr const char* kRateLimit = "the limit of 10^12 requests/s (1T/s)";

// log10 of the factor a growth multiplies a rate by after `seconds`; 0 for a shrinking rate, which peaks at the start.
double log10Growth(double growthPerYear, double seconds);

// log10 of the highest requests/s of a shape over [0, seconds] (-inf for none): its peak (base x peak, or its highest
// point) times its growth at the end.
double log10PeakRate(const RateShapeConfig& shape, double seconds);

// The same for stacked shapes, added up.
double log10TotalPeakRate(const std::vector<RateShapeConfig>& shapes, double seconds);

// "50K/s" while it prints as such, "10^18/s" past that.
std::string formatLog10Rate(double log10Rate);

} // namespace shardsim::scenario
