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

} // namespace shardsim
