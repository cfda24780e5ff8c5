#include "key_movement_estimate.h"

#include <algorithm>
#include <vector>

#include "shardsim/rules/rule_factory.h"

namespace shardsim::planner {

Result<double> movedKeyFraction(const RuleSpec& from, int fromNodes, const RuleSpec& to, int toNodes, uint64_t keys)
{
    auto before = makeRule(from);
    if (!before)
        return fail(before.error());
    auto after = makeRule(to);
    if (!after)
        return fail(after.error());
    const uint64_t samples = std::clamp<uint64_t>(keys, 1, kMovementSampleKeys);
    std::vector<int64_t> sampled(samples);
    for (uint64_t i = 0; i < samples; ++i)
        sampled[i] = static_cast<int64_t>(1 + (i * std::max<uint64_t>(keys, 1)) / samples);
    std::vector<int32_t> shardsBefore(samples);
    std::vector<int32_t> shardsAfter(samples);
    (*before)->shardsOfIntegers(sampled, shardsBefore);
    (*after)->shardsOfIntegers(sampled, shardsAfter);
    uint64_t moved = 0;
    for (uint64_t i = 0; i < samples; ++i) {
        if (shardsBefore[i] < 0 || shardsAfter[i] < 0) {
            ++moved;
            continue;
        }
        const int nodeBefore = (*before)->databaseOf(shardsBefore[i]) % fromNodes;
        const int nodeAfter = (*after)->databaseOf(shardsAfter[i]) % toNodes;
        moved += nodeBefore != nodeAfter;
    }
    return double(moved) / double(samples);
}

} // namespace shardsim::planner
