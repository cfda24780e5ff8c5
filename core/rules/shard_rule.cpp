#include "shardsim/rules/shard_rule.h"

#include "rules/range_shares.h"

namespace shardsim {

int ShardRule::shardOfInteger(int64_t key) const
{
    const auto routed = route(Key::int64(key));
    return routed ? routed->index : -1;
}

void ShardRule::shardsOfIntegers(std::span<const int64_t> keys, std::span<int32_t> shards) const
{
    for (size_t i = 0; i < keys.size(); ++i)
        shards[i] = shardOfInteger(keys[i]);
}

double ShardRule::addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const
{
    return rules::addSampledRangeShares(*this, lo, hi, mass, shares);
}

int ShardRule::searchShardsOfInteger(int64_t key, std::span<int> shards) const
{
    const int shard = shardOfInteger(key);
    if (shard < 0)
        return 0;
    shards[0] = shard;
    return 1;
}

void ShardRule::addSpreadSearches(double mass, std::span<double> visited, std::span<double> histogram) const
{
    const double each = mass / static_cast<double>(shardCount());
    for (size_t s = 0; s < visited.size(); ++s)
        visited[s] += each;
    histogram[1] += mass;
}

} // namespace shardsim
