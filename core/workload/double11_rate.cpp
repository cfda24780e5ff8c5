#include "shardsim/workload/double11_rate.h"

#include <algorithm>
#include <cmath>

#include "shardsim/workload/exp_integrals.h"

namespace shardsim::workload {

Double11Rate::Double11Rate(const RateShapeConfig& config)
    : m_base(config.base)
    , m_peak(config.peak)
    , m_rampStart(config.at)
    , m_rampEnd(config.at + config.ramp)
    , m_decayStart(config.at + config.ramp + config.hold)
    , m_decay(config.decay)
    , m_lambda(growthExponent(config.growth))
{
}

double Double11Rate::shapeAt(double t) const
{
    const double extra = (m_peak - 1) * m_base; // requests/s above base at the top
    if (t < m_rampStart)
        return m_base;
    if (t < m_rampEnd)
        return m_base + extra * (t - m_rampStart) / (m_rampEnd - m_rampStart);
    if (t < m_decayStart)
        return m_base + extra;
    if (m_decay <= 0)
        return m_base;
    return m_base + extra * std::exp(-(t - m_decayStart) / m_decay);
}

double Double11Rate::rate(double t) const
{
    const double value = shapeAt(t);
    return m_lambda == 0 ? value : value * std::exp(m_lambda * t);
}

double Double11Rate::expectedRequests(double t0, double t1) const
{
    if (t1 < t0)
        return -expectedRequests(t1, t0);
    const double extra = (m_peak - 1) * m_base;
    // Base everywhere, then what the ramp, the plateau and the decay add on top of it.
    double total = m_base * integrateExp(m_lambda, t0, t1);

    const double rampLo = std::max(t0, m_rampStart);
    const double rampHi = std::min(t1, m_rampEnd);
    if (rampLo < rampHi) {
        const double slope = extra / (m_rampEnd - m_rampStart); // requests/s per s
        total += integrateLineExp(
            m_lambda, rampLo, rampHi, slope * (rampLo - m_rampStart), slope * (rampHi - m_rampStart));
    }

    const double holdLo = std::max(t0, m_rampEnd);
    const double holdHi = std::min(t1, m_decayStart);
    if (holdLo < holdHi)
        total += extra * integrateExp(m_lambda, holdLo, holdHi);

    const double decayLo = std::max(t0, m_decayStart);
    if (m_decay > 0 && decayLo < t1) {
        // extra * e^(-(t - e)/decay) * e^(lambda t) = extra * e^(lambda e) * e^((lambda - 1/decay)(t - e))
        const double growthAtStart = m_lambda == 0 ? 1 : std::exp(m_lambda * m_decayStart);
        total
            += extra * growthAtStart * integrateExp(m_lambda - 1 / m_decay, decayLo - m_decayStart, t1 - m_decayStart);
    }
    return total;
}

} // namespace shardsim::workload
