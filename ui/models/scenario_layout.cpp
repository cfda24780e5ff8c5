#include "models/scenario_layout.h"

#include <algorithm>

#include <fmt/format.h>

namespace shardsim::ui {

namespace {
    Result<Placement> placementOf(
        const ScenarioConfig& config, const ShardRule& rule, const std::vector<NodeInfo>& nodes)
    {
        const PlacementConfig& placement = config.sharding.placement;
        const int databases = rule.databaseCount();
        switch (placement.kind) {
        case PlacementKind::Explicit:
            return Placement::explicitList(placement.nodes, static_cast<int>(nodes.size()));
        case PlacementKind::ByRegion:
            // Without a region per database the rule itself decides (a geo rule); round-robin then
            // shows the same number of shards per node, which is what the picture needs.
            if (static_cast<int>(placement.regions.size()) == databases)
                return Placement::byRegion(placement.regions, nodes);
            return Placement::roundRobin(databases, static_cast<int>(nodes.size()));
        case PlacementKind::RoundRobin:
            break;
        }
        return Placement::roundRobin(databases, static_cast<int>(nodes.size()));
    }

    // Business database `group`'s logical databases round-robin on its own starting nodes.
    Result<Placement> groupPlacement(
        int databases, const std::vector<int>& databaseOfNode, int group, const std::string& name, int nodeCount)
    {
        std::vector<NodeId> members;
        for (int n = 0; n < nodeCount && n < static_cast<int>(databaseOfNode.size()); ++n)
            if (databaseOfNode[static_cast<size_t>(n)] == group)
                members.push_back(n);
        if (members.empty())
            return fail(fmt::format("business database '{}' has no nodes", name));
        std::vector<NodeId> nodeOf;
        for (int d = 0; d < databases; ++d)
            nodeOf.push_back(members[static_cast<size_t>(d) % members.size()]);
        auto placement = Placement::explicitList(std::move(nodeOf), nodeCount);
        if (placement)
            placement->setMethod(fmt::format("round-robin on {}'s {} nodes", name, members.size()));
        return placement;
    }
}

ScenarioLayout ScenarioLayout::fromConfig(const ScenarioConfig& config)
{
    ScenarioLayout layout;
    for (int i = 0; i < config.cluster.nodes; ++i)
        layout.m_nodes.push_back(NodeInfo { "node-" + std::to_string(i + 1), config.cluster.regionOfNode(i) });
    layout.m_shardsOfNode.resize(layout.m_nodes.size());

    RuleContext context;
    context.baseDirectory = config.baseDirectory;
    auto rule = makeRule(config.sharding.rule, context);
    if (!rule) {
        layout.m_error = rule.error();
        return layout;
    }
    const ShardRule& shards = **rule;
    const auto nodeCount = static_cast<int>(layout.m_nodes.size());
    for (const BusinessDatabase& database : config.data.databases)
        layout.m_groupNames.push_back(database.name);
    const std::vector<int> databaseOfNode = config.databaseOfNodes();
    const size_t groups = std::max<size_t>(1, layout.m_groupNames.size());
    for (size_t g = 0; g < groups; ++g) {
        auto placement = layout.m_groupNames.empty()
            ? placementOf(config, shards, layout.m_nodes)
            : groupPlacement(shards.databaseCount(), databaseOfNode, static_cast<int>(g), layout.m_groupNames[g],
                  nodeCount);
        if (!placement) {
            layout.m_error = placement.error();
            layout.m_routers.clear();
            return layout;
        }
        for (int shard = 0; shard < shards.shardCount(); ++shard) {
            const int database = shards.databaseOf(shard);
            if (database < 0 || database >= placement->databaseCount())
                continue;
            const NodeId node = placement->nodeOf(database);
            if (node >= 0 && node < nodeCount)
                layout.m_shardsOfNode[static_cast<size_t>(node)].push_back(
                    static_cast<int>(g) * shards.shardCount() + shard);
        }
        layout.m_routers.emplace_back(*rule, std::move(placement.value()), layout.m_nodes);
    }
    return layout;
}

int ScenarioLayout::shardCount() const
{
    return valid() ? static_cast<int>(m_routers.size()) * m_routers.front().rule().shardCount() : 0;
}

std::string ScenarioLayout::shardName(int shard) const
{
    if (shard < 0 || shard >= shardCount())
        return {};
    const int perGroup = m_routers.front().rule().shardCount();
    const std::string name = m_routers.front().rule().shardName(shard % perGroup);
    return m_groupNames.empty() ? name : m_groupNames[static_cast<size_t>(shard / perGroup)] + "/" + name;
}

const std::vector<int>& ScenarioLayout::shardsOf(int node) const
{
    static const std::vector<int> none;
    return node >= 0 && node < static_cast<int>(m_shardsOfNode.size()) ? m_shardsOfNode[static_cast<size_t>(node)]
                                                                       : none;
}

} // namespace shardsim::ui
