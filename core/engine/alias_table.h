#pragma once
// Walker's alias method with Vose's numerically stable construction (M. D. Vose, "A linear algorithm for
// generating random numbers with a given distribution", IEEE TSE 17(9), 1991): any discrete law over m outcomes is
// drawn in O(1) with one 64-bit random number.

#include <cstdint>
#include <span>
#include <vector>

namespace shardsim::engine {

// 128-bit products of 64-bit draws (a GCC/Clang extension, as in the rules' key arithmetic).
__extension__ typedef unsigned __int128 UInt128;

// Column i keeps outcome i when the fractional part of the draw is below threshold[i], else gives alias[i].
struct AliasColumns {
    std::vector<uint64_t> threshold; // probability of keeping the column's own outcome, times 2^64
    std::vector<uint32_t> alias;
};

// p in [0, 1] as a threshold on a uniform 64-bit fraction: `draw < threshold` happens with probability p.
// 1 maps to the largest value, so a certain column keeps all but the top draw (whose alias is itself).
uint64_t fractionThreshold(double p);

// weights: >= 0 with a positive sum, at most 2^32 - 1 of them.
AliasColumns buildAliasColumns(std::span<const double> weights);

// The column and the fraction that decide one draw: random * m as a 128-bit fixed-point number, whose integer
// part is uniform on 0..m-1 and whose fraction is uniform and independent of it (up to 2^-64 * m).
struct AliasDraw {
    uint32_t column;
    uint64_t fraction;
};

inline AliasDraw aliasDraw(uint64_t random, uint64_t columns)
{
    const UInt128 product = static_cast<UInt128>(random) * columns;
    return { static_cast<uint32_t>(product >> 64), static_cast<uint64_t>(product) };
}

} // namespace shardsim::engine
