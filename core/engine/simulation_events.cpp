// The events of a run: nodes joining, leaving, failing and recovering, changes of rule and placement, and the data
// migrations they start (docs/migration-model.md).

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "engine/simulation_state.h"
#include "engine/event_text.h"
#include "shardsim/common/units.h"
#include "shardsim/engine/data_movement.h"
#include "shardsim/rules/rule_factory.h"

namespace shardsim {

namespace {

    // A hashed rule's key movement is routed over at most this many evenly spaced keys of a table (exact below).
    constexpr uint64_t kRoutedKeyLimit = uint64_t(1) << 20;

    std::string nodeName(NodeId node) { return fmt::format("node-{}", node + 1); }

} // namespace

std::vector<double> SimulationState::geoShares() const
{
    std::vector<double> shares;
    if (!m_geoRule)
        return shares;
    shares.assign(static_cast<size_t>(m_rule->shardCount()), 0.0);
    const auto& regions = m_plan->regions();
    for (size_t r = 0; r < regions.size(); ++r) {
        const int shard = m_setup.shardOfRegion[r];
        if (shard >= 0)
            shares[static_cast<size_t>(shard)] += regions[r].share;
        else if (shard == engine::kRegionAnyShard)
            for (double& share : shares)
                share += regions[r].share / static_cast<double>(shares.size());
    }
    return shares;
}

Result<bool> SimulationState::buildRouting(double t)
{
    m_traffic.reset();
    m_domains.clear();
    m_setup = engine::TrafficSetup {};
    m_geoRule = engine::isGeoRule(*m_rule);
    if (!m_rangeCounter || m_countedRule != m_rule) {
        engine::CountingLimits limits;
        limits.threads = std::max(1, m_options.threads);
        limits.cancel = m_options.cancel;
        if (!m_options.countToBound) // a planner's candidate: RunOptions::countToBound
            limits.budgetKeys = limits.exactKeys = uint64_t(1) << 20;
        m_rangeCounter = std::make_unique<engine::RangeShareCounter>(*m_rule, limits);
        m_countedRule = m_rule;
    }

    KeyDistributionConfig keys = m_config.workload.keys;
    const bool trace = keys.kind == KeyDistributionKind::Trace;
    if (trace) // the trace's rows are the requests; the domains' laws only lay out the keys for heat map and storage
        keys.kind = KeyDistributionKind::Uniform;
    engine::KeyDomainSettings settings;
    settings.engine = m_engine;
    settings.headKeys = m_engine == EngineMode::Sampled ? kSampledHeadKeys : kExpectedHeadKeys;
    settings.heat = m_hasHeatMap ? &m_heatLayout : nullptr;
    settings.geoRule = m_geoRule;
    settings.counter = m_rangeCounter.get();
    auto domains = engine::makeKeyDomains(*m_plan, keys, *m_rule, settings, m_seed);
    if (!domains)
        return fail(domains.error());
    m_domains = std::move(*domains);

    buildRegions();
    m_setup.plan = m_plan.get();
    m_setup.cluster = m_cluster.get();
    m_setup.rule = m_rule.get();
    for (const auto& domain : m_domains)
        m_setup.domains.push_back(domain.get());
    m_setup.geoRule = m_geoRule;
    m_setup.heatBuckets = m_hasHeatMap ? m_heatLayout.buckets() : 0;
    m_setup.seed = m_seed;
    m_setup.threads = std::max(1, m_options.threads);
    m_setup.cancel = m_options.cancel;
    m_setup.cost = m_config.workload.cost;
    m_setup.readFrom = m_config.cluster.readFrom;
    buildSticky();
    if (trace) {
        engine::TraceReplay replay;
        replay.file = keys.resolvedFile.empty() ? keys.file : keys.resolvedFile;
        replay.mix = m_config.workload.mix;
        replay.tickSeconds = m_config.tick;
        replay.duration = m_config.duration;
        replay.heat = m_hasHeatMap ? &m_heatLayout : nullptr;
        auto traffic = engine::TraceTraffic::create(m_setup, replay, m_result.warnings);
        if (!traffic)
            return fail(traffic.error());
        m_trace = traffic->get();
        m_traffic = std::move(traffic).value();
    } else {
        m_traffic = m_engine == EngineMode::Sampled ? engine::makeSampledTraffic(m_setup)
                                                    : engine::makeExpectedTraffic(m_setup);
    }

    if (m_ranges) { // the ranges' storage starts where their rows are at t (simulation_ranges.cpp)
        m_storage = std::make_unique<engine::StorageModel>(*m_plan, *m_cluster, *m_rangeCounter, geoShares(), t);
        return true;
    }
    m_storage = std::make_unique<engine::StorageModel>(*m_plan, *m_cluster, *m_rangeCounter, geoShares());
    // Rows inserted before t went where the new layout puts them: catch the storage up tick by tick.
    for (int64_t tick = 0; static_cast<double>(tick) * m_config.tick < t; ++tick) {
        const double t0 = static_cast<double>(tick) * m_config.tick;
        m_storage->advance(t0, std::min(t, t0 + m_config.tick));
    }
    return true;
}

void SimulationState::applyEvents(double t0)
{
    if (m_migration.running() && m_migration.process->readyForCutover(t0))
        cutover(t0);
    EventConfig event;
    while (m_events.popDue(t0, event)) {
        if (rangeEvent(event, t0))
            continue;
        if (event.recoverNode)
            recoverNode(*event.recoverNode, t0);
        if (event.failNode)
            failNode(*event.failNode, event, t0);
        if (engine::changesLayout(event) && !m_trace)
            m_events.wait(event);
    }
    // Migrations run one at a time: the next waits for the running one's cutover.
    while (!m_migration.running() && m_events.popWaiting(event)) {
        if (event.failNode && !engine::changesLayout(event)) { // a queued re-replication
            if (m_cluster->isDown(*event.failNode))
                startReReplication(*event.failNode, event.migration.bandwidth, t0);
            continue;
        }
        applyLayoutChange(event, t0);
    }
}

void SimulationState::failNode(NodeId node, const EventConfig& event, double t0)
{
    if (node >= m_cluster->nodeCount() || !m_cluster->isMember(node) || m_cluster->isDown(node)) {
        m_result.warnings.push_back(fmt::format("fail_node at {}: {} is not an up node of the cluster; ignored",
            m_config.clock().format(event.at), nodeName(node)));
        return;
    }
    std::vector<int> served;
    for (int d = 0; d < m_cluster->databaseCount(); ++d)
        if (m_cluster->primaryOfDatabase(d) == node)
            served.push_back(d);
    m_cluster->setDown(node, true);
    if (m_migration.targetCluster)
        m_migration.targetCluster->setDown(node, true);
    recordFailover(node, served, t0);
    if (m_cluster->replication() < 2 || m_ranges)
        return; // under auto-range the balancer rebuilds the copies, range by range
    // Its copies are rebuilt elsewhere: a migration too, queued behind a running one.
    EventConfig reReplication;
    reReplication.at = t0;
    reReplication.failNode = node;
    reReplication.migration = event.migration;
    m_events.wait(reReplication);
}

void SimulationState::recoverNode(NodeId node, double t0)
{
    if (node >= m_cluster->nodeCount() || !m_cluster->isDown(node)) {
        m_result.warnings.push_back(
            fmt::format("recover_node at {}: {} is not down; ignored", m_config.clock().format(t0), nodeName(node)));
        return;
    }
    m_cluster->setDown(node, false);
    if (m_migration.targetCluster)
        m_migration.targetCluster->setDown(node, false);
    for (auto open = m_openFailovers.begin(); open != m_openFailovers.end(); ++open) {
        if (m_result.failovers[*open].node == node) {
            m_result.failovers[*open].recoveredAtS = t0;
            m_openFailovers.erase(open);
            break;
        }
    }
    if (m_migration.running() && m_migration.reReplicated == node) {
        // The node's copies are back: rebuilding them elsewhere stops where it got.
        m_migration.copyMoves.clear();
        endMigration(false, t0);
    }
}

void SimulationState::recordFailover(NodeId node, const std::vector<int>& served, double t0)
{
    FailoverSummary failover;
    failover.node = node;
    failover.atS = t0;
    // The takeover node is the one now serving most of the databases the failed node served (the lowest on a tie).
    std::vector<int> taken(static_cast<size_t>(m_cluster->nodeCount()), 0);
    for (int database : served) {
        if (m_cluster->databaseAvailable(database)) {
            ++taken[static_cast<size_t>(m_cluster->primaryOfDatabase(database))];
            ++failover.databasesTakenOver;
        } else {
            ++failover.databasesLost;
        }
    }
    const auto most = std::max_element(taken.begin(), taken.end());
    if (most != taken.end() && *most > 0)
        failover.takeoverNode = static_cast<int>(most - taken.begin());
    m_openFailovers.push_back(m_result.failovers.size());
    m_result.failovers.push_back(failover);
}

void SimulationState::trackFailovers(double t0, double shed, double failed)
{
    const std::span<const double> utilization = m_load->utilization();
    for (size_t open : m_openFailovers) {
        FailoverSummary& failover = m_result.failovers[open];
        failover.shedRequests += shed;
        failover.failedRequests += failed;
        if (failover.takeoverNode < 0 || static_cast<size_t>(failover.takeoverNode) >= utilization.size())
            continue;
        const double load = utilization[static_cast<size_t>(failover.takeoverNode)];
        if (load > failover.takeoverPeakUtilization) {
            failover.takeoverPeakUtilization = load;
            failover.takeoverPeakAtS = t0;
        }
    }
}

void SimulationState::startReReplication(NodeId node, double bandwidth, double t0)
{
    // Bytes of one copy of every database at t0.
    const int databases = m_cluster->databaseCount();
    std::vector<double> databaseBytes(static_cast<size_t>(databases), 0.0);
    std::vector<double> databaseRows(static_cast<size_t>(databases), 0.0);
    double shardedRows = 0;
    for (size_t t = 0; t < m_plan->tables().size(); ++t) {
        const engine::TablePlan& table = m_plan->tables()[t];
        if (table.domain < 0) {
            for (int d = 0; d < m_cluster->databasesPerGroup(); ++d) {
                const auto database = static_cast<size_t>(m_cluster->groupDatabase(table.group, d));
                databaseBytes[database] += table.rowsAt(t0) * table.rowSize;
                databaseRows[database] += table.rowsAt(t0);
            }
            continue;
        }
        const std::vector<double> rows = m_storage->shardRows(t, t0);
        for (size_t s = 0; s < rows.size(); ++s) {
            const auto d = static_cast<size_t>(
                m_cluster->databaseOfShard(m_cluster->groupShard(table.group, static_cast<int>(s))));
            databaseBytes[d] += rows[s] * table.rowSize;
            databaseRows[d] += rows[s];
            shardedRows += rows[s];
        }
    }
    const auto nodes = static_cast<size_t>(m_cluster->nodeCount());
    std::vector<double> out(nodes, 0.0), in(nodes, 0.0);
    MigrationSummary summary;
    summary.event = "re-replication of " + nodeName(node);
    summary.kind = "re-replication";
    summary.bandwidth = bandwidth;
    const std::vector<NodeId>& members = m_cluster->members();
    const auto start = std::find(members.begin(), members.end(), node) - members.begin();
    for (int d = 0; d < databases; ++d) {
        const auto copies = m_cluster->copiesOfDatabase(d);
        for (int i = 0; i < static_cast<int>(copies.size()); ++i) {
            if (copies[static_cast<size_t>(i)] != node)
                continue;
            const NodeId source = m_cluster->primaryOfDatabase(d);
            if (m_cluster->isDown(source))
                continue; // no copy left to copy from
            // The next member up, of the same business database, without a copy.
            NodeId target = -1;
            const int group = m_cluster->nodes()[static_cast<size_t>(node)].group;
            for (size_t step = 1; step < members.size() && target < 0; ++step) {
                const NodeId candidate = members[(static_cast<size_t>(start) + step) % members.size()];
                if (!m_cluster->isDown(candidate) && m_cluster->nodes()[static_cast<size_t>(candidate)].group == group
                    && std::find(copies.begin(), copies.end(), candidate) == copies.end())
                    target = candidate;
            }
            if (target < 0)
                continue;
            m_migration.copyMoves.push_back(engine::RunningMigration::CopyMove { d, i, target });
            const double bytes = databaseBytes[static_cast<size_t>(d)];
            out[static_cast<size_t>(source)] += bytes;
            in[static_cast<size_t>(target)] += bytes;
            summary.movedBytes += bytes;
            summary.movedRows += databaseRows[static_cast<size_t>(d)];
        }
    }
    if (m_migration.copyMoves.empty()) {
        m_result.warnings.push_back(fmt::format("{} failed at {}: no node is free to take its copies, so they are "
                                                "not rebuilt",
            nodeName(node), m_config.clock().format(t0)));
        return;
    }
    summary.movedFraction = shardedRows > 0 ? std::min(1.0, summary.movedRows / shardedRows) : 0;
    summary.optimumFraction = summary.movedFraction; // every lost copy must be rebuilt, nothing else
    summary.nodeOutBytes = out;
    summary.nodeInBytes = in;
    m_migration.reReplicated = node;
    m_migration.writeShare = summary.movedFraction;
    m_migration.process = std::make_unique<engine::MigrationProcess>(
        std::move(summary), t0, std::move(out), std::move(in), m_config.cluster.node.maxQps);
}

std::vector<int> SimulationState::keptDatabases(
    const EventConfig& event, const ShardRule& rule, const PlacementConfig& placement) const
{
    // A leaving node's databases move, the others stay where they are.
    if (event.removeNode && !event.placement && !event.reshard)
        return engine::ClusterLayout::keepEveryDatabase(rule);
    // A range split renumbers the ranges after it; placed by index they would all move, so they keep their nodes.
    if (event.reshard && !event.placement && placement.kind == PlacementKind::RoundRobin)
        return databasesKeptInPlace(*m_rule, rule);
    return {};
}

void SimulationState::applyLayoutChange(const EventConfig& event, double t0)
{
    const std::string what = engine::eventText(event, true);
    std::vector<NodeId> members = m_cluster->members();
    const NodeId firstNew = m_events.join(event.addNodes, m_config.cluster.nodes);
    for (int i = 0; i < event.addNodes; ++i)
        members.push_back(firstNew + i);
    if (event.removeNode)
        members.erase(std::remove(members.begin(), members.end(), *event.removeNode), members.end());

    ShardRulePtr rule = m_rule;
    if (event.reshard) {
        auto made = makeRule(*event.reshard, RuleContext { m_config.baseDirectory });
        if (!made) {
            m_result.warnings.push_back(fmt::format("event at {} ({}) was not simulated: reshard: {}",
                m_config.clock().format(event.at), what, made.error()));
            return;
        }
        rule = *made;
    }
    PlacementConfig placement = event.placement ? *event.placement : m_config.sharding.placement;
    auto arranged = engine::ClusterLayout::arrange(
        m_config, *rule, m_events.allNodes(m_config), members, placement, m_cluster.get(), keptDatabases(event, *rule, placement));
    if (!arranged && placement.kind != PlacementKind::RoundRobin) {
        m_result.warnings.push_back(fmt::format("event at {} ({}): {}; the databases are placed round-robin instead",
            m_config.clock().format(event.at), what, arranged.error()));
        placement = PlacementConfig {};
        arranged = engine::ClusterLayout::arrange(
            m_config, *rule, m_events.allNodes(m_config), members, placement, m_cluster.get(), keptDatabases(event, *rule, placement));
    }
    if (!arranged) {
        m_result.warnings.push_back(fmt::format(
            "event at {} ({}) was not simulated: {}", m_config.clock().format(event.at), what, arranged.error()));
        return;
    }
    m_config.sharding.placement = placement;
    if (event.addNodes > 0) {
        bool used = false;
        for (NodeId node : arranged->copies())
            used = used || node >= firstNew;
        if (!used)
            m_result.warnings.push_back(fmt::format("event at {} ({}): the new nodes hold no data: {} has {} "
                                                    "databases, all still placed on the old nodes; reshard or change "
                                                    "the placement to use them",
                m_config.clock().format(event.at), what, rule->spec(), rule->databaseCount()));
    }
    const DataMovement data = measureDataMovement(m_config, t0, engine::homesOf(*m_cluster, *m_rule),
        engine::homesOf(*arranged, *rule), m_cluster->nodeCount(), kRoutedKeyLimit);
    if (!data.problem.empty()) {
        m_result.warnings.push_back(fmt::format(
            "event at {} ({}) was not simulated: {}", m_config.clock().format(event.at), what, data.problem));
        return;
    }
    MigrationSummary summary;
    summary.event = what;
    summary.kind = "layout";
    summary.bandwidth = event.migration.bandwidth;
    summary.movedFraction = data.movedFraction;
    summary.optimumFraction = data.optimumFraction;
    summary.movedRows = data.movedRows;
    summary.movedBytes = data.movedBytes;
    summary.exact = data.exact;
    summary.nodeOutBytes = data.nodeOut;
    summary.nodeInBytes = data.nodeIn;
    std::vector<double> reads = data.nodeOut;
    std::vector<double> writes = data.nodeIn;
    for (size_t n = 0; n < reads.size(); ++n) {
        reads[n] += data.nodeLocal[n];
        writes[n] += data.nodeLocal[n];
    }
    m_migration.targetRule = rule;
    m_migration.targetCluster = std::make_unique<engine::ClusterLayout>(std::move(*arranged));
    m_migration.writeShare = data.movedFraction * m_migration.targetCluster->replication();
    m_migration.process = std::make_unique<engine::MigrationProcess>(
        std::move(summary), t0, std::move(reads), std::move(writes), m_config.cluster.node.maxQps);
    if (data.movedBytes <= 0)
        cutover(t0); // nothing to copy: the new layout takes over at once
}

void SimulationState::cutover(double t0)
{
    m_retired.retire(*m_traffic, m_rule->spec(), layoutShards());
    if (m_migration.targetCluster) {
        m_rule = m_migration.targetRule;
        m_cluster = std::move(m_migration.targetCluster);
        for (NodeId node : m_cluster->members())
            m_everMember[static_cast<size_t>(node)] = true;
        m_failures.resetDatabases(m_cluster->databaseCount());
    }
    for (const engine::RunningMigration::CopyMove& move : m_migration.copyMoves)
        m_cluster->replaceCopy(move.database, m_migration.reReplicated, move.node);
    auto rebuilt = buildRouting(t0);
    if (!rebuilt)
        m_result.warnings.push_back(fmt::format("the layout after the migration at {} could not be routed: {}",
            m_config.clock().format(m_migration.process->summary().atS), rebuilt.error()));
    endMigration(true, t0);
}

void SimulationState::endMigration(bool finished, double t)
{
    m_result.migrations.push_back(m_migration.process->finish(finished, t));
    const MigrationSummary& summary = m_result.migrations.back();
    if (!finished && summary.kind == "layout")
        m_result.warnings.push_back(fmt::format("the migration started at {} ({}) had not cut over when the run ended; "
                                                "reads and writes stayed on the old layout",
            m_config.clock().format(summary.atS), summary.event));
    m_migration.clear();
}

double SimulationState::writeBytesPerSecond(const TickSpan& span) const
{
    double requests = 0;
    for (double region : m_regionRequests)
        requests += region;
    double bytesPerRequest = 0;
    for (const engine::OperationPlan& op : m_plan->operations())
        if (op.write)
            bytesPerRequest += op.fraction * m_plan->tables()[static_cast<size_t>(op.table)].rowSize;
    return span.t1 > span.t0 ? requests * bytesPerRequest / (span.t1 - span.t0) : 0;
}

void SimulationState::runMigration(const TickSpan& span, ClusterTick& cluster)
{
    if (m_ranges) {
        runRangeMoves(span, cluster);
        return;
    }
    // Without a migration the nodes' background work stays zero: only the tick after one ends clears it.
    if (!m_migration.running() && !m_migration.backgroundSet)
        return;
    std::fill(m_migration.background.begin(), m_migration.background.end(), 0.0);
    if (m_migration.running()) {
        const double written = writeBytesPerSecond(span) * m_migration.writeShare;
        const double bytes = m_migration.process->advance(span.t0, span.t1, written, m_migration.background);
        cluster.migrationBytesPerSecond = span.t1 > span.t0 ? bytes / (span.t1 - span.t0) : 0;
    }
    m_load->setBackground(m_migration.background);
    m_migration.backgroundSet = m_migration.running();
}

} // namespace shardsim
