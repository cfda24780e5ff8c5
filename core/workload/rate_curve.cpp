#include "shardsim/workload/rate_curve.h"

#include <fmt/format.h>

namespace shardsim::workload {

RateCurve::RateCurve(std::vector<RateShapePtr> shapes)
    : m_shapes(std::move(shapes))
{
}

Result<RateCurve> RateCurve::fromConfig(const std::vector<RateShapeConfig>& shapes, double shift)
{
    std::vector<RateShapePtr> built;
    std::string problems;
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        auto shape = makeRateShape(shapes[i], shift);
        if (shape)
            built.push_back(*shape);
        else
            problems += fmt::format("{}workload.rate[{}]: {}", problems.empty() ? "" : "; ", i, shape.error());
    }
    if (!problems.empty())
        return fail(problems);
    return RateCurve(std::move(built));
}

double RateCurve::rate(double t) const
{
    double total = 0;
    for (const auto& shape : m_shapes)
        total += shape->rate(t);
    return total;
}

double RateCurve::expectedRequests(double t0, double t1) const
{
    double total = 0;
    for (const auto& shape : m_shapes)
        total += shape->expectedRequests(t0, t1);
    return total;
}

} // namespace shardsim::workload
