#pragma once
// The `sharding` section: the rule, where its logical databases live, how non-key lookups are served.

#include <map>
#include <string>
#include <vector>

#include "shardsim/rules/placement.h"
#include "shardsim/rules/rule_spec.h"

namespace shardsim {

enum class PlacementKind {
    RoundRobin, // database d on node d mod N (default)
    Explicit, // the node of every database listed
    ByRegion, // databases spread over the nodes of their region
};

struct PlacementConfig {
    PlacementKind kind = PlacementKind::RoundRobin; // default round-robin
    std::vector<NodeId> nodes; // Explicit: 0-based node of database d (the file writes 1-based or "node-N")
    // ByRegion: the region of database d when listed; empty means the rule's own regions decide.
    std::vector<std::string> regions;
};

enum class LookupKind {
    None, // a query by the column goes to every shard (default for an undeclared lookup)
    MappingTable, // an extra lookup in a column -> key table, then one shard
    Gene, // f(column) is embedded in the key's low bits, so both route to the same shard
};

struct ShardingConfig {
    RuleSpec rule; // required; inline `db-table:dbs=8,tables=10` or `{ name: range, bounds: [10M, 20M] }`
    PlacementConfig placement; // default round-robin
    std::map<std::string, LookupKind> lookup; // column -> how a query by it finds its shard; default empty
};

} // namespace shardsim
