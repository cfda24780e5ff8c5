#include "engine/cluster_layout.h"

#include <algorithm>

#include <fmt/format.h>

namespace shardsim::engine {

namespace {

    // The region of each database for a by-region placement without a list: a geo rule's shard is named after its
    // regions ("north+south"), so its first cluster region; any other database goes with the node round-robin
    // would give it.
    std::vector<std::string> derivedRegions(const ScenarioConfig& config, const ShardRule& rule,
        const std::vector<NodeInfo>& nodes, const std::vector<NodeId>& members)
    {
        const int databases = rule.databaseCount();
        std::vector<std::string> regions(static_cast<size_t>(databases));
        const bool geo = isGeoRule(rule);
        for (int d = 0; d < databases; ++d)
            regions[static_cast<size_t>(d)] = nodes[static_cast<size_t>(members[static_cast<size_t>(d) % members.size()])].region;
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

ShardHomes homesOf(const ClusterLayout& layout, const ShardRule& rule)
{
    ShardHomes homes;
    homes.rule = &rule;
    homes.replication = layout.replication();
    homes.copies = layout.copies();
    return homes;
}

Result<ClusterLayout> ClusterLayout::create(const ScenarioConfig& config, const ShardRule& rule)
{
    const int nodes = config.cluster.nodes;
    if (nodes < 1)
        return fail("cluster.nodes must be at least 1");
    std::vector<NodeInfo> infos = defaultNodes(nodes);
    const std::vector<int> databases = config.databaseOfNodes();
    std::vector<NodeId> members;
    for (int n = 0; n < nodes; ++n) {
        infos[static_cast<size_t>(n)].region = config.cluster.regionOfNode(n);
        infos[static_cast<size_t>(n)].group = databases[static_cast<size_t>(n)];
        members.push_back(n);
    }
    return arrange(config, rule, std::move(infos), std::move(members), config.sharding.placement, nullptr, {});
}

std::vector<int> ClusterLayout::keepEveryDatabase(const ShardRule& rule)
{
    std::vector<int> kept(static_cast<size_t>(rule.databaseCount()));
    for (size_t d = 0; d < kept.size(); ++d)
        kept[d] = static_cast<int>(d);
    return kept;
}

Result<ClusterLayout> ClusterLayout::arrange(const ScenarioConfig& config, const ShardRule& rule,
    std::vector<NodeInfo> nodeInfos, std::vector<NodeId> members, const PlacementConfig& placement,
    const ClusterLayout* previous, const std::vector<int>& kept)
{
    ClusterLayout layout;
    if (members.empty())
        return fail("the cluster has no nodes left");
    std::sort(members.begin(), members.end());
    layout.m_nodes = std::move(nodeInfos);
    const int nodes = static_cast<int>(layout.m_nodes.size());
    layout.m_members = members;
    layout.m_member.assign(static_cast<size_t>(nodes), false);
    for (NodeId node : members)
        layout.m_member[static_cast<size_t>(node)] = true;

    const int groups = std::max<int>(1, static_cast<int>(config.data.databases.size()));
    layout.m_groups = groups;
    layout.m_ruleShards = rule.shardCount();
    layout.m_ruleDatabases = rule.databaseCount();
    // The members of each group, ascending.
    std::vector<std::vector<NodeId>> membersOf(static_cast<size_t>(groups));
    for (NodeId node : members)
        membersOf[static_cast<size_t>(std::clamp(layout.m_nodes[static_cast<size_t>(node)].group, 0, groups - 1))]
            .push_back(node);
    for (int g = 0; g < groups; ++g) {
        if (membersOf[static_cast<size_t>(g)].empty())
            return fail(fmt::format(
                "business database '{}' has no nodes left", config.data.databases[static_cast<size_t>(g)].name));
    }
    if (groups > 1 && placement.kind != PlacementKind::RoundRobin)
        return fail("business databases place their logical databases round-robin on their own nodes");

    const int ruleDatabases = rule.databaseCount();
    const int databases = groups * ruleDatabases;
    layout.m_primary.resize(static_cast<size_t>(databases));
    switch (placement.kind) {
    case PlacementKind::RoundRobin:
        for (int d = 0; d < databases; ++d) {
            const std::vector<NodeId>& group = membersOf[static_cast<size_t>(d / ruleDatabases)];
            layout.m_primary[static_cast<size_t>(d)] = group[static_cast<size_t>(d % ruleDatabases) % group.size()];
        }
        break;
    case PlacementKind::Explicit: {
        if (static_cast<int>(placement.nodes.size()) != databases)
            return fail(fmt::format(
                "sharding.placement lists {} databases, the rule has {}", placement.nodes.size(), databases));
        for (int d = 0; d < databases; ++d) {
            const NodeId node = placement.nodes[static_cast<size_t>(d)];
            if (node < 0 || node >= nodes || !layout.m_member[static_cast<size_t>(node)])
                return fail(fmt::format("sharding.placement: database {} is placed on node-{}, which is not in the "
                                        "cluster",
                    d + 1, node + 1));
            layout.m_primary[static_cast<size_t>(d)] = node;
        }
        break;
    }
    case PlacementKind::ByRegion: {
        std::vector<NodeInfo> memberInfos;
        for (NodeId node : members)
            memberInfos.push_back(layout.m_nodes[static_cast<size_t>(node)]);
        std::vector<std::string> regions = derivedRegions(config, rule, layout.m_nodes, members);
        for (size_t d = 0; d < placement.regions.size() && d < regions.size(); ++d) {
            if (!placement.regions[d].empty())
                regions[d] = placement.regions[d];
        }
        auto byRegion = Placement::byRegion(regions, memberInfos);
        if (!byRegion)
            return fail("sharding.placement: " + byRegion.error());
        for (int d = 0; d < databases; ++d)
            layout.m_primary[static_cast<size_t>(d)] = members[static_cast<size_t>(byRegion->nodeOf(d))];
        break;
    }
    }
    if (previous && static_cast<int>(kept.size()) == ruleDatabases && previous->groupCount() == groups) {
        // Databases whose node stays keep it; the others go to the members of their group with the fewest
        // primaries.
        std::vector<int> primaries(static_cast<size_t>(nodes), 0);
        std::vector<bool> orphan(static_cast<size_t>(databases), false);
        for (int d = 0; d < databases; ++d) {
            const int keeps = kept[static_cast<size_t>(d % ruleDatabases)];
            const NodeId node = keeps < 0 || keeps >= previous->databasesPerGroup()
                ? nodes
                : previous->placedPrimaryOfDatabase(previous->groupDatabase(d / ruleDatabases, keeps));
            if (node < nodes && layout.m_member[static_cast<size_t>(node)]) {
                layout.m_primary[static_cast<size_t>(d)] = node;
                ++primaries[static_cast<size_t>(node)];
            } else {
                orphan[static_cast<size_t>(d)] = true;
            }
        }
        for (int d = 0; d < databases; ++d) {
            if (!orphan[static_cast<size_t>(d)])
                continue;
            const std::vector<NodeId>& group = membersOf[static_cast<size_t>(d / ruleDatabases)];
            NodeId best = group.front();
            for (NodeId node : group)
                if (primaries[static_cast<size_t>(node)] < primaries[static_cast<size_t>(best)])
                    best = node;
            layout.m_primary[static_cast<size_t>(d)] = best;
            ++primaries[static_cast<size_t>(best)];
        }
    }

    layout.m_databaseOfShard.resize(static_cast<size_t>(groups) * static_cast<size_t>(rule.shardCount()));
    for (int g = 0; g < groups; ++g)
        for (int shard = 0; shard < rule.shardCount(); ++shard)
            layout.m_databaseOfShard[static_cast<size_t>(layout.groupShard(g, shard))]
                = layout.groupDatabase(g, rule.databaseOf(shard));

    size_t smallestGroup = members.size();
    for (const std::vector<NodeId>& group : membersOf)
        smallestGroup = std::min(smallestGroup, group.size());
    layout.m_replication = std::clamp(config.cluster.replication, 1, static_cast<int>(smallestGroup));
    layout.m_copies.reserve(static_cast<size_t>(databases) * static_cast<size_t>(layout.m_replication));
    // The member nodes of each region in order, and the turn of each region's round-robin.
    const std::vector<RegionSpec>& regions = config.cluster.regions;
    std::vector<std::vector<NodeId>> nodesOfRegion(regions.size());
    std::vector<int> regionOfNode(static_cast<size_t>(nodes), -1);
    for (NodeId node : members) {
        for (size_t r = 0; r < regions.size(); ++r) {
            if (layout.m_nodes[static_cast<size_t>(node)].region == regions[r].name) {
                nodesOfRegion[r].push_back(node);
                regionOfNode[static_cast<size_t>(node)] = static_cast<int>(r);
            }
        }
    }
    // Each node's place among its group's members.
    std::vector<int> memberIndex(static_cast<size_t>(nodes), 0);
    for (const std::vector<NodeId>& group : membersOf)
        for (size_t i = 0; i < group.size(); ++i)
            memberIndex[static_cast<size_t>(group[i])] = static_cast<int>(i);
    std::vector<size_t> turn(regions.size(), 0);
    std::vector<bool> taken(static_cast<size_t>(nodes), false);
    for (int d = 0; d < databases; ++d) {
        const std::vector<NodeId>& group = membersOf[static_cast<size_t>(d / ruleDatabases)];
        const int groupSize = static_cast<int>(group.size());
        const NodeId primary = layout.m_primary[static_cast<size_t>(d)];
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
            if (taken[static_cast<size_t>(node)])
                continue;
            copies.push_back(node);
            taken[static_cast<size_t>(node)] = true;
            regionHasCopy[r] = true;
        }
        // Then the next members of the group round-robin.
        const int start = memberIndex[static_cast<size_t>(primary)];
        for (int step = 1; step < groupSize && static_cast<int>(copies.size()) < layout.m_replication; ++step) {
            const NodeId candidate = group[static_cast<size_t>((start + step) % groupSize)];
            if (taken[static_cast<size_t>(candidate)])
                continue;
            copies.push_back(candidate);
            taken[static_cast<size_t>(candidate)] = true;
        }
        layout.m_copies.insert(layout.m_copies.end(), copies.begin(), copies.end());
    }
    layout.m_down.assign(static_cast<size_t>(nodes), false);
    if (previous) {
        for (NodeId node = 0; node < std::min(nodes, previous->nodeCount()); ++node) {
            layout.m_down[static_cast<size_t>(node)] = previous->isDown(node);
            layout.m_downCount += previous->isDown(node) ? 1 : 0;
        }
        layout.m_version = previous->version() + 1;
    }
    layout.updateServing();
    return layout;
}

void ClusterLayout::setDown(NodeId node, bool down)
{
    m_downCount += (down ? 1 : 0) - (m_down[static_cast<size_t>(node)] ? 1 : 0);
    m_down[static_cast<size_t>(node)] = down;
    ++m_version;
    updateServing();
}

void ClusterLayout::replaceCopy(int database, NodeId lost, NodeId node)
{
    const auto first = m_copies.begin() + static_cast<std::ptrdiff_t>(database) * m_replication;
    const auto last = first + m_replication;
    const auto found = std::find(first, last, lost);
    if (found == last)
        return;
    std::rotate(found, found + 1, last);
    *(last - 1) = node;
    m_primary[static_cast<size_t>(database)] = *first;
    ++m_version;
    updateServing();
}

void ClusterLayout::updateServing()
{
    m_serving.resize(m_primary.size());
    for (int d = 0; d < databaseCount(); ++d) {
        NodeId serving = m_primary[static_cast<size_t>(d)];
        for (NodeId node : copiesOfDatabase(d)) {
            if (!m_down[static_cast<size_t>(node)]) {
                serving = node;
                break;
            }
        }
        m_serving[static_cast<size_t>(d)] = serving;
    }
}

} // namespace shardsim::engine
