#pragma once
// A node's response-time mean and percentiles as a function of its utilisation rho, for one run's servers c, service
// time S and queue timeout T (every node shares them), so that a tick costs a table lookup per node instead of four
// root searches.
//
// The table's coordinate is the distance to saturation |1 - rho|, one table below rho = 1 and one above, on the
// grid that the bits of a double give: 32 points per octave (the exponent and the top five mantissa bits), from
// 2^-40 to 1 below saturation and to 2^10 above it (rho beyond 1 + 2^10 reads the last point: the queue is full
// there whatever rho is). Between two points a value is interpolated linearly in rho. Where it matters most, M/M/1's
// percentiles S ln(1/(1-q)) / (1 - rho) are 1 / x in x = 1 - rho, and linear interpolation over cells 2^-5 wide in
// x misses 1 / x by at most (1/32)^2 / 4 = 0.025%; the tests check every percentile against the exact solution
// over rho for several c and bound the error by 0.05%.
//
// Points are computed on first use: a run touches a few hundred of the 2,900 points.

#include <array>
#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/mmc_response.h"

namespace shardsim::engine {

class ResponseTable {
public:
    // The percentiles reported per node and for the cluster.
    static constexpr std::array<double, 4> kQuantiles { 0.5, 0.95, 0.99, 0.999 };

    struct Values {
        double mean = 0; // s
        std::array<double, 4> quantiles {}; // s, at kQuantiles
        double blocking = 0; // Erlang B, for rebuilding the distribution at an interpolated rho
    };
    // Where rho falls: the grid point below it and the position (0..1) towards the next one.
    struct Position {
        uint32_t cell = 0;
        double frac = 0;
    };

    ResponseTable(double servers, double service, double queueTimeout);

    double servers() const { return m_servers; }
    double service() const { return m_service; }
    double queueTimeout() const { return m_queueTimeout; }

    Position locate(double rho) const
    {
        const bool over = rho > 1;
        const double gap = over ? std::min(rho - 1, kMaxOver) : std::min(1 - rho, 1.0);
        const auto bits = std::bit_cast<uint64_t>(std::max(gap, kMinGap));
        const auto cell = static_cast<uint32_t>((bits >> kShift) - m_minKey) + (over ? m_overBase : 0);
        return { cell, static_cast<double>(bits & kLowMask) * kPerCell };
    }
    // An interval of rho that locate() certainly puts in `cell` (a little inside the cell's ends, so that rounding in
    // locate() cannot disagree; empty for the clamped ends): a node whose rho stays in it stays in the cell.
    std::pair<double, double> cellBounds(uint32_t cell) const;
    // Number of grid points over both sides; cells are below it.
    uint32_t points() const { return static_cast<uint32_t>(m_values.size()); }

    // A grid point's values (cells and cell + 1 of a position), computed on first use.
    const Values& pointAt(uint32_t index)
    {
        if (!m_filled[index]) [[unlikely]]
            fill(index);
        return m_values[index];
    }
    // The interpolated p99, and every value (s), at a position; computes the two grid points on first use.
    double p99(Position at) { return interpolate(at, [](const Values& v) { return v.quantiles[2]; }); }
    Values values(Position at);
    // The full distribution at rho with the whole queue free, Erlang B interpolated like the percentiles.
    MmcResponse response(double rho);
    // The same with `room` s of queue left (a node with a backlog).
    MmcResponse response(double rho, double room);

private:
    static constexpr int kShift = 52 - 5;
    static constexpr uint64_t kLowMask = (uint64_t(1) << kShift) - 1;
    static constexpr double kPerCell = 1.0 / static_cast<double>(uint64_t(1) << kShift);
    static constexpr double kMinGap = 0x1p-40;
    static constexpr double kMaxOver = 0x1p10;

    void fill(uint32_t index);
    double rhoOf(uint32_t index) const;
    template <typename F> double interpolate(Position at, F field)
    {
        const double low = field(pointAt(at.cell));
        if (at.frac == 0)
            return low;
        return low + at.frac * (field(pointAt(at.cell + 1)) - low);
    }

    double m_servers;
    double m_service;
    double m_queueTimeout;
    uint64_t m_minKey;
    uint32_t m_overBase; // first point above rho = 1
    std::vector<Values> m_values;
    std::vector<uint8_t> m_filled;
};

} // namespace shardsim::engine
