#pragma once
// Where every copy of each logical database of a layout lives: what a migration compares between two layouts
// (shardsim/engine/data_movement.h) and what the engine's cluster layout hands it.

#include <vector>

#include "shardsim/rules/placement.h"
#include "shardsim/rules/shard_rule.h"

namespace shardsim {

struct ShardHomes {
    const ShardRule* rule = nullptr;
    int replication = 1;
    // copies[d * replication + i]: the node of copy i of logical database d (primary first). With business
    // databases (data.databases), group g's databases follow group g - 1's: database d of group g is
    // g x rule->databaseCount() + d.
    std::vector<NodeId> copies;

    NodeId copy(int database, int i) const
    {
        return copies[static_cast<size_t>(database) * static_cast<size_t>(replication) + static_cast<size_t>(i)];
    }
    // Copy i of the rule's database `database` of business database `group`.
    NodeId copy(int group, int database, int i) const { return copy(group * rule->databaseCount() + database, i); }
};

} // namespace shardsim
