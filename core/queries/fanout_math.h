#pragma once
// Distinct shards touched by independent key draws, from the shards' shares alone (the expected engine's
// fan-out; no per-key or per-request work).
//
// A call draws `draws` keys independently, each landing on shard s with probability p_s (the shares may add up to
// less than 1: the rest is keys the rule refuses, which touch no shard). Then
//   P(shard s touched)          = 1 - (1 - p_s)^k
//   E[distinct shards]          = sum_s (1 - (1 - p_s)^k)
//   P(every key on one shard)   = sum_s p_s^k
// and the whole distribution of the number of distinct shards comes from a DP over the shards: with m keys placed
// on the shards seen so far, touching d of them, shard s takes j more keys with weight p_s^j / j!; at the end the
// weights times k! (and the refused keys' p_0^j / j!) are the multinomial probabilities, summed by d.

#include <cstdint>
#include <span>
#include <vector>

namespace shardsim::queries {

// P(distinct = d) for d = 0..min(k, shards); `refused` is the share of keys that touch no shard.
// Exact for k <= kMaxExactKeys and k * k * min(k, shards) * shards up to kExactBudget; beyond that the mass is put on
// the two integers around the exact mean, keeping the mean.
std::vector<double> distinctShardHistogram(std::span<const double> shares, double refused, int64_t k);

inline constexpr double kExactBudget = 2e8;
inline constexpr int64_t kMaxExactKeys = 150; // 150! is finite in a double

// E[distinct shards] and P(touched) per shard for k independent draws.
double expectedDistinct(std::span<const double> shares, int64_t k);

} // namespace shardsim::queries
