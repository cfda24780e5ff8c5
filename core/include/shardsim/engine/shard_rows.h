#pragma once
// Rows per logical shard at the start of a run, as the run lays them out: a geo rule's shards hold their regions'
// shares, a range rule's shards the keys of their ranges, a hashed rule's shards the keys it really sends them.
// `describe` reports these, so it says what `run` then stores.

#include <string>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

struct TableShardRows {
    std::string table; // as in data.tables
    std::vector<std::string> shards; // the rule's shard names (within a business database)
    std::vector<double> rows; // per shard, one copy
};

// The sharded tables of data.tables in file order (broadcast tables have a full copy everywhere and are left out).
// Fails where the run would fail to start.
Result<std::vector<TableShardRows>> shardRowsAtStart(const ScenarioConfig& config);

} // namespace shardsim
