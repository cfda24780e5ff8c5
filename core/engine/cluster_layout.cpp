#include "engine/cluster_layout.h"

#include <algorithm>

#include <fmt/format.h>

namespace shardsim::engine {

namespace {

    // The region of each database for a by-region placement without a list: a geo rule's shard is named after its
    // regions ("north+south"), so its first cluster region; any other database goes with the node round-robin
    // would give it.
    std::vector<std::string> derivedRegions(const ScenarioConfig& config, const ShardRule& rule)
    {
        const int databases = rule.databaseCount();
        std::vector<std::string> regions(static_cast<size_t>(databases));
        const bool geo = isGeoRule(rule);
        for (int d = 0; d < databases; ++d)
            regions[static_cast<size_t>(d)] = config.cluster.regionOfNode(d % config.cluster.nodes);
        if (!geo)
            return regions;
        for (int shard = 0; shard < rule.shardCount(); ++shard) {
            const std::string name = rule.shardName(shard);
            size_t from = 0;
            while (from <= name.size()) {
                const size_t plus = std::min(name.find('+', from), name.size());
                const std::string part = name.substr(from, plus - from);
                const bool known = std::any_of(config.cluster.regions.begin(), config.cluster.regions.end(),
                    [&](const RegionSpec& region) { return region.name == part; });
                if (known) {
                    regions[static_cast<size_t>(rule.databaseOf(shard))] = part;
                    break;
                }
                from = plus + 1;
            }
        }
        return regions;
    }

} // namespace

bool isGeoRule(const ShardRule& rule) { return rule.spec().rfind("geo:", 0) == 0; }

Result<ClusterLayout> ClusterLayout::create(const ScenarioConfig& config, const ShardRule& rule)
{
    ClusterLayout layout;
    const int nodes = config.cluster.nodes;
    if (nodes < 1)
        return fail("cluster.nodes must be at least 1");
    layout.m_nodes = defaultNodes(nodes);
    for (int n = 0; n < nodes; ++n)
        layout.m_nodes[static_cast<size_t>(n)].region = config.cluster.regionOfNode(n);

    const int databases = rule.databaseCount();
    const PlacementConfig& placement = config.sharding.placement;
    switch (placement.kind) {
    case PlacementKind::RoundRobin:
        layout.m_placement = Placement::roundRobin(databases, nodes);
        break;
    case PlacementKind::Explicit: {
        if (static_cast<int>(placement.nodes.size()) != databases)
            return fail(fmt::format(
                "sharding.placement lists {} databases, the rule has {}", placement.nodes.size(), databases));
        auto explicitPlacement = Placement::explicitList(placement.nodes, nodes);
        if (!explicitPlacement)
            return fail("sharding.placement: " + explicitPlacement.error());
        layout.m_placement = std::move(*explicitPlacement);
        break;
    }
    case PlacementKind::ByRegion: {
        std::vector<std::string> regions = derivedRegions(config, rule);
        for (size_t d = 0; d < placement.regions.size() && d < regions.size(); ++d) {
            if (!placement.regions[d].empty())
                regions[d] = placement.regions[d];
        }
        auto byRegion = Placement::byRegion(regions, layout.m_nodes);
        if (!byRegion)
            return fail("sharding.placement: " + byRegion.error());
        layout.m_placement = std::move(*byRegion);
        break;
    }
    }

    layout.m_databaseOfShard.resize(static_cast<size_t>(rule.shardCount()));
    for (int shard = 0; shard < rule.shardCount(); ++shard)
        layout.m_databaseOfShard[static_cast<size_t>(shard)] = rule.databaseOf(shard);

    layout.m_replication = std::clamp(config.cluster.replication, 1, nodes);
    layout.m_copies.reserve(static_cast<size_t>(databases) * static_cast<size_t>(layout.m_replication));
    // The nodes of each region in order, and the turn of each region's round-robin.
    const std::vector<RegionSpec>& regions = config.cluster.regions;
    std::vector<std::vector<NodeId>> nodesOfRegion(regions.size());
    for (size_t r = 0, first = 0; r < regions.size(); first += static_cast<size_t>(regions[r].nodes), ++r) {
        for (int i = 0; i < regions[r].nodes; ++i)
            nodesOfRegion[r].push_back(static_cast<NodeId>(first) + i);
    }
    std::vector<size_t> turn(regions.size(), 0);
    std::vector<int> regionOfNode(static_cast<size_t>(nodes), -1);
    for (size_t r = 0; r < nodesOfRegion.size(); ++r) {
        for (NodeId node : nodesOfRegion[r])
            regionOfNode[static_cast<size_t>(node)] = static_cast<int>(r);
    }
    std::vector<bool> taken(static_cast<size_t>(nodes), false);
    for (int d = 0; d < databases; ++d) {
        const NodeId primary = layout.m_placement.nodeOf(d);
        std::vector<NodeId> copies { primary };
        std::vector<bool> regionHasCopy(regions.size(), false);
        std::fill(taken.begin(), taken.end(), false);
        taken[static_cast<size_t>(primary)] = true;
        const int primaryRegion = regionOfNode[static_cast<size_t>(primary)];
        if (primaryRegion >= 0)
            regionHasCopy[static_cast<size_t>(primaryRegion)] = true;
        // Regions without a copy, in file order after the primary's.
        for (size_t step = 1; step <= regions.size() && static_cast<int>(copies.size()) < layout.m_replication;
             ++step) {
            const size_t r = (static_cast<size_t>(std::max(primaryRegion, 0)) + step) % regions.size();
            if (regionHasCopy[r] || nodesOfRegion[r].empty())
                continue;
            const NodeId node = nodesOfRegion[r][turn[r]++ % nodesOfRegion[r].size()];
            copies.push_back(node);
            taken[static_cast<size_t>(node)] = true;
            regionHasCopy[r] = true;
        }
        // Then the next nodes round-robin.
        for (int step = 1; step < nodes && static_cast<int>(copies.size()) < layout.m_replication; ++step) {
            const NodeId candidate = (primary + step) % nodes;
            if (taken[static_cast<size_t>(candidate)])
                continue;
            copies.push_back(candidate);
            taken[static_cast<size_t>(candidate)] = true;
        }
        layout.m_copies.insert(layout.m_copies.end(), copies.begin(), copies.end());
    }
    return layout;
}

} // namespace shardsim::engine
