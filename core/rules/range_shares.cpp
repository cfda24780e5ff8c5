#include "rules/range_shares.h"

#include <cmath>

namespace shardsim::rules {

double addSampledRangeShares(const ShardRule& rule, int64_t lo, int64_t hi, double mass, std::span<double> shares)
{
    const WideInt length = rangeLength(lo, hi);
    if (length == 0)
        return 0;
    const WideInt probes = length < ShardRule::kRangeShareKeys ? length : WideInt(ShardRule::kRangeShareKeys);
    const double each = mass / static_cast<double>(probes);
    double refused = 0;
    for (WideInt j = 0; j < probes; ++j) {
        // The midpoint of the j-th of `probes` equal parts; every key itself when probes == length.
        const WideInt offset = probes == length ? j : (2 * j + 1) * length / (2 * probes);
        const int shard = rule.shardOfInteger(static_cast<int64_t>(WideInt(lo) + offset));
        if (shard < 0 || static_cast<size_t>(shard) >= shares.size())
            refused += each;
        else
            shares[static_cast<size_t>(shard)] += each;
    }
    return refused;
}

void addResidueShares(WideInt lo, WideInt hi, int64_t modulus, double massPerKey, std::span<double> target)
{
    if (hi < lo || modulus <= 0)
        return;
    const WideInt length = hi - lo + 1;
    const WideInt cycles = length / modulus;
    const auto rest = static_cast<int64_t>(length % modulus);
    if (cycles > 0) {
        const double full = massPerKey * static_cast<double>(cycles);
        for (double& share : target)
            share += full;
    }
    // The `rest` keys after the full cycles have consecutive residues starting at lo's, wrapping at modulus.
    int64_t residue = static_cast<int64_t>(floorMod(lo, modulus));
    for (int64_t i = 0; i < rest; ++i) {
        target[static_cast<size_t>(residue)] += massPerKey;
        if (++residue == modulus)
            residue = 0;
    }
}

double addHashedRangeShares(const ShardRule& rule, int64_t lo, int64_t hi, double mass, std::span<double> shares,
    std::span<const double> fractions)
{
    const WideInt length = rangeLength(lo, hi);
    if (length == 0)
        return 0;
    if (length <= ShardRule::kRangeShareKeys)
        return addSampledRangeShares(rule, lo, hi, mass, shares);
    for (size_t i = 0; i < fractions.size() && i < shares.size(); ++i)
        shares[i] += mass * fractions[i];
    return 0;
}

double addEvenHashedRangeShares(const ShardRule& rule, int64_t lo, int64_t hi, double mass, std::span<double> shares)
{
    const WideInt length = rangeLength(lo, hi);
    if (length == 0)
        return 0;
    if (length <= ShardRule::kRangeShareKeys)
        return addSampledRangeShares(rule, lo, hi, mass, shares);
    const size_t shards = static_cast<size_t>(rule.shardCount());
    const double each = mass / static_cast<double>(shards);
    for (size_t i = 0; i < shards && i < shares.size(); ++i)
        shares[i] += each;
    return 0;
}

double arcFraction(uint64_t from, uint64_t to)
{
    // to - from wraps modulo 2^64 as the circle does; 2^-64 as an exact power of two.
    return std::ldexp(static_cast<double>(to - from), -64);
}

} // namespace shardsim::rules
