// Ranges that split, merge and move: an auto-range rule's ranges are the layout's shards, and after every load window
// the balancer (range_balancer.h) splits, merges and moves them; the engine then routes with the rule over the new
// bounds and places each range on its leader's node (docs/engine-model.md, "Ranges that split, merge and move").
// A new layout starts its storage at the moment it takes over, with every range's rows where the keys put them:
// no replay of the inserts before it, so a split costs O(ranges), not O(ticks).

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "engine/event_text.h"
#include "engine/simulation_state.h"
#include "shardsim/metrics/tick_windows.h"

namespace shardsim {

namespace {

    // At most `most` of `bounds`, evenly spaced over them (the first always kept), in key order.
    std::vector<int64_t> evenlyPicked(const std::vector<int64_t>& bounds, size_t most)
    {
        if (bounds.size() <= most)
            return bounds;
        std::vector<int64_t> picked;
        picked.reserve(most);
        for (size_t i = 0; i < most; ++i)
            picked.push_back(bounds[i * bounds.size() / most]);
        return picked;
    }

} // namespace

Result<bool> SimulationState::startRanges(const AutoRangeRule& rule)
{
    if (!m_config.data.databases.empty())
        return fail("sharding.rule: auto-range cuts one key space into ranges; it does not combine with "
                    "data.databases (business databases)");
    if (m_plan->heatDomain() < 0)
        return fail("sharding.rule: auto-range needs a sharded table, but every table is broadcast");
    m_ranges = std::make_unique<engine::RangeRun>();
    engine::RangeRun& ranges = *m_ranges;
    ranges.rule = std::dynamic_pointer_cast<const AutoRangeRule>(m_rule);
    ranges.domain = m_plan->heatDomain();
    AutoRangeSettings settings = rule.settings();
    settings.replicas = m_cluster->replication(); // the layout keeps cluster.replication copies of every range
    if (settings.snapshotBytesPerSecond <= 0) // no limit of the system's own: the scenario's migration bandwidth
        settings.snapshotBytesPerSecond
            = m_config.events.empty() ? EventConfig {}.migration.bandwidth : m_config.events.front().migration.bandwidth;
    ranges.windowSeconds = settings.loadWindowSeconds > 0 ? settings.loadWindowSeconds : m_config.tick;
    const auto windows = static_cast<int64_t>(std::ceil(m_config.duration / ranges.windowSeconds));
    ranges.windowsPerRow = std::max<int64_t>(1, (windows + kMaxClusterWindows - 1) / kMaxClusterWindows);

    const engine::DomainPlan& domain = m_plan->domains()[static_cast<size_t>(ranges.domain)];
    const double rows = m_plan->tables()[static_cast<size_t>(domain.table)].rowsAt(0);
    ranges.balancer = std::make_unique<engine::RangeBalancer>(settings, m_cluster->nodeCount(), m_cluster->members(),
        domain.keysAt(0), rows, static_cast<int>(rule.bounds().size()) + 1);
    engine::RangeWindowInput loaded;
    loaded.keyCount = domain.keysAt(0);
    loaded.bytesPerRow = m_plan->bytesPerRootRow(ranges.domain, 0);
    ranges.startSplits = ranges.balancer->splitLoadedTable(loaded);
    ranges.startRanges = static_cast<int>(ranges.balancer->map().size());

    for (const engine::OperationPlan& op : m_plan->operations()) {
        if (op.domain != ranges.domain || op.law < 0)
            continue;
        if ((settings.splitLoad == SplitLoad::Reads && op.write) || (settings.splitLoad == SplitLoad::Writes && !op.write))
            continue; // the system does not count these requests towards a range's load
        const auto known = std::find(ranges.laws.begin(), ranges.laws.end(), op.law);
        if (known == ranges.laws.end()) {
            ranges.laws.push_back(op.law);
            ranges.lawShares.push_back(op.fraction);
        } else {
            ranges.lawShares[static_cast<size_t>(known - ranges.laws.begin())] += op.fraction;
        }
    }
    ranges.lawVersions.assign(ranges.laws.size(), -1);
    ranges.lawDomains.assign(ranges.laws.size(), 0);
    ranges.load.laws.resize(ranges.laws.size());
    ranges.load.shares = ranges.lawShares;
    return arrangeRanges();
}

Result<bool> SimulationState::arrangeRanges()
{
    const engine::RangeBalancer& balancer = *m_ranges->balancer;
    m_rule = m_ranges->rule->withBounds(balancer.map().bounds());
    PlacementConfig placement;
    placement.kind = PlacementKind::Explicit;
    placement.nodes = balancer.leaders();
    auto arranged = engine::ClusterLayout::arrange(
        m_config, *m_rule, m_events.allNodes(m_config), balancer.members(), placement, m_cluster.get(), {});
    if (!arranged)
        return fail(arranged.error());
    m_cluster = std::make_unique<engine::ClusterLayout>(std::move(*arranged));
    for (NodeId node : m_cluster->members())
        if (static_cast<size_t>(node) < m_everMember.size())
            m_everMember[static_cast<size_t>(node)] = true;
    return true;
}

bool SimulationState::rangeEvent(const EventConfig& event, double t0)
{
    if (!m_ranges)
        return false;
    engine::RangeBalancer& balancer = *m_ranges->balancer;
    bool relayout = false;
    // failNode and recoverNode warn about a node that is not in the cluster; only a real change reaches the balancer.
    const auto known = [&](NodeId node) { return node >= 0 && node < m_cluster->nodeCount(); };
    if (event.recoverNode) {
        const bool wasDown = known(*event.recoverNode) && m_cluster->isDown(*event.recoverNode);
        recoverNode(*event.recoverNode, t0);
        if (wasDown && !m_cluster->isDown(*event.recoverNode))
            balancer.recoverNode(*event.recoverNode);
    }
    if (event.failNode) {
        const bool wasUp = known(*event.failNode) && !m_cluster->isDown(*event.failNode);
        failNode(*event.failNode, event, t0);
        if (wasUp && m_cluster->isDown(*event.failNode))
            relayout = balancer.failNode(*event.failNode) || relayout;
    }
    if (event.addNodes > 0) {
        const NodeId first = m_events.join(event.addNodes, m_config.cluster.nodes);
        for (int i = 0; i < event.addNodes; ++i)
            balancer.addNode(first + i);
        relayout = true;
    }
    if (event.removeNode) {
        const std::vector<NodeId> members = balancer.members();
        if (std::find(members.begin(), members.end(), *event.removeNode) == members.end())
            m_result.warnings.push_back(fmt::format("remove_node at {}: node-{} is not a member; ignored",
                m_config.clock().format(event.at), *event.removeNode + 1));
        else
            balancer.drainNode(*event.removeNode); // it leaves once the balancer has moved its ranges away
    }
    if (event.reshard || event.placement)
        m_result.warnings.push_back(fmt::format("event at {} ({}) was not simulated: under auto-range the balancer "
                                                "places the ranges; a reshard or placement change does not apply",
            m_config.clock().format(event.at), engine::eventText(event)));
    if (relayout) {
        m_retired.retire(*m_traffic, layoutRule(), layoutShards());
        auto arranged = arrangeRanges();
        auto routed = arranged ? buildRouting(t0) : arranged;
        if (!routed)
            m_result.warnings.push_back(fmt::format(
                "the ranges' layout at {} could not be routed: {}", m_config.clock().format(t0), routed.error()));
    }
    return true;
}

void SimulationState::runRangeMoves(const TickSpan& span, ClusterTick& cluster)
{
    engine::RangeRun& ranges = *m_ranges;
    ranges.background.assign(static_cast<size_t>(m_cluster->nodeCount()), 0.0);
    const double before = ranges.balancer->bytesMoved();
    if (ranges.balancer->advanceMoves(span.t0, span.t1, ranges.background))
        ranges.relayout = true;
    cluster.migrationBytesPerSecond
        = span.seconds() > 0 ? (ranges.balancer->bytesMoved() - before) / span.seconds() : 0;
    m_load->setBackground(ranges.background);
}

void SimulationState::endRangeTick(const TickSpan& span)
{
    engine::RangeRun& ranges = *m_ranges;
    for (double requests : m_regionRequests)
        ranges.windowRequests += requests;
    const bool lastTick = m_tick + 1 >= m_ticks;
    if (span.t1 >= ranges.windowStart + ranges.windowSeconds * (1 - 1e-9) || lastTick) {
        const double seconds = span.t1 - ranges.windowStart;
        for (size_t l = 0; l < ranges.laws.size(); ++l) {
            const engine::KeyDomain& law = *m_domains[static_cast<size_t>(ranges.laws[l])];
            if (law.serial() != ranges.lawDomains[l] || law.version() != ranges.lawVersions[l]) {
                ranges.load.laws[l] = engine::KeyMass(law.law());
                ranges.lawVersions[l] = law.version();
                ranges.lawDomains[l] = law.serial();
                ++ranges.load.version;
            }
        }
        ranges.load.requestsPerSecond = seconds > 0 ? ranges.windowRequests / seconds : 0;
        // The ranges' rows as the storage has them now: it spreads rows over the keys as the workload inserts them.
        engine::RangeMap& map = ranges.balancer->map();
        const engine::DomainPlan& domain = m_plan->domains()[static_cast<size_t>(ranges.domain)];
        const std::vector<double> rows = m_storage->shardRows(static_cast<size_t>(domain.table), span.t1);
        for (size_t i = 0; i < map.size() && i < rows.size(); ++i)
            map[i].rows = rows[i];
        engine::RangeWindowInput input;
        input.t = span.t1;
        input.keyCount = domain.keysAt(span.t1);
        input.bytesPerRow = m_plan->bytesPerRootRow(ranges.domain, span.t1);
        input.load = &ranges.load;
        const engine::RangeWindowStats stats = ranges.balancer->runWindow(input);
        if (stats.splits > 0 || stats.merges > 0 || stats.leaderTransfers > 0)
            ranges.relayout = true;

        if (ranges.windows.empty() || ranges.windowsInRow >= ranges.windowsPerRow) {
            ranges.windows.emplace_back().atS = ranges.windowStart;
            ranges.windowsInRow = 0;
        }
        RangeWindowSummary& row = ranges.windows.back();
        row.seconds = span.t1 - row.atS;
        row.ranges = stats.ranges;
        row.splits += stats.splits;
        row.merges += stats.merges;
        row.moves += stats.moves;
        row.bytesMoved += stats.bytesMoved;
        row.leaderTransfers += stats.leaderTransfers;
        row.busiestRate = std::max(row.busiestRate, stats.busiestRate);
        // O(ranges): taken at a row's first load window (a run stopped inside the row still has them) and its last,
        // not at every load window merged into it.
        if (row.nodeRanges.empty() || ranges.windowsInRow + 1 >= ranges.windowsPerRow || lastTick) {
            row.nodeRanges = ranges.balancer->rangesPerNode();
            row.bounds = evenlyPicked(map.bounds(), kMaxRangeBoundsPerWindow);
        }
        ++ranges.windowsInRow;
        ranges.windowStart = span.t1;
        ranges.windowRequests = 0;
    }
    if (!ranges.relayout || lastTick)
        return;
    ranges.relayout = false;
    m_retired.retire(*m_traffic, layoutRule(), layoutShards());
    auto arranged = arrangeRanges();
    auto routed = arranged ? buildRouting(span.t1) : arranged;
    if (!routed)
        m_result.warnings.push_back(fmt::format(
            "the ranges' layout at {} could not be routed: {}", m_config.clock().format(span.t1), routed.error()));
}

void SimulationState::fillRanges(RunResult& result) const
{
    if (!m_ranges)
        return;
    const engine::RangeRun& ranges = *m_ranges;
    const engine::RangeBalancer& balancer = *ranges.balancer;
    RangesSummary summary;
    summary.start = ranges.startRanges;
    summary.end = static_cast<int>(balancer.map().size());
    summary.splits = balancer.splits();
    summary.loadSplits = balancer.loadSplits();
    summary.merges = balancer.merges();
    summary.moves = balancer.movesDone();
    summary.bytesMoved = balancer.bytesMoved();
    summary.leaderTransfers = balancer.leaderTransfers();
    for (const engine::UnsplittableKey& key : balancer.unsplittable())
        summary.unsplittable.push_back(UnsplittableRange { static_cast<int64_t>(key.key), key.rate, key.node });
    summary.balancedAtS = balancer.balancedAt();
    const std::vector<int> perNode = balancer.rangesPerNode();
    bool any = false;
    for (NodeId node : balancer.members()) {
        if (m_cluster->isDown(node))
            continue;
        const int count = perNode[static_cast<size_t>(node)];
        summary.maxRangesPerNode = any ? std::max(summary.maxRangesPerNode, count) : count;
        summary.minRangesPerNode = any ? std::min(summary.minRangesPerNode, count) : count;
        any = true;
    }
    summary.firstLoadSplitS = balancer.firstLoadSplit();
    summary.lastLoadSplitS = balancer.lastLoadSplit();
    std::set<NodeId> spread;
    for (const engine::Range& range : balancer.map().ranges())
        if (range.fromLoadSplit)
            spread.insert(range.leader);
    summary.loadSplitNodes = static_cast<int>(spread.size());
    summary.nodeMaxQps = m_config.cluster.node.maxQps;
    summary.windows = ranges.windows;
    result.ranges = std::move(summary);
}

} // namespace shardsim
