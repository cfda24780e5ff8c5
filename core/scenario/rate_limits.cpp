#include "rate_limits.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "shardsim/common/units.h"
#include "shardsim/workload/rate_shape.h"

namespace shardsim::scenario {

double log10Growth(double growthPerYear, double seconds)
{
    return std::max(0.0, std::log10(1 + growthPerYear) * seconds / workload::kSecondsPerYear);
}

double log10PeakRate(const RateShapeConfig& shape, double seconds)
{
    double peak = shape.base;
    if (shape.kind == RateShapeKind::Diurnal || shape.kind == RateShapeKind::Double11)
        peak = shape.base * std::max(1.0, shape.peak);
    if (shape.kind == RateShapeKind::Points) {
        peak = 0;
        for (const RatePoint& point : shape.points)
            peak = std::max(peak, point.rate);
    }
    return std::log10(peak) + log10Growth(shape.growth, seconds);
}

double log10TotalPeakRate(const std::vector<RateShapeConfig>& shapes, double seconds)
{
    double largest = -std::numeric_limits<double>::infinity();
    for (const RateShapeConfig& shape : shapes)
        largest = std::max(largest, log10PeakRate(shape, seconds));
    if (!std::isfinite(largest))
        return largest;
    double sum = 0; // relative to the largest, so that it cannot overflow
    for (const RateShapeConfig& shape : shapes)
        sum += std::pow(10.0, log10PeakRate(shape, seconds) - largest);
    return largest + std::log10(sum);
}

std::string formatLog10Rate(double log10Rate)
{
    if (log10Rate < 15)
        return units::formatCount(std::pow(10.0, log10Rate)) + "/s";
    return fmt::format("10^{:.0f}/s", std::floor(log10Rate));
}

} // namespace shardsim::scenario
