#include "queries/fanout_math.h"

#include <algorithm>
#include <cmath>

namespace shardsim::queries {

double expectedDistinct(std::span<const double> shares, int64_t k)
{
    double total = 0;
    for (double p : shares)
        total += 1 - std::pow(1 - std::clamp(p, 0.0, 1.0), static_cast<double>(k));
    return total;
}

std::vector<double> distinctShardHistogram(std::span<const double> shares, double refused, int64_t k)
{
    const size_t shards = shares.size();
    const size_t top = static_cast<size_t>(std::min<int64_t>(k, static_cast<int64_t>(shards)));
    std::vector<double> histogram(top + 1, 0.0);
    if (k <= 0) {
        histogram[0] = 1;
        return histogram;
    }
    const auto keys = static_cast<size_t>(k);
    const double work = static_cast<double>(keys) * static_cast<double>(keys) * static_cast<double>(top + 1)
        * static_cast<double>(shards);
    if (work > kExactBudget || k > kMaxExactKeys) {
        const double mean = expectedDistinct(shares, k);
        const auto low = static_cast<size_t>(std::clamp(std::floor(mean), 0.0, static_cast<double>(top)));
        const double fraction = std::clamp(mean - static_cast<double>(low), 0.0, 1.0);
        histogram[low] += 1 - fraction;
        if (fraction > 0 && low + 1 <= top)
            histogram[low + 1] += fraction;
        return histogram;
    }
    // f[m][d]: sum over placements of m keys on the shards so far, d of them touched, of prod p^j / j!; times k!
    // at the end it is the probability. k! stays finite for k <= kMaxExactKeys.
    std::vector<double> logFactorial(keys + 1, 0.0);
    for (size_t i = 1; i <= keys; ++i)
        logFactorial[i] = logFactorial[i - 1] + std::log(static_cast<double>(i));
    const size_t width = top + 1;
    std::vector<double> f((keys + 1) * width, 0.0);
    std::vector<double> next(f.size(), 0.0);
    // The refused keys first: they touch nothing.
    for (size_t j = 0; j <= keys; ++j) {
        if (refused > 0 || j == 0)
            f[j * width] = j == 0 ? 1.0 : std::exp(static_cast<double>(j) * std::log(refused) - logFactorial[j]);
    }
    std::vector<double> power(keys + 1, 0.0); // p^j / j!
    for (double p : shares) {
        if (!(p > 0))
            continue;
        for (size_t j = 0; j <= keys; ++j)
            power[j] = j == 0 ? 1.0 : std::exp(static_cast<double>(j) * std::log(p) - logFactorial[j]);
        std::fill(next.begin(), next.end(), 0.0);
        for (size_t m = 0; m <= keys; ++m) {
            for (size_t d = 0; d < width; ++d) {
                const double weight = f[m * width + d];
                if (weight == 0)
                    continue;
                next[m * width + d] += weight;
                if (d + 1 >= width)
                    continue;
                for (size_t j = 1; m + j <= keys; ++j)
                    next[(m + j) * width + d + 1] += weight * power[j];
            }
        }
        f.swap(next);
    }
    const double scale = std::exp(logFactorial[keys]);
    for (size_t d = 0; d < width; ++d)
        histogram[d] = f[keys * width + d] * scale;
    return histogram;
}

} // namespace shardsim::queries
