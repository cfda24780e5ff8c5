#pragma once
// The expected engine's law of a search by one routing value (QueryShape::routingSearch) on a rule that spreads a
// value over several shards (Elasticsearch's partitioned index): which shards a call visits, and how many, for a
// routing value drawn from a key law. docs/queries-model.md §2.

#include <vector>

#include "engine/key_law.h"
#include "shardsim/rules/shard_rule.h"

namespace shardsim::engine {

struct SearchLaw {
    std::vector<double> visited; // per shard: P(a call visits it)
    std::vector<double> histogram; // P(a call visits d shards); [0]: the rule refused the routing value
};

// The law's points are routed one by one, short segments key by key (each key its even part of the segment's mass)
// and long segments as routing values with evenly spread hashes (ShardRule::addSpreadSearches), as
// ShardRule::addRangeShares treats a hashed rule's ranges.
SearchLaw routedSearchLaw(const ShardRule& rule, const KeyLaw& law);

} // namespace shardsim::engine
