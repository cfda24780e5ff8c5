#include "engine/imbalance_meter.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/lane_sum.h"

namespace shardsim::engine {

Imbalance ImbalanceMeter::measure(std::span<const double> values)
{
    Imbalance out;
    const size_t n = values.size();
    if (n == 0)
        return out;
    const double max = laneMax(values);
    const double sum = laneSum(values);
    if (!(sum > 0))
        return out;
    const double mean = sum / static_cast<double>(n);
    const double squares = laneSum(values, [mean](double value, size_t) { return (value - mean) * (value - mean); });
    out.maxOverMean = max / mean;
    out.cv = std::sqrt(squares / static_cast<double>(n)) / mean;

    // Ties keep the lower index first, so the order is a pure function of the values.
    if (m_order.size() != n) {
        m_order.resize(n);
        std::iota(m_order.begin(), m_order.end(), 0u);
        std::sort(m_order.begin(), m_order.end(),
            [&](uint32_t a, uint32_t b) { return values[a] < values[b] || (values[a] == values[b] && a < b); });
    }
    // The values in the previous order, then an insertion sort of values and indices together: loads move little
    // from tick to tick, so this is close to one pass.
    m_sorted.resize(n);
    for (size_t i = 0; i < n; ++i)
        m_sorted[i] = values[m_order[i]];
    for (size_t i = 1; i < n; ++i) {
        const double value = m_sorted[i];
        const uint32_t index = m_order[i];
        size_t j = i;
        while (j > 0 && (value < m_sorted[j - 1] || (value == m_sorted[j - 1] && index < m_order[j - 1]))) {
            m_sorted[j] = m_sorted[j - 1];
            m_order[j] = m_order[j - 1];
            --j;
        }
        m_sorted[j] = value;
        m_order[j] = index;
    }
    const double weighted
        = laneSum(m_sorted, [](double value, size_t i) { return static_cast<double>(i + 1) * value; });
    const double gini
        = 2 * weighted / (static_cast<double>(n) * sum) - static_cast<double>(n + 1) / static_cast<double>(n);
    out.gini = std::max(0.0, gini);
    return out;
}

Imbalance imbalanceOf(std::span<const double> values)
{
    ImbalanceMeter meter;
    return meter.measure(values);
}

} // namespace shardsim::engine
