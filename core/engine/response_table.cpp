#include "engine/response_table.h"

#include <algorithm>

namespace shardsim::engine {

ResponseTable::ResponseTable(double servers, double service, double queueTimeout)
    : m_servers(servers)
    , m_service(service)
    , m_queueTimeout(queueTimeout)
    , m_minKey(std::bit_cast<uint64_t>(kMinGap) >> kShift)
{
    // Each side ends one point past its largest gap, so that interpolation from the last cell has a right end.
    const auto under = static_cast<uint32_t>((std::bit_cast<uint64_t>(1.0) >> kShift) - m_minKey) + 2;
    const auto over = static_cast<uint32_t>((std::bit_cast<uint64_t>(kMaxOver) >> kShift) - m_minKey) + 2;
    m_overBase = under;
    m_values.resize(under + over);
    m_filled.assign(under + over, 0);
}

double ResponseTable::rhoOf(uint32_t index) const
{
    const bool over = index >= m_overBase;
    const uint64_t key = m_minKey + (over ? index - m_overBase : index);
    const double gap = std::bit_cast<double>(key << kShift);
    return over ? 1 + gap : std::max(0.0, 1 - gap);
}

std::pair<double, double> ResponseTable::cellBounds(uint32_t cell) const
{
    // 1 - rho and rho - 1 round by at most 2^-53 of max(1, rho), and so do the grid's rho: 10^-15 of it is beyond
    // both.
    const bool over = cell >= m_overBase;
    const double a = rhoOf(cell);
    const double b = rhoOf(cell + 1);
    const double low = over ? a : b;
    const double high = over ? b : a;
    const double margin = 1e-15 * std::max(1.0, high);
    return { low + margin, high - margin };
}

void ResponseTable::fill(uint32_t index)
{
    const double rho = rhoOf(index);
    Values& v = m_values[index];
    v.blocking = erlangB(m_servers, m_servers * rho);
    const MmcResponse response = MmcResponse::at(m_servers, m_service, rho, m_queueTimeout, v.blocking);
    v.mean = response.mean();
    for (size_t q = 0; q < kQuantiles.size(); ++q)
        v.quantiles[q] = response.quantile(kQuantiles[q], q > 0 ? v.quantiles[q - 1] : 0);
    m_filled[index] = 1;
}

ResponseTable::Values ResponseTable::values(Position at)
{
    const Values low = pointAt(at.cell);
    if (at.frac == 0)
        return low;
    const Values& high = pointAt(at.cell + 1);
    Values out;
    out.mean = low.mean + at.frac * (high.mean - low.mean);
    for (size_t q = 0; q < out.quantiles.size(); ++q)
        out.quantiles[q] = low.quantiles[q] + at.frac * (high.quantiles[q] - low.quantiles[q]);
    out.blocking = low.blocking + at.frac * (high.blocking - low.blocking);
    return out;
}

MmcResponse ResponseTable::response(double rho) { return response(rho, m_queueTimeout); }

MmcResponse ResponseTable::response(double rho, double room)
{
    // Erlang B depends on rho alone: interpolated like the percentiles, it spares the incomplete gamma function.
    const double blocking = interpolate(locate(rho), [](const Values& v) { return v.blocking; });
    return MmcResponse::at(m_servers, m_service, rho, room, blocking);
}

} // namespace shardsim::engine
