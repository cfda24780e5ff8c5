#pragma once
// The `events` section: the timeline of changes to the cluster and the rule.

#include <optional>
#include <string>
#include <vector>

#include "shardsim/rules/placement.h"
#include "shardsim/rules/rule_spec.h"
#include "shardsim/scenario/sharding_config.h"

namespace shardsim {

struct MigrationConfig {
    double bandwidth = 100e6; // bytes/s moved between nodes while data migrates; default 100MB/s
};

// Nodes are numbered 1..N at the start in the file (node-1 .. node-N); added nodes continue the
// numbering and a removed node's number is never reused. The structs hold 0-based NodeIds.
struct EventConfig {
    double at = 0; // s since the start; required, 0..duration
    int addNodes = 0; // nodes added; default 0
    std::string addNodesRegion; // region of the added nodes; default none
    int addNodesDatabase = 0; // business database (index into data.databases) the added nodes join; required with
                              // data.databases, else 0
    std::optional<NodeId> removeNode; // leaves for good; its data migrates away
    std::optional<NodeId> failNode; // crashes: its shards are unavailable until recover_node
    std::optional<NodeId> recoverNode; // a failed node comes back
    std::optional<RuleSpec> reshard; // new rule; data moves from the old to the new layout
    std::optional<PlacementConfig> placement; // new placement of the databases onto nodes
    MigrationConfig migration; // how fast this event's data movement runs; default 100MB/s
    int line = 0; // where the event was written, for later messages
};

} // namespace shardsim
