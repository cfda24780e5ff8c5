#include "engine/simulation_state.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "queries/query_shape.h"
#include "engine/event_text.h"
#include "shardsim/planner/cluster_cost.h"
#include "shardsim/common/units.h"
#include "shardsim/report/expectations.h"
#include "shardsim/report/idle_nodes.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/workload/random_streams.h"

namespace shardsim {

namespace {

    // `auto` simulates individual requests up to this many over the run, expected shares beyond.
    constexpr double kAutoSampledRequests = 1e7;
    constexpr int64_t kDefaultHeatTimeBuckets = 2'000;
    constexpr double kPageBytes = 16'384; // InnoDB's default page: what rows per page are counted against

    const char* kindName(OperationKind kind)
    {
        constexpr const char* kNames[] = { "point", "page", "transaction", "scan", "aggregate", "join", "insert" };
        return kNames[static_cast<size_t>(kind)];
    }

    QuerySummary querySummary(const engine::OperationPlan& op, const engine::QueryTotals& totals)
    {
        QuerySummary out;
        out.op = op.name;
        out.kind = kindName(op.query.kind);
        out.calls = totals.calls;
        out.shardRequests = totals.shardRequests;
        const double calls = totals.calls > 0 ? totals.calls : 1;
        out.meanFanout = totals.fanout / calls;
        out.rowsReadPerCall = totals.rows / calls;
        out.extraLookupsPerCall = totals.lookups / calls;
        out.crossShardFraction = totals.crossShard / calls;
        out.extraRoundTripsPerCall = totals.roundTrips / calls;
        out.amplification = totals.shardRequests / calls;
        if (totals.perCallSet && totals.perCallConstant) {
            out.meanFanout = totals.perCall.fanout;
            out.rowsReadPerCall = totals.perCall.rows;
            out.extraLookupsPerCall = totals.perCall.lookups;
            out.crossShardFraction = totals.perCall.crossShard;
            out.amplification = totals.perCall.shardRequests;
        }
        out.fanoutHistogram = totals.histogram;
        // Mass below one part in 10^9 of the calls is rounding in the expected engine's histogram, not a fan-out.
        for (size_t d = 0; d < out.fanoutHistogram.size(); ++d) {
            if (out.fanoutHistogram[d] > 1e-9 * calls)
                out.maxFanout = static_cast<int>(d);
        }
        out.fanoutHistogram.resize(static_cast<size_t>(out.maxFanout) + 1);
        return out;
    }

} // namespace

SimulationState::SimulationState(const ScenarioConfig& config, RunOptions options)
    : m_config(config)
    , m_options(std::move(options))
    , m_tickExpectations(config.expect)
{
}

Result<std::unique_ptr<SimulationState>> SimulationState::create(const ScenarioConfig& config, RunOptions options)
{
    std::unique_ptr<SimulationState> state(new SimulationState(config, std::move(options)));
    auto built = state->build();
    if (!built)
        return fail(built.error());
    return state;
}

Result<bool> SimulationState::build()
{
    m_seed = m_options.seed.value_or(m_config.seed);
    m_ticks = m_config.tickCount();
    if (m_ticks <= 0 || !(m_config.tick > 0))
        return fail("the scenario has no ticks: duration and tick must be positive");
    if (m_config.data.tables.empty())
        return fail("data.tables: the scenario has no tables");
    auto rule = makeRule(m_config.sharding.rule, RuleContext { m_config.baseDirectory });
    if (!rule)
        return fail("sharding.rule: " + rule.error());
    m_rule = *rule;
    m_geoRule = engine::isGeoRule(*m_rule);
    queries::applySplits(m_config);
    queries::addMappingTables(m_config);
    auto plan = engine::RunPlan::create(m_config, !m_rule->rangeBoundaries().empty());
    if (!plan)
        return fail(plan.error());
    m_plan = std::make_unique<engine::RunPlan>(std::move(*plan));
    prepareEvents();
    std::vector<NodeId> members;
    for (int n = 0; n < m_config.cluster.nodes; ++n)
        members.push_back(n);
    auto cluster = engine::ClusterLayout::arrange(
        m_config, *m_rule, allNodes(), std::move(members), m_config.sharding.placement, nullptr, {});
    if (!cluster)
        return fail(cluster.error());
    m_cluster = std::make_unique<engine::ClusterLayout>(std::move(*cluster));
    m_everMember.assign(static_cast<size_t>(m_cluster->nodeCount()), false);
    for (NodeId node : m_cluster->members())
        m_everMember[static_cast<size_t>(node)] = true;

    m_engine = m_options.engine;
    if (m_engine == EngineMode::Auto)
        m_engine = m_plan->expectedRequestsOfRun(m_config.duration) > kAutoSampledRequests ? EngineMode::Expected
                                                                                           : EngineMode::Sampled;

    const int heatDomain = m_plan->heatDomain();
    if (heatDomain >= 0) {
        const engine::DomainPlan& domain = m_plan->domains()[static_cast<size_t>(heatDomain)];
        m_heatLayout
            = engine::HeatMapLayout(domain.keysAt(m_config.duration), std::max(1, m_options.heatmapKeyBuckets));
        m_hasHeatMap = true;
    }

    KeyDistributionConfig keys = m_config.workload.keys;
    const bool trace = keys.kind == KeyDistributionKind::Trace;
    if (trace) {
        // The trace's rows are the requests; the domains' laws only lay out the keys for the heat map and storage.
        keys.kind = KeyDistributionKind::Uniform;
        m_result.warnings.push_back(fmt::format(
            "workload.rate is not used: the requests are the rows of the trace '{}', replayed as recorded", keys.file));
        if (!m_config.workload.geo.empty())
            m_result.warnings.push_back("workload.geo is not used: a trace records no regions");
    }
    auto routing = buildRouting(0.0);
    if (!routing)
        return routing;
    m_load = std::make_unique<engine::NodeLoad>(m_cluster->nodeCount(), m_config.cluster.node);

    const int64_t wanted = m_options.heatmapTimeBuckets > 0 ? m_options.heatmapTimeBuckets : kDefaultHeatTimeBuckets;
    m_ticksPerHeatBucket = m_options.heatmapTimeBuckets > 0 || m_ticks > wanted ? (m_ticks + wanted - 1) / wanted : 1;
    const int64_t timeBuckets = (m_ticks + m_ticksPerHeatBucket - 1) / m_ticksPerHeatBucket;

    m_result.scenario = m_config.name;
    m_result.seed = m_seed;
    m_result.engine = m_engine;
    m_result.ticks = m_ticks;
    m_result.tickSeconds = m_config.tick;
    for (const NodeInfo& node : m_cluster->nodes()) {
        const std::string database
            = m_config.data.databases.empty() ? "" : m_config.data.databases[static_cast<size_t>(node.group)].name;
        m_result.nodes.push_back(NodeSummary { node.name, node.region, database });
    }
    HeatMap& heat = m_result.heatmap;
    if (m_hasHeatMap) {
        heat.table
            = m_config.data.tables[static_cast<size_t>(m_plan->domains()[static_cast<size_t>(heatDomain)].table)].name;
        heat.keyMin = 1;
        heat.keyMax = static_cast<double>(m_heatLayout.keyMax());
        heat.keyBuckets = m_heatLayout.buckets();
        heat.timeBuckets = static_cast<int>(timeBuckets);
        heat.secondsPerTimeBucket = static_cast<double>(m_ticksPerHeatBucket) * m_config.tick;
        heat.rate.assign(static_cast<size_t>(timeBuckets) * static_cast<size_t>(heat.keyBuckets), 0.0);
        m_heatSeconds.assign(static_cast<size_t>(timeBuckets), 0.0);
        for (int64_t bound : m_rule->rangeBoundaries()) {
            if (bound > 1 && static_cast<uint64_t>(bound) <= m_heatLayout.keyMax())
                heat.shardBoundaries.push_back(static_cast<double>(bound));
        }
    }
    m_result.clusterWindowTicks = windowLayout(m_ticks, m_cluster->nodeCount()).clusterTicks;
    m_result.cluster.reserve(
        static_cast<size_t>((m_ticks + m_result.clusterWindowTicks - 1) / m_result.clusterWindowTicks));
    addScenarioWarnings();

    m_regionRequests.assign(m_plan->regions().size(), 0.0);
    m_tickTraffic.nodeRequests.assign(static_cast<size_t>(m_cluster->nodeCount()), 0.0);
    m_tickTraffic.heat.assign(static_cast<size_t>(m_setup.heatBuckets), 0.0);
    m_nodeTicks.assign(static_cast<size_t>(m_cluster->nodeCount()), NodeTick {});
    m_background.assign(static_cast<size_t>(m_cluster->nodeCount()), 0.0);
    m_everUnavailable.assign(static_cast<size_t>(m_cluster->databaseCount()), false);

    RunStart start;
    start.scenario = m_config.name;
    start.seed = m_seed;
    start.engine = m_engine;
    start.ticks = m_ticks;
    start.tickSeconds = m_config.tick;
    start.nodes = m_result.nodes;
    std::vector<std::string> operations;
    for (const engine::OperationPlan& op : m_plan->operations())
        operations.push_back(op.name);
    start.operations = operations;
    for (MetricsSink* sink : m_options.sinks)
        sink->onStart(start);
    return true;
}

void SimulationState::buildRegions()
{
    const auto& regions = m_plan->regions();
    m_setup.shardOfRegion.assign(regions.size(), engine::kRegionAnyShard);
    m_setup.readCopiesOfRegion.assign(regions.size(), {});
    for (size_t r = 0; r < regions.size(); ++r) {
        const std::string& name = regions[r].name;
        std::vector<int>& copies = m_setup.readCopiesOfRegion[r];
        // Databases within a business database (regions and business databases do not mix: group 0's nodes).
        for (int d = 0; d < m_cluster->databasesPerGroup(); ++d) {
            const NodeId node = m_cluster->primaryOfDatabase(d);
            if (!name.empty() && m_cluster->nodes()[static_cast<size_t>(node)].region == name)
                copies.push_back(d);
        }
        if (copies.empty()) {
            for (int d = 0; d < m_cluster->databasesPerGroup(); ++d)
                copies.push_back(d);
        }
        if (!m_geoRule || name.empty())
            continue;
        auto routed = m_rule->route(Key::string(name));
        if (routed) {
            m_setup.shardOfRegion[r] = routed->index;
        } else {
            m_setup.shardOfRegion[r] = engine::kRegionRefused;
            m_result.warnings.push_back(
                fmt::format("region '{}': {}; its requests reach no node", name, routed.error()));
        }
    }
    if (m_geoRule && regions.size() == 1 && regions.front().name.empty())
        m_result.warnings.push_back("the geo rule routes by the request's region, but workload.geo names none: "
                                    "requests (and rows) are spread evenly over its shards");
}

void SimulationState::addScenarioWarnings()
{
    const NodeSpec& node = m_config.cluster.node;
    if (node.concurrency && std::fabs(*node.concurrency / node.baseLatency - node.maxQps) > 0.01 * node.maxQps)
        m_result.warnings.push_back(fmt::format("cluster.node.concurrency {:g} at base_latency {} would serve {}/s, "
                                                "but max_qps is {}/s: the node saturates at max_qps, and its latency "
                                                "is that of {:g} servers at the same utilisation",
            *node.concurrency, units::formatDuration(node.baseLatency),
            units::formatCount(*node.concurrency / node.baseLatency), units::formatCount(node.maxQps),
            *node.concurrency));
    if (m_trace) {
        for (const EventConfig& event : m_config.events) {
            if (event.addNodes > 0 || event.removeNode || event.reshard || event.placement)
                m_result.warnings.push_back(fmt::format("event at {} ({}) was not simulated: a replayed trace keeps "
                                                        "the layout it started with; only fail_node and recover_node "
                                                        "apply",
                    units::formatDuration(event.at), engine::eventText(event)));
        }
    }
    if (m_trace)
        m_result.warnings.push_back("a trace replays each row as one request on its key's shard: fan-out, lookups "
                                    "and 2PC are not applied to recorded rows");
    for (const engine::OperationPlan& op : m_plan->operations()) {
        if (op.broadcast && op.write)
            m_result.warnings.push_back(
                fmt::format("{} writes the broadcast table {}: each request counts once on each of the {} databases",
                    op.name, m_config.data.tables[static_cast<size_t>(op.table)].name,
                    m_cluster->databasesPerGroup()));
    }
}

bool SimulationState::step()
{
    if (m_finished || m_tick >= m_ticks || m_setup.cancelled())
        return false;
    const double t0 = static_cast<double>(m_tick) * m_config.tick;
    double t1 = std::min(m_config.duration, t0 + m_config.tick);
    if (!(t1 > t0))
        t1 = t0 + m_config.tick; // rounding in duration / tick; never shorter than a tick
    const double seconds = t1 - t0;

    // 0. events due by the start of the tick, and a migration ready to cut over
    applyEvents(t0);
    // 1. rates
    for (size_t r = 0; r < m_regionRequests.size(); ++r)
        m_regionRequests[r] = m_plan->expectedRequests(r, t0, t1);
    // 2. requests per operation and 3. routing (the key laws first catch up with time and growth)
    for (const auto& domain : m_domains)
        domain->update(t0);
    m_tickTraffic.interrupted = false;
    m_traffic->run(m_tick, m_regionRequests, m_tickTraffic);
    if (m_tickTraffic.interrupted)
        return false; // cancelled inside the tick: it is not counted, and its partial counts were kept nowhere
    m_failed += m_tickTraffic.refused;
    m_refused += m_tickTraffic.refused;
    const double unavailableBefore = m_unavailable;
    countUnavailable(t0, t1);
    // 4. node load and storage
    m_storage->advance(t0, t1);
    ClusterTick cluster;
    cluster.time = t0;
    runMigration(t0, t1, cluster);
    // Per-node ticks are only filled for sinks; the run keeps per-node totals.
    const bool perNode = !m_options.sinks.empty();
    m_load->evaluate(m_tickTraffic.nodeRequests, m_tickTraffic.refused + (m_unavailable - unavailableBefore), seconds,
        perNode ? std::span<NodeTick>(m_nodeTicks) : std::span<NodeTick>(), cluster);
    if (perNode) {
        const auto rows = m_storage->nodeRows();
        const auto bytes = m_storage->nodeBytes();
        for (size_t n = 0; n < m_nodeTicks.size(); ++n) {
            m_nodeTicks[n].rows = rows[n];
            m_nodeTicks[n].bytes = bytes[n];
        }
    }
    // 5. metrics
    measureImbalance(cluster);
    if (m_tick == 0 || cluster.qps > m_result.peak.qps)
        m_result.peak = PeakMoment { m_tick, t0, cluster.qps };
    m_tickExpectations.addTick(cluster);
    m_clusterWindow.add(m_tick, cluster);
    if ((m_tick + 1) % m_result.clusterWindowTicks == 0)
        closeClusterWindow();
    addHeatRow(m_tick, seconds);
    for (MetricsSink* sink : m_options.sinks) {
        sink->onTick(m_tick, cluster, m_nodeTicks);
        if (!m_tickTraffic.queries.empty())
            sink->onQueries(m_tick, m_tickTraffic.queries);
    }
    ++m_tick;
    if (m_options.progress)
        m_options.progress(m_tick, m_ticks);
    return true;
}

void SimulationState::closeClusterWindow()
{
    if (m_clusterWindow.empty())
        return;
    m_result.cluster.push_back(m_clusterWindow.window().values);
    m_clusterWindow.clear();
}

void SimulationState::addHeatRow(int64_t tick, double seconds)
{
    if (!m_hasHeatMap)
        return;
    const auto bucket = static_cast<size_t>(tick / m_ticksPerHeatBucket);
    const size_t keys = static_cast<size_t>(m_result.heatmap.keyBuckets);
    double* row = m_result.heatmap.rate.data() + bucket * keys;
    for (size_t k = 0; k < keys; ++k)
        row[k] += m_tickTraffic.heat[k];
    m_heatSeconds[bucket] += seconds;
}

RunResult SimulationState::finish()
{
    if (m_finished)
        return m_result;
    m_finished = true;
    const double seconds = std::min(m_config.duration, static_cast<double>(m_tick) * m_config.tick);
    m_result.cancelled = m_tick < m_ticks;
    m_result.ticks = m_tick;
    if (m_migration)
        endMigration(false, seconds);
    fillTotals(m_result, seconds);
    fillTables(m_result, seconds);
    m_result.cost = clusterCost(m_config);

    HeatMap& heat = m_result.heatmap;
    if (m_hasHeatMap) {
        // Requests per bucket become requests/s over the seconds each time bucket covered; a cancelled run keeps
        // the buckets it reached.
        const size_t keys = static_cast<size_t>(heat.keyBuckets);
        const auto reached = static_cast<size_t>((m_tick + m_ticksPerHeatBucket - 1) / m_ticksPerHeatBucket);
        heat.timeBuckets = static_cast<int>(reached);
        heat.rate.resize(reached * keys);
        for (size_t t = 0; t < reached; ++t) {
            for (size_t k = 0; k < keys; ++k)
                heat.rate[t * keys + k] = m_heatSeconds[t] > 0 ? heat.rate[t * keys + k] / m_heatSeconds[t] : 0;
        }
    }
    if (m_trace && !m_trace->problem().empty())
        m_result.warnings.push_back("workload.keys: the trace stopped replaying: " + m_trace->problem());
    if (m_refused > 0)
        m_result.warnings.push_back(fmt::format("{} requests had keys the rule {} cannot route; they reached no node",
            units::formatCount(m_refused), m_rule->spec()));
    AvailabilitySummary& availability = m_result.availability;
    availability.failedRequests = m_unavailable;
    availability.failedFraction = m_result.requests > 0 ? m_unavailable / m_result.requests : 0;
    availability.affectedUsersFraction = std::min(1.0, m_affectedUsers);
    availability.unavailableSeconds = m_unavailableSeconds;
    if (m_unavailable > 0)
        m_result.warnings.push_back(fmt::format("{} requests ({:.4g}% of all) failed: every copy of their shard was on "
                                                "a node that was down",
            units::formatCount(m_unavailable), 100 * availability.failedFraction));
    if (const double queued = m_load->queued(); queued >= 1)
        m_result.warnings.push_back(fmt::format(
            "{} requests were still queued on overloaded nodes when the run ended", units::formatCount(queued)));

    closeClusterWindow();
    m_result.expectations = m_tickExpectations.evaluate(m_result);
    for (MetricsSink* sink : m_options.sinks)
        sink->onFinish(m_result);
    return m_result;
}

void SimulationState::fillTotals(RunResult& result, double seconds)
{
    std::vector<double> shardRequests;
    std::vector<double> operationRequests;
    m_traffic->totals(shardRequests, operationRequests);
    for (size_t o = 0; o < m_retiredOperations.size() && o < operationRequests.size(); ++o)
        operationRequests[o] += m_retiredOperations[o];

    const std::vector<engine::NodeStats> stats = m_load->stats();
    const auto rows = m_storage->nodeRows();
    const auto bytes = m_storage->nodeBytes();
    std::vector<double> nodeRequests(stats.size());
    double requests = m_failed;
    double served = 0;
    double shed = 0;
    double queued = 0;
    for (size_t n = 0; n < stats.size(); ++n) {
        nodeRequests[n] = stats[n].requests;
        requests += stats[n].requests;
        served += stats[n].served;
        shed += stats[n].shed;
        queued += stats[n].queued;
    }
    result.requests = requests;
    result.servedRequests = served;
    result.shedRequests = shed;
    result.queuedRequests = queued;
    result.failedRequests = m_failed;
    result.service = m_load->model();
    result.latency = m_load->runLatency();
    for (size_t n = 0; n < stats.size(); ++n) {
        NodeSummary& node = result.nodes[n];
        node.requests = stats[n].requests;
        node.share = requests > 0 ? stats[n].requests / requests : 0;
        node.meanQps = seconds > 0 ? stats[n].requests / seconds : 0;
        node.peakQps = stats[n].peakQps;
        node.peakUtilization = stats[n].peakUtilization;
        node.p50LatencyMs = 1000 * stats[n].worst[0];
        node.p95LatencyMs = 1000 * stats[n].worst[1];
        node.p99LatencyMs = 1000 * stats[n].worst[2];
        node.p999LatencyMs = 1000 * stats[n].worst[3];
        node.servedRequests = stats[n].served;
        node.shedRequests = stats[n].shed;
        node.queuedRequests = stats[n].queued;
        node.rows = rows[n];
        node.bytes = bytes[n];
        node.storageUtilization = m_config.cluster.node.storage > 0 ? bytes[n] / m_config.cluster.node.storage : 0;
    }
    // Over the nodes that were part of the cluster at some moment and could hold data, each by its requests per
    // second present: a node that joins later is not idle for the time before, and one that no database was ever
    // placed on could not have taken a share (a node holding an empty range could, and counts). Without events every
    // node is present throughout and this is the totals' ratio.
    std::vector<bool> heldData(nodeRequests.size(), false);
    for (NodeId node : m_cluster->copies())
        if (static_cast<size_t>(node) < heldData.size())
            heldData[static_cast<size_t>(node)] = true;
    for (size_t n = 0; n < heldData.size(); ++n)
        heldData[n] = heldData[n] || nodeRequests[n] > 0 || rows[n] > 0;
    warnAboutNodesWithoutData(result, heldData);
    const std::vector<double> present = nodeSecondsPresent(m_config, seconds);
    std::vector<double> memberRequests;
    for (size_t n = 0; n < nodeRequests.size(); ++n)
        if (m_everMember[n] && heldData[n])
            memberRequests.push_back(
                n < present.size() && present[n] > 0 ? nodeRequests[n] / present[n] : nodeRequests[n]);
    result.imbalance = engine::imbalanceOf(memberRequests);

    result.shards.clear();
    // After a cutover the shards are the new rule's and count the requests since then: their share is of those.
    double sinceCutover = 0;
    for (double shardTotal : shardRequests)
        sinceCutover += shardTotal;
    const double shareBase = m_retiredOperations.empty() ? requests : sinceCutover;
    for (int s = 0; s < m_cluster->shardCount(); ++s) {
        ShardSummary shard;
        shard.name = shardName(s);
        shard.node = m_cluster->primaryOfShard(s);
        shard.requests = shardRequests[static_cast<size_t>(s)];
        shard.share = shareBase > 0 ? shard.requests / shareBase : 0;
        result.shards.push_back(std::move(shard));
    }
    result.operations.clear();
    const auto& ops = m_plan->operations();
    for (size_t o = 0; o < ops.size(); ++o) {
        const double opRequests = operationRequests[o];
        result.operations.push_back(
            OperationSummary { ops[o].name, opRequests, requests > 0 ? opRequests / requests : 0 });
    }
    std::vector<engine::QueryTotals> queries;
    m_traffic->queryTotals(queries);
    if (!m_retiredQueries.empty()) {
        // Calls before the last cutover first, so a per-call value the whole run shared stays as it was.
        std::vector<engine::QueryTotals> run = m_retiredQueries;
        run.resize(std::max(run.size(), queries.size()));
        for (size_t o = 0; o < queries.size(); ++o)
            run[o].add(queries[o]);
        queries = std::move(run);
    }
    result.queries.clear();
    result.clientRequests = 0;
    for (size_t o = 0; o < queries.size() && o < ops.size(); ++o)
        result.queries.push_back(querySummary(ops[o], queries[o]));
    std::vector<std::vector<double>> nodeWork;
    m_traffic->operationNodeWork(nodeWork);
    nodeWork.resize(std::max(nodeWork.size(), m_retiredNodeWork.size()));
    for (size_t o = 0; o < m_retiredNodeWork.size(); ++o) {
        nodeWork[o].resize(std::max(nodeWork[o].size(), m_retiredNodeWork[o].size()), 0.0);
        for (size_t n = 0; n < m_retiredNodeWork[o].size(); ++n)
            nodeWork[o][n] += m_retiredNodeWork[o][n];
    }
    for (size_t o = 0; o < nodeWork.size() && o < result.queries.size(); ++o)
        result.queries[o].nodeLoad = nodeWork[o];
    for (const QuerySummary& query : result.queries)
        result.clientRequests += query.calls;
}

std::string SimulationState::shardName(int shard) const
{
    const std::string name = m_rule->shardName(shard % m_cluster->shardsPerGroup());
    if (m_cluster->groupCount() == 1)
        return name;
    const auto group = static_cast<size_t>(shard / m_cluster->shardsPerGroup());
    return m_config.data.databases[group].name + "/" + name;
}

void SimulationState::fillTables(RunResult& result, double seconds)
{
    const auto limit = static_cast<double>(m_config.limits.maxRowsPerTable);
    result.tables.clear();
    for (size_t t = 0; t < m_plan->tables().size(); ++t) {
        const engine::TablePlan& plan = m_plan->tables()[t];
        TableSummary table;
        table.name = m_config.data.tables[t].name;
        table.rows = plan.rowsAt(seconds);
        table.rowSize = plan.rowSize;
        table.rowsPerPage = plan.rowSize > 0 ? std::floor(kPageBytes / plan.rowSize) : 0;
        if (plan.domain < 0) {
            // A full copy in every database.
            table.physicalTables = m_cluster->databasesPerGroup();
            table.maxRowsPerTable = table.rows;
            table.largest = "every database";
            table.overLimit = table.rows > limit ? table.physicalTables : 0;
        } else {
            const std::vector<double> rows = m_storage->shardRows(t, seconds);
            table.physicalTables = static_cast<int>(rows.size());
            const int first = m_cluster->groupShard(plan.group, 0);
            for (size_t s = 0; s < rows.size(); ++s) {
                result.shards[static_cast<size_t>(first) + s].rows += rows[s];
                if (rows[s] > limit)
                    ++table.overLimit;
                if (s == 0 || rows[s] > table.maxRowsPerTable) {
                    table.maxRowsPerTable = rows[s];
                    table.largest = shardName(first + static_cast<int>(s));
                }
            }
            if (const double refused = m_storage->refusedRows(t, seconds); refused >= 1)
                result.warnings.push_back(fmt::format("{}: {} rows have keys the rule {} cannot route and are stored "
                                                      "nowhere",
                    table.name, units::formatCount(refused), m_rule->spec()));
        }
        if (table.overLimit > 0)
            result.warnings.push_back(fmt::format("{}: {} of {} physical tables end above limits.max_rows_per_table "
                                                  "({}); the largest, {}, holds {} rows",
                table.name, table.overLimit, table.physicalTables, units::formatCount(limit), table.largest,
                units::formatCount(table.maxRowsPerTable)));
        result.tables.push_back(std::move(table));
    }
}

} // namespace shardsim
