#include "shardsim/workload/constant_rate.h"

#include <cmath>

#include "shardsim/workload/exp_integrals.h"

namespace shardsim::workload {

ConstantRate::ConstantRate(const RateShapeConfig& config)
    : m_base(config.base)
    , m_lambda(growthExponent(config.growth))
{
}

double ConstantRate::rate(double t) const { return m_lambda == 0 ? m_base : m_base * std::exp(m_lambda * t); }

double ConstantRate::expectedRequests(double t0, double t1) const { return m_base * integrateExp(m_lambda, t0, t1); }

} // namespace shardsim::workload
