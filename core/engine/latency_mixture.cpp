#include "engine/latency_mixture.h"

#include <algorithm>
#include <cmath>

#include "engine/tail_solver.h"

namespace shardsim::engine {

namespace {

    constexpr double kDelaySteps = 1024; // per queue_timeout, for the run's pool

} // namespace

void LatencyMixture::add(double weight, const MmcResponse& response, double delay)
{
    if (!(weight > 0))
        return;
    m_total += weight;
    m_terms.push_back({ weight, response, std::max(0.0, delay) });
}

double LatencyMixture::tail(double t, double* density) const
{
    double sum = 0;
    double slope = 0;
    // Every node of a run shares mu: e^(-mu t) once for the terms without a delay.
    double mu = 0;
    double service = 0;
    for (const Term& term : m_terms) {
        double part = 0;
        if (term.delay > 0) {
            sum += term.weight * term.response.tail(t - term.delay, &part);
        } else {
            if (term.response.mu != mu) {
                mu = term.response.mu;
                service = mu * t > 700 ? 0.0 : std::exp(-mu * t); // libm's underflow path is slow
            }
            sum += term.weight * term.response.tail(t, service, &part);
        }
        slope += term.weight * (t > term.delay ? part : 0);
    }
    *density = slope;
    return sum;
}

double LatencyMixture::quantile(double q, double guess) const
{
    if (m_terms.empty() || !(m_total > 0))
        return 0;
    // Every term's response is at most its delay plus its room plus the service's q-quantile there.
    const double serviceQuantile = std::log(1 / (1 - q));
    double high = 0;
    for (const Term& term : m_terms)
        high = std::max(high, term.delay + term.response.room + serviceQuantile / term.response.mu);
    return solveTail([this](double t, double* density) { return tail(t, density); }, (1 - q) * m_total, 0, high,
        guess);
}

LatencyPool::LatencyPool(uint32_t cells)
    : m_weight(cells, 0.0)
    , m_weightedRho(cells, 0.0)
{
}

void LatencyPool::addDelayed(uint32_t cell, double weight, double rho, double delay, double timeout)
{
    if (!(weight > 0))
        return;
    const auto step = static_cast<uint64_t>(std::clamp(delay / timeout * kDelaySteps, 0.0, kDelaySteps));
    Delayed& bin = m_delayed[uint64_t(cell) << 32 | step];
    bin.weight += weight;
    bin.weightedRho += weight * rho;
    bin.weightedDelay += weight * delay;
}

void LatencyPool::add(const LatencyPool& other)
{
    for (uint32_t cell : other.m_used)
        add(cell, other.m_weight[cell], other.m_weightedRho[cell] / other.m_weight[cell]);
    for (const auto& [key, bin] : other.m_delayed) {
        Delayed& into = m_delayed[key];
        into.weight += bin.weight;
        into.weightedRho += bin.weightedRho;
        into.weightedDelay += bin.weightedDelay;
    }
}

void LatencyPool::clear()
{
    for (uint32_t cell : m_used) {
        m_weight[cell] = 0;
        m_weightedRho[cell] = 0;
    }
    m_used.clear();
    m_delayed.clear();
}

void LatencyPool::fill(LatencyMixture& mixture, ResponseTable& table) const
{
    for (uint32_t cell : m_used)
        mixture.add(m_weight[cell], table.response(m_weightedRho[cell] / m_weight[cell]), 0);
    for (const auto& [key, bin] : m_delayed) {
        const double delay = bin.weightedDelay / bin.weight;
        mixture.add(bin.weight, table.response(bin.weightedRho / bin.weight, table.queueTimeout() - delay), delay);
    }
}

} // namespace shardsim::engine
