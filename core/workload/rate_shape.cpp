#include "shardsim/workload/rate_shape.h"

#include <cmath>

#include <fmt/format.h>

#include "shardsim/workload/constant_rate.h"
#include "shardsim/workload/diurnal_rate.h"
#include "shardsim/workload/double11_rate.h"
#include "shardsim/workload/points_rate.h"

namespace shardsim::workload {

namespace {

    // An empty string when the config can be built; otherwise what is wrong, field by field.
    std::string problemsOf(const RateShapeConfig& config)
    {
        std::string problems;
        auto check = [&problems](bool ok, const std::string& message) {
            if (!ok)
                problems += (problems.empty() ? "" : "; ") + message;
        };
        auto nonNegative = [&check](double value, const char* field, const char* unit) {
            check(std::isfinite(value) && value >= 0,
                fmt::format("{} must be a finite number >= 0 {}, got {}", field, unit, value));
        };
        check(std::isfinite(config.growth) && config.growth > -1,
            fmt::format("growth must be above -100%/year, got {}", config.growth));
        if (config.kind != RateShapeKind::Points)
            nonNegative(config.base, "base", "requests/s");
        if (config.kind == RateShapeKind::Diurnal || config.kind == RateShapeKind::Double11)
            nonNegative(config.peak, "peak", "(a factor over base)");
        if (config.kind == RateShapeKind::Diurnal)
            check(config.peakHour >= 0 && config.peakHour <= 24,
                fmt::format("peak_hour must be an hour between 0 and 24, got {}", config.peakHour));
        if (config.kind == RateShapeKind::Double11) {
            nonNegative(config.at, "at", "s");
            nonNegative(config.ramp, "ramp", "s");
            nonNegative(config.hold, "hold", "s");
            nonNegative(config.decay, "decay", "s");
        }
        if (config.kind == RateShapeKind::Points) {
            check(!config.points.empty(), "points: at least one [time, rate] point is needed");
            for (std::size_t i = 0; i < config.points.size(); ++i) {
                const RatePoint& point = config.points[i];
                check(std::isfinite(point.at), fmt::format("points[{}]: time must be finite", i));
                check(i == 0 || point.at > config.points[i - 1].at,
                    fmt::format("points[{}]: times must increase ({} is not after {})", i, point.at,
                        config.points[i == 0 ? 0 : i - 1].at));
                nonNegative(point.rate, fmt::format("points[{}].rate", i).c_str(), "requests/s");
            }
        }
        return problems;
    }

} // namespace

double growthExponent(double growthPerYear)
{
    return growthPerYear == 0 ? 0 : std::log1p(growthPerYear) / kSecondsPerYear;
}

Result<RateShapePtr> makeRateShape(const RateShapeConfig& config, double shift)
{
    if (!std::isfinite(shift))
        return fail("the region's shift must be a finite number of seconds");
    if (std::string problems = problemsOf(config); !problems.empty())
        return fail(problems);
    switch (config.kind) {
    case RateShapeKind::Constant:
        return RateShapePtr(std::make_shared<ConstantRate>(config));
    case RateShapeKind::Diurnal:
        return RateShapePtr(std::make_shared<DiurnalRate>(config, shift));
    case RateShapeKind::Double11:
        return RateShapePtr(std::make_shared<Double11Rate>(config));
    case RateShapeKind::Points:
        return RateShapePtr(std::make_shared<PointsRate>(config));
    }
    return fail("unknown rate shape");
}

} // namespace shardsim::workload
