#pragma once
// A placement maps logical databases (see ShardRule::databaseOf) onto nodes.

#include <string>
#include <vector>

#include "shardsim/common/result.h"

namespace shardsim {

using NodeId = int;

struct NodeInfo {
    std::string name; // "node-1"
    std::string region; // empty when the cluster has no regions
    int group = 0; // business database (data.databases) whose tables the node holds; 0 without
};

class Placement {
public:
    // Database d on node d mod N.
    static Placement roundRobin(int databases, int nodes);
    // Explicit node of every database (nodes[d]); every entry must be in [0, nodeCount).
    static Result<Placement> explicitList(std::vector<NodeId> nodeOfDatabase, int nodeCount);
    // Databases spread round-robin over the nodes of their region: `regionOfDatabase[d]` names a region,
    // `nodes` gives every node's region. A region without nodes is an error.
    static Result<Placement> byRegion(const std::vector<std::string>& regionOfDatabase, const std::vector<NodeInfo>& nodes);

    int databaseCount() const { return static_cast<int>(m_nodeOfDatabase.size()); }
    int nodeCount() const { return m_nodeCount; }
    NodeId nodeOf(int database) const { return m_nodeOfDatabase[static_cast<size_t>(database)]; }
    // How the databases were placed, in words: "8 nodes, round-robin", "as listed", "by region".
    const std::string& method() const { return m_method; }
    void setMethod(std::string method) { m_method = std::move(method); }

private:
    std::vector<NodeId> m_nodeOfDatabase;
    int m_nodeCount = 0;
    std::string m_method;
};

// "node-1" ... "node-N", without regions.
std::vector<NodeInfo> defaultNodes(int count);

} // namespace shardsim
