#pragma once
// The cluster as the engine sees it: nodes (name, region), the placement of the rule's logical databases onto
// them, and the copies of every database when the cluster replicates.
//
// Replicas: without regions, the copies of a database after its primary go to the next nodes, round-robin
// (node p+1, p+2, ...). With regions, each further copy goes to the next region (in file order, after the
// primary's) that holds no copy yet, on that region's nodes in turn (a round-robin per region, so the copies of
// many databases spread over the region rather than piling on its first node); once every region holds a copy,
// the next nodes round-robin again. All reads and writes go to the primary (failover and replica reads come with
// the events of a later version); storage counts every copy.

#include <span>
#include <string>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/rules/placement.h"
#include "shardsim/rules/shard_rule.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::engine {

class ClusterLayout {
public:
    static Result<ClusterLayout> create(const ScenarioConfig& config, const ShardRule& rule);

    int nodeCount() const { return static_cast<int>(m_nodes.size()); }
    const std::vector<NodeInfo>& nodes() const { return m_nodes; }
    int shardCount() const { return static_cast<int>(m_databaseOfShard.size()); }
    int databaseCount() const { return m_placement.databaseCount(); }
    int replication() const { return m_replication; }

    int databaseOfShard(int shard) const { return m_databaseOfShard[static_cast<size_t>(shard)]; }
    NodeId primaryOfShard(int shard) const { return m_placement.nodeOf(databaseOfShard(shard)); }
    NodeId primaryOfDatabase(int database) const { return m_placement.nodeOf(database); }
    // The nodes holding a copy of `database`, its primary first; replication() of them, all different.
    std::span<const NodeId> copiesOfDatabase(int database) const
    {
        return std::span<const NodeId>(m_copies).subspan(
            static_cast<size_t>(database) * static_cast<size_t>(m_replication), static_cast<size_t>(m_replication));
    }

private:
    std::vector<NodeInfo> m_nodes;
    Placement m_placement;
    std::vector<int> m_databaseOfShard;
    int m_replication = 1;
    std::vector<NodeId> m_copies; // replication() per database
};

// Whether the rule routes by the request's region (`geo`) rather than by the key.
bool isGeoRule(const ShardRule& rule);

} // namespace shardsim::engine
