#include "shardsim/rules/placement.h"

#include <fmt/format.h>
#include <map>

namespace shardsim {

Placement Placement::roundRobin(int databases, int nodes)
{
    Placement placement;
    placement.m_nodeCount = nodes;
    placement.m_method = std::to_string(nodes) + " nodes, round-robin";
    placement.m_nodeOfDatabase.reserve(static_cast<size_t>(databases));
    for (int d = 0; d < databases; ++d)
        placement.m_nodeOfDatabase.push_back(nodes > 0 ? d % nodes : 0);
    return placement;
}

Result<Placement> Placement::explicitList(std::vector<NodeId> nodeOfDatabase, int nodeCount)
{
    for (size_t d = 0; d < nodeOfDatabase.size(); ++d) {
        if (nodeOfDatabase[d] < 0 || nodeOfDatabase[d] >= nodeCount)
            return fail(fmt::format("database {} is placed on node {}, but the cluster has nodes 1..{}", d + 1,
                nodeOfDatabase[d] + 1, nodeCount));
    }
    Placement placement;
    placement.m_nodeOfDatabase = std::move(nodeOfDatabase);
    placement.m_method = "as listed";
    placement.m_nodeCount = nodeCount;
    return placement;
}

Result<Placement> Placement::byRegion(
    const std::vector<std::string>& regionOfDatabase, const std::vector<NodeInfo>& nodes)
{
    std::map<std::string, std::vector<NodeId>> nodesOfRegion;
    for (size_t n = 0; n < nodes.size(); ++n)
        nodesOfRegion[nodes[n].region].push_back(static_cast<NodeId>(n));
    std::map<std::string, size_t> nextInRegion;
    Placement placement;
    placement.m_method = "by region";
    placement.m_nodeCount = static_cast<int>(nodes.size());
    for (size_t d = 0; d < regionOfDatabase.size(); ++d) {
        const auto found = nodesOfRegion.find(regionOfDatabase[d]);
        if (found == nodesOfRegion.end())
            return fail(fmt::format("database {} belongs to region '{}', which has no nodes", d + 1, regionOfDatabase[d]));
        size_t& next = nextInRegion[regionOfDatabase[d]];
        placement.m_nodeOfDatabase.push_back(found->second[next % found->second.size()]);
        ++next;
    }
    return placement;
}

std::vector<NodeInfo> defaultNodes(int count)
{
    std::vector<NodeInfo> nodes;
    nodes.reserve(static_cast<size_t>(count));
    for (int n = 0; n < count; ++n)
        nodes.push_back({ fmt::format("node-{}", n + 1), {} });
    return nodes;
}

} // namespace shardsim
