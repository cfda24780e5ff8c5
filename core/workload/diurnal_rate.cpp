#include "shardsim/workload/diurnal_rate.h"

#include <cmath>
#include <numbers>

#include "shardsim/workload/exp_integrals.h"

namespace shardsim::workload {

namespace {

    constexpr double kOmega = 2 * std::numbers::pi / kSecondsPerDay; // rad/s

} // namespace

DiurnalRate::DiurnalRate(const RateShapeConfig& config, double shift)
    : m_mean(config.base * (1 + config.peak) / 2)
    , m_amplitude(config.base * (config.peak - 1) / 2)
    , m_topTime(config.peakHour * 3'600 + shift)
    , m_lambda(growthExponent(config.growth))
{
}

double DiurnalRate::phaseAt(double t) const
{
    double sinceTop = std::fmod(t - m_topTime, kSecondsPerDay);
    if (sinceTop < 0)
        sinceTop += kSecondsPerDay;
    return kOmega * sinceTop;
}

double DiurnalRate::rate(double t) const
{
    const double daily = m_mean + m_amplitude * std::cos(phaseAt(t));
    return m_lambda == 0 ? daily : daily * std::exp(m_lambda * t);
}

double DiurnalRate::expectedRequests(double t0, double t1) const
{
    if (t1 < t0)
        return -expectedRequests(t1, t0);
    return m_mean * integrateExp(m_lambda, t0, t1)
        + m_amplitude * integrateCosExp(m_lambda, kOmega, phaseAt(t0), t0, t1);
}

} // namespace shardsim::workload
