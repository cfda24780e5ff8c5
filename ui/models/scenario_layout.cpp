#include "models/scenario_layout.h"

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
    auto placement = placementOf(config, **rule, layout.m_nodes);
    if (!placement) {
        layout.m_error = placement.error();
        return layout;
    }
    const ShardRule& shards = **rule;
    for (int shard = 0; shard < shards.shardCount(); ++shard) {
        const int database = shards.databaseOf(shard);
        if (database < 0 || database >= placement->databaseCount())
            continue;
        const NodeId node = placement->nodeOf(database);
        if (node >= 0 && node < static_cast<int>(layout.m_shardsOfNode.size()))
            layout.m_shardsOfNode[static_cast<size_t>(node)].push_back(shard);
    }
    layout.m_router.emplace(*rule, std::move(placement.value()), layout.m_nodes);
    return layout;
}

int ScenarioLayout::shardCount() const { return m_router ? m_router->rule().shardCount() : 0; }

std::string ScenarioLayout::shardName(int shard) const
{
    return m_router && shard >= 0 && shard < shardCount() ? m_router->rule().shardName(shard) : std::string();
}

const std::vector<int>& ScenarioLayout::shardsOf(int node) const
{
    static const std::vector<int> none;
    return node >= 0 && node < static_cast<int>(m_shardsOfNode.size()) ? m_shardsOfNode[static_cast<size_t>(node)]
                                                                       : none;
}

} // namespace shardsim::ui
