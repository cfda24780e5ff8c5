#pragma once
// The migration under way, if any (docs/migration-model.md): its process in time, the layout it moves to or the
// copies it rebuilds, and the copy work it puts on the nodes each tick. One runs at a time.

#include <memory>
#include <vector>

#include "engine/cluster_layout.h"
#include "engine/migration_process.h"
#include "shardsim/rules/shard_rule.h"

namespace shardsim::engine {

struct RunningMigration {
    // A copy of a database rebuilt on another node after its node failed.
    struct CopyMove {
        int database = 0;
        int copy = 0;
        NodeId node = 0;
    };

    std::unique_ptr<MigrationProcess> process; // null when none runs
    ShardRulePtr targetRule; // a layout change's
    std::unique_ptr<ClusterLayout> targetCluster;
    std::vector<CopyMove> copyMoves; // a re-replication's
    NodeId reReplicated = -1; // the failed node it replaces
    double writeShare = 0; // part of the written bytes it must catch up on
    std::vector<double> background; // its work per node this tick
    bool backgroundSet = false; // the nodes carry its background work

    bool running() const { return process != nullptr; }
    // Forgets the migration; the nodes' background work is cleared at the next tick.
    void clear()
    {
        process.reset();
        targetRule.reset();
        targetCluster.reset();
        copyMoves.clear();
        reReplicated = -1;
        writeShare = 0;
    }
};

} // namespace shardsim::engine
