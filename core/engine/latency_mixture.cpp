#include "engine/latency_mixture.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "engine/lane_sum.h"

namespace shardsim::engine {

namespace {

    constexpr uint64_t kMaxBins = 4096;

} // namespace

void LatencyMixture::clear()
{
    m_raw.clear();
    m_lowKey = UINT64_MAX;
    m_highKey = 0;
    m_terms.clear();
    m_total = 0;
    m_pooled = false;
}

void LatencyMixture::setNodes(
    std::span<const double> weights, std::span<const double> rates, std::span<const double> delays, bool noDelays)
{
    clear();
    m_pooled = true;
    const size_t nodes = weights.size();
    // Nodes with a backlog (rare) are terms of their own; the rest are binned. The bins' range comes from the
    // smallest and largest rate: the bits of positive doubles order like the values.
    double low = 0;
    double high = 0;
    bool any = false;
    if (noDelays) {
        // Every node is binned: the range is a plain minimum and maximum, in lanes.
        any = nodes > 0;
        low = laneMin(rates.first(nodes));
        high = laneMax(rates.first(nodes));
    }
    for (size_t n = 0; n < nodes && !noDelays; ++n) {
        if (delays[n] > 0) {
            if (weights[n] > 0) {
                m_total += weights[n];
                m_terms.push_back({ weights[n], rates[n], delays[n] });
            }
            continue;
        }
        low = any ? std::min(low, rates[n]) : rates[n];
        high = any ? std::max(high, rates[n]) : rates[n];
        any = true;
    }
    if (!any)
        return;
    const uint64_t lowKey = std::bit_cast<uint64_t>(low) >> kBinShift;
    const uint64_t highKey = std::bit_cast<uint64_t>(high) >> kBinShift;
    int shift = 0; // coarser bins when the rates span too many
    while (((highKey >> shift) - (lowKey >> shift)) >= kMaxBins)
        ++shift;
    const uint64_t base = lowKey >> shift;
    const size_t bins = static_cast<size_t>((highKey >> shift) - base + 1);
    m_binWeight.assign(bins, 0.0);
    m_binRate.assign(bins, 0.0);
    double* binWeight = m_binWeight.data();
    double* binRate = m_binRate.data();
    for (size_t n = 0; n < nodes; ++n) {
        // A node without requests adds nothing; a delayed one was taken above.
        const double weight = noDelays || !(delays[n] > 0) ? weights[n] : 0;
        const size_t bin = static_cast<size_t>(((std::bit_cast<uint64_t>(rates[n]) >> kBinShift) >> shift) - base);
        binWeight[std::min(bin, bins - 1)] += weight;
        binRate[std::min(bin, bins - 1)] += weight * rates[n];
    }
    for (size_t bin = 0; bin < bins; ++bin) {
        if (m_binWeight[bin] > 0) {
            m_total += m_binWeight[bin];
            m_terms.push_back({ m_binWeight[bin], m_binRate[bin] / m_binWeight[bin], 0 });
        }
    }
}

void LatencyMixture::pool()
{
    m_pooled = true;
    if (m_raw.empty())
        return;
    int shift = 0; // coarser bins when the rates span too many
    while (((m_highKey >> shift) - (m_lowKey >> shift)) >= kMaxBins)
        ++shift;
    const uint64_t base = m_lowKey >> shift;
    const size_t bins = static_cast<size_t>((m_highKey >> shift) - base + 1);
    m_binWeight.assign(bins, 0.0);
    m_binRate.assign(bins, 0.0);
    for (const RawTerm& term : m_raw) {
        const size_t bin = static_cast<size_t>((term.key >> shift) - base);
        m_binWeight[bin] += term.weight;
        m_binRate[bin] += term.weight * term.rate;
    }
    for (size_t bin = 0; bin < bins; ++bin) {
        if (m_binWeight[bin] > 0)
            m_terms.push_back({ m_binWeight[bin], m_binRate[bin] / m_binWeight[bin], 0 });
    }
    m_raw.clear();
    m_lowKey = UINT64_MAX;
    m_highKey = 0;
}

double LatencyMixture::tail(double t, double* slope) const
{
    double sum = 0;
    double derivative = 0;
    for (const Term& term : m_terms) {
        if (t <= term.delay) {
            sum += term.weight;
            continue;
        }
        const double part = term.weight * std::exp(-term.rate * (t - term.delay));
        sum += part;
        derivative -= term.rate * part;
    }
    if (slope)
        *slope = derivative;
    return sum;
}

double LatencyMixture::quantile(double q, double guess)
{
    if (!m_pooled)
        pool();
    if (m_terms.empty() || !(m_total > 0))
        return 0;
    const double target = (1 - q) * m_total;
    // Every term's own q-quantile bounds the mixture's from above: there each tail is at most 1 - q.
    double high = 0;
    for (const Term& term : m_terms)
        high = std::max(high, term.delay + std::log(1 / (1 - q)) / term.rate);
    double low = 0;
    double t = guess > low && guess < high ? guess : 0.5 * high;
    for (int iteration = 0; iteration < 100; ++iteration) {
        double slope = 0;
        const double excess = tail(t, &slope) - target;
        if (std::fabs(excess) <= 1e-10 * m_total)
            return t;
        if (excess > 0)
            low = t;
        else
            high = t;
        if (high - low <= 1e-10 * high)
            return t;
        // Newton's step where it stays inside the bracket, else bisection.
        const double newton = slope < 0 ? t - excess / slope : -1;
        t = newton > low && newton < high ? newton : 0.5 * (low + high);
    }
    return t;
}

} // namespace shardsim::engine
