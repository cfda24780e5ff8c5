#include "engine/routed_search.h"

#include <algorithm>
#include <cmath>

namespace shardsim::engine {

SearchLaw routedSearchLaw(const ShardRule& rule, const KeyLaw& law)
{
    SearchLaw out;
    out.visited.assign(static_cast<size_t>(rule.shardCount()), 0.0);
    out.histogram.assign(static_cast<size_t>(rule.searchSpread()) + 1, 0.0);
    std::vector<int> shards(static_cast<size_t>(rule.searchSpread()));
    const auto addKey = [&](uint64_t key, double mass) {
        const int count = rule.searchShardsOfInteger(static_cast<int64_t>(key), shards);
        out.histogram[static_cast<size_t>(count)] += mass;
        for (int i = 0; i < count; ++i)
            out.visited[static_cast<size_t>(shards[static_cast<size_t>(i)])] += mass;
    };
    for (const KeyPoint& point : law.points)
        addKey(point.key, point.mass);
    for (const KeySegment& segment : law.segments) {
        const uint64_t length = segment.last - segment.first + 1;
        if (length > static_cast<uint64_t>(ShardRule::kRangeShareKeys)) {
            rule.addSpreadSearches(segment.mass, out.visited, out.histogram);
            continue;
        }
        for (uint64_t key = segment.first; key <= segment.last; ++key)
            addKey(key, segment.mass / static_cast<double>(length));
    }
    // When every routing value visits the same number of shards d, say so exactly rather than as a sum of masses
    // that rounds (3, not 3.0000000000000022): the histogram all on d, the visits adding up to d.
    for (size_t d = 1; d < out.histogram.size(); ++d) {
        if (std::abs(out.histogram[d] - 1) > 1e-9)
            continue;
        std::fill(out.histogram.begin(), out.histogram.end(), 0.0);
        out.histogram[d] = 1;
        double total = 0;
        for (double p : out.visited)
            total += p;
        for (double& p : out.visited)
            p *= static_cast<double>(d) / total;
    }
    return out;
}

} // namespace shardsim::engine
