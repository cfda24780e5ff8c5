#pragma once
// Sums and maxima over per-node arrays in four interleaved lanes: a single running sum waits on every addition,
// and a tick sums its 1,024-node arrays several times. The order of the additions is fixed, so the results are too
// (they differ from a left-to-right sum only in rounding).

#include <algorithm>
#include <cstddef>
#include <span>

namespace shardsim::engine {

// sum_i f(values[i], i).
template <typename F> double laneSum(std::span<const double> values, F f)
{
    double a = 0, b = 0, c = 0, d = 0;
    size_t i = 0;
    for (; i + 4 <= values.size(); i += 4) {
        a += f(values[i], i);
        b += f(values[i + 1], i + 1);
        c += f(values[i + 2], i + 2);
        d += f(values[i + 3], i + 3);
    }
    for (; i < values.size(); ++i)
        a += f(values[i], i);
    return (a + b) + (c + d);
}

inline double laneSum(std::span<const double> values)
{
    return laneSum(values, [](double value, size_t) { return value; });
}

// The largest value; 0 for an empty array.
inline double laneMax(std::span<const double> values)
{
    if (values.empty())
        return 0;
    double a = values[0], b = a, c = a, d = a;
    size_t i = 0;
    for (; i + 4 <= values.size(); i += 4) {
        a = std::max(a, values[i]);
        b = std::max(b, values[i + 1]);
        c = std::max(c, values[i + 2]);
        d = std::max(d, values[i + 3]);
    }
    for (; i < values.size(); ++i)
        a = std::max(a, values[i]);
    return std::max(std::max(a, b), std::max(c, d));
}

// The smallest value; 0 for an empty array.
inline double laneMin(std::span<const double> values)
{
    if (values.empty())
        return 0;
    double a = values[0], b = a, c = a, d = a;
    size_t i = 0;
    for (; i + 4 <= values.size(); i += 4) {
        a = std::min(a, values[i]);
        b = std::min(b, values[i + 1]);
        c = std::min(c, values[i + 2]);
        d = std::min(d, values[i + 3]);
    }
    for (; i < values.size(); ++i)
        a = std::min(a, values[i]);
    return std::min(std::min(a, b), std::min(c, d));
}

} // namespace shardsim::engine
