#pragma once
// Internal: the building blocks of ShardRule::addRangeShares. Ranges are int64 keys lo..hi, counted in 128 bits
// so that the whole int64 line (2^64 keys) is a valid range.

#include <cstdint>
#include <span>

#include "rules/arithmetic/key_math.h"
#include "shardsim/rules/shard_rule.h"

namespace shardsim::rules {

// Number of keys in lo..hi; 0 when hi < lo.
inline WideInt rangeLength(int64_t lo, int64_t hi) { return hi < lo ? WideInt(0) : WideInt(hi) - WideInt(lo) + 1; }

// Routes every key of lo..hi when there are at most ShardRule::kRangeShareKeys of them, else that many evenly
// spaced keys (the midpoints of equal parts), each carrying its part of `mass`. Returns the mass of refused keys.
double addSampledRangeShares(const ShardRule& rule, int64_t lo, int64_t hi, double mass, std::span<double> shares);

// Adds `massPerKey` for every key k of lo..hi to target[floorMod(k, modulus)]: q full cycles give every residue
// q keys, the rest is one run of consecutive residues. O(modulus). target.size() == modulus.
void addResidueShares(WideInt lo, WideInt hi, int64_t modulus, double massPerKey, std::span<double> target);

// For rules whose keys land at a uniformly spread 64-bit hash: a short range key by key (as above), a long one as
// mass * fractions[i], the part of the hash space that shard i owns.
double addHashedRangeShares(const ShardRule& rule, int64_t lo, int64_t hi, double mass, std::span<double> shares,
    std::span<const double> fractions);

// The same for rules that give every shard an equal part of the hash space (jump, rendezvous, hash-mod).
double addEvenHashedRangeShares(const ShardRule& rule, int64_t lo, int64_t hi, double mass, std::span<double> shares);

// The fraction of the 2^64 hash values from `from` up to (excluding) `to`, going up and wrapping past 2^64 - 1;
// from == to is the empty arc (a single owner of the whole circle has fraction 1 by definition).
double arcFraction(uint64_t from, uint64_t to);

} // namespace shardsim::rules
