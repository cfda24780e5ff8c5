#pragma once
// Rows and bytes that move between two layouts of a scenario's tables (docs/migration-model.md): a layout is a
// rule plus the nodes holding every copy of each of its logical databases. A row moves when its key moves between
// the rules (key_movement.h) or when a copy of its database sits on another node afterwards; every copy of a moved
// row moves (copy i of the old database to copy i of the new one). Bytes cross the network only between different
// nodes; those are the per-node in and out bytes.

#include <cstdint>
#include <string>
#include <vector>

#include "shardsim/engine/shard_homes.h"
#include "shardsim/movement/key_movement.h"
#include "shardsim/rules/shard_rule.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

struct TableMovement {
    std::string name;
    double rows = 0; // one copy, at the moment of the change
    double movedRows = 0; // one copy
    double movedBytes = 0; // every copy
    bool broadcast = false;
};

struct DataMovement {
    std::vector<TableMovement> tables; // in file order
    double rows = 0; // sharded tables, one copy
    double movedRows = 0; // sharded and broadcast tables, one copy
    double movedBytes = 0; // every copy, every table
    double movedFraction = 0; // moved rows of the sharded tables over their rows
    double optimumFraction = 0; // the least any layout must move for this change (key_movement.h), at least the nodes'
    std::vector<double> nodeOut, nodeIn; // bytes per node (index = NodeId), only between different nodes
    std::vector<double> nodeLocal; // bytes rewritten on the same node (a key that changes shard but not node)
    KeyMovement keys; // of the first sharded table's keys, for the from -> to matrix
    bool exact = true; // false when a hashed rule's huge key set was measured on evenly spaced keys
    std::string problem; // why it could not be measured (too many shards); empty when it was

    // `bytes` of one copy move from `source` to `target`.
    void addBytes(NodeId source, NodeId target, double bytes)
    {
        movedBytes += bytes;
        if (source == target) {
            nodeLocal[static_cast<size_t>(source)] += bytes;
        } else {
            nodeOut[static_cast<size_t>(source)] += bytes;
            nodeIn[static_cast<size_t>(target)] += bytes;
        }
    }
};

// The movement of the scenario's tables at time t (rows grown by then) from `from` to `to`. `nodes` is the size
// of the node arrays (all nodes that ever exist in the run). Tables' keys are 1..rows (docs/engine-model.md);
// a table bound to another moves with its parent's keys; a broadcast table gets a new copy in every new database.
DataMovement measureDataMovement(const ScenarioConfig& config, double t, const ShardHomes& from, const ShardHomes& to,
    int nodes, uint64_t routedKeyLimit);

} // namespace shardsim
