#pragma once
// The cluster as the engine sees it: nodes (name, region), which of them are members (nodes added by a later event
// exist from the start but hold nothing until they join; a removed node stays in the list, empty), the placement
// of the rule's logical databases onto the members, the copies of every database when the cluster replicates, and
// which nodes are down.
//
// Replicas: without regions, the copies of a database after its primary go to the next member nodes, round-robin
// (node p+1, p+2, ...). With regions, each further copy goes to the next region (in file order, after the
// primary's) that holds no copy yet, on that region's members in turn (a round-robin per region, so the copies of
// many databases spread over the region rather than piling on its first node); once every region holds a copy,
// the next members round-robin again. Storage counts every copy.
//
// Business databases (data.databases, a vertical split by domain): each node serves one group, and each group is
// sharded by the rule on its own members. The layout then holds groups x the rule's shards and databases: shard s
// of group g is layout shard g x S + s, on layout database g x D + databaseOf(s). Without business databases there
// is one group and the layout's shards and databases are the rule's. Placement, replicas and the members that take
// a leaving node's databases stay within the group.
//
// Serving: a database is served by its first copy on a node that is up (its primary unless the primary is down: the
// failover of docs/migration-model.md). When every copy is down the database is unavailable; its requests still
// land on the primary's node, where the simulation counts them as failed. version() changes whenever the serving
// nodes change, so traffic that caches shard -> node maps rebuilds them.

#include <span>
#include <string>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/engine/shard_homes.h"
#include "shardsim/rules/placement.h"
#include "shardsim/rules/shard_rule.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::engine {

class ClusterLayout {
public:
    // The cluster of the file at the start: nodes 1..cluster.nodes, every one a member, sharding.placement.
    static Result<ClusterLayout> create(const ScenarioConfig& config, const ShardRule& rule);

    // A cluster of `nodes` (every node the run will ever have) of which `members` hold data, with `placement`.
    // `kept` (empty: none) names, per database of `rule`, the database of `previous` whose primary node it keeps
    // while that node is still a member (-1: none; the same index when a node leaves, continuedDatabases after a
    // range split); the others go to the members with the fewest primaries (the least data moved). Down nodes of
    // `previous` stay down.
    static Result<ClusterLayout> arrange(const ScenarioConfig& config, const ShardRule& rule,
        std::vector<NodeInfo> nodes, std::vector<NodeId> members, const PlacementConfig& placement,
        const ClusterLayout* previous, const std::vector<int>& kept);

    // The same databases on the same nodes: every database keeps its index.
    static std::vector<int> keepEveryDatabase(const ShardRule& rule);

    int nodeCount() const { return static_cast<int>(m_nodes.size()); }
    const std::vector<NodeInfo>& nodes() const { return m_nodes; }
    const std::vector<NodeId>& members() const { return m_members; }
    bool isMember(NodeId node) const { return m_member[static_cast<size_t>(node)]; }
    int shardCount() const { return static_cast<int>(m_databaseOfShard.size()); }
    int databaseCount() const { return static_cast<int>(m_primary.size()); }
    int groupCount() const { return m_groups; }
    int shardsPerGroup() const { return m_ruleShards; }
    int databasesPerGroup() const { return m_ruleDatabases; }
    // The layout shard / database of the rule's shard / database in group `group`.
    int groupShard(int group, int shard) const { return group * m_ruleShards + shard; }
    int groupDatabase(int group, int database) const { return group * m_ruleDatabases + database; }
    int groupOfDatabase(int database) const { return database / m_ruleDatabases; }
    int replication() const { return m_replication; }
    int version() const { return m_version; }

    int databaseOfShard(int shard) const { return m_databaseOfShard[static_cast<size_t>(shard)]; }
    // The node serving the shard / database: its first copy on a node that is up, else its primary.
    NodeId primaryOfShard(int shard) const { return primaryOfDatabase(databaseOfShard(shard)); }
    NodeId primaryOfDatabase(int database) const { return m_serving[static_cast<size_t>(database)]; }
    // The node placed as the database's primary, up or not.
    NodeId placedPrimaryOfDatabase(int database) const { return m_primary[static_cast<size_t>(database)]; }
    bool databaseAvailable(int database) const { return !m_down[static_cast<size_t>(primaryOfDatabase(database))]; }
    // The nodes holding a copy of `database`, its primary first; replication() of them, all different.
    std::span<const NodeId> copiesOfDatabase(int database) const
    {
        return std::span<const NodeId>(m_copies).subspan(
            static_cast<size_t>(database) * static_cast<size_t>(m_replication), static_cast<size_t>(m_replication));
    }
    const std::vector<NodeId>& copies() const { return m_copies; }

    bool isDown(NodeId node) const { return m_down[static_cast<size_t>(node)]; }
    int downCount() const { return m_downCount; } // nodes down now
    // A node crashes (true) or comes back (false); the serving nodes follow.
    void setDown(NodeId node, bool down);
    // Re-replication after a failure finished: the copy of `database` on `lost` is dropped (the next copy moves up,
    // so a replica that took over as primary stays primary) and a new last copy lives on `node`.
    void replaceCopy(int database, NodeId lost, NodeId node);

private:
    void updateServing();

    std::vector<NodeInfo> m_nodes;
    std::vector<NodeId> m_members; // ascending
    std::vector<bool> m_member;
    std::vector<NodeId> m_primary; // per database
    std::vector<int> m_databaseOfShard;
    int m_replication = 1;
    std::vector<NodeId> m_copies; // replication() per database
    std::vector<bool> m_down;
    int m_downCount = 0;
    std::vector<NodeId> m_serving; // per database
    int m_version = 0;
    int m_groups = 1;
    int m_ruleShards = 0;
    int m_ruleDatabases = 0;
};

// Where the layout keeps every copy of `rule`'s databases, for measuring data movement.
ShardHomes homesOf(const ClusterLayout& layout, const ShardRule& rule);

// Whether the rule routes by the request's region (`geo`) rather than by the key.
bool isGeoRule(const ShardRule& rule);

} // namespace shardsim::engine
