#include "engine/alias_table.h"

#include <cmath>
#include <limits>

namespace shardsim::engine {

uint64_t fractionThreshold(double p)
{
    if (!(p > 0))
        return 0;
    if (p >= 1)
        return std::numeric_limits<uint64_t>::max();
    return static_cast<uint64_t>(std::ldexp(p, 64));
}

AliasColumns buildAliasColumns(std::span<const double> weights)
{
    const size_t m = weights.size();
    AliasColumns out;
    out.threshold.assign(m, 0);
    out.alias.resize(m);
    double total = 0;
    for (double w : weights)
        total += w > 0 ? w : 0;
    std::vector<double> scaled(m);
    std::vector<uint32_t> small;
    std::vector<uint32_t> large;
    for (size_t i = 0; i < m; ++i) {
        out.alias[i] = static_cast<uint32_t>(i);
        scaled[i] = total > 0 && weights[i] > 0 ? weights[i] * static_cast<double>(m) / total : 0;
        (scaled[i] < 1 ? small : large).push_back(static_cast<uint32_t>(i));
    }
    // Vose: pair each under-full column with an over-full one, which gives away exactly what fills it.
    while (!small.empty() && !large.empty()) {
        const uint32_t less = small.back();
        small.pop_back();
        const uint32_t more = large.back();
        out.threshold[less] = fractionThreshold(scaled[less]);
        out.alias[less] = more;
        scaled[more] = (scaled[more] + scaled[less]) - 1;
        if (scaled[more] < 1) {
            large.pop_back();
            small.push_back(more);
        }
    }
    // What is left is full up to rounding: those columns keep their own outcome.
    for (uint32_t i : large)
        out.threshold[i] = fractionThreshold(1);
    for (uint32_t i : small)
        out.threshold[i] = fractionThreshold(1);
    return out;
}

} // namespace shardsim::engine
