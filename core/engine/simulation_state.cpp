#include "engine/simulation_state.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "engine/event_text.h"
#include "queries/query_shape.h"
#include "shardsim/common/units.h"
#include "shardsim/rules/auto_range_rule.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/workload/random_streams.h"

namespace shardsim {

namespace {

    // `auto` simulates individual requests up to this many over the run, expected shares beyond.
    constexpr double kAutoSampledRequests = 1e7;
    constexpr int64_t kDefaultHeatTimeBuckets = 2'000;

} // namespace

SimulationState::SimulationState(const ScenarioConfig& config, RunOptions options)
    : m_config(config)
    , m_options(std::move(options))
    , m_events(config)
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
    const AutoRangeRule* autoRange = asAutoRange(*m_rule);
    auto plan = engine::RunPlan::create(m_config, autoRange || !m_rule->rangeBoundaries().empty());
    if (!plan)
        return fail(plan.error());
    m_plan = std::make_unique<engine::RunPlan>(std::move(*plan));
    std::vector<NodeId> members;
    for (int n = 0; n < m_config.cluster.nodes; ++n)
        members.push_back(n);
    auto cluster = engine::ClusterLayout::arrange(
        m_config, *m_rule, m_events.allNodes(m_config), std::move(members), m_config.sharding.placement, nullptr, {});
    if (!cluster)
        return fail(cluster.error());
    m_cluster = std::make_unique<engine::ClusterLayout>(std::move(*cluster));
    m_everMember.assign(static_cast<size_t>(m_cluster->nodeCount()), false);
    if (autoRange) {
        auto started = startRanges(*autoRange);
        if (!started)
            return started;
    }
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
    const int64_t ticksPerHeatBucket
        = m_options.heatmapTimeBuckets > 0 || m_ticks > wanted ? (m_ticks + wanted - 1) / wanted : 1;
    const int64_t timeBuckets = (m_ticks + ticksPerHeatBucket - 1) / ticksPerHeatBucket;
    m_metrics.setHeatBuckets(ticksPerHeatBucket, m_hasHeatMap ? static_cast<size_t>(timeBuckets) : 0);

    m_result.scenario = m_config.name;
    m_result.seed = m_seed;
    m_result.engine = m_engine;
    m_result.ticks = m_ticks;
    m_result.tickSeconds = m_config.tick;
    m_result.start = m_config.start;
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
        heat.secondsPerTimeBucket = static_cast<double>(ticksPerHeatBucket) * m_config.tick;
        heat.rate.assign(static_cast<size_t>(timeBuckets) * static_cast<size_t>(heat.keyBuckets), 0.0);
        for (int64_t bound : m_rule->rangeBoundaries()) {
            if (bound > 1 && static_cast<uint64_t>(bound) <= m_heatLayout.keyMax())
                heat.shardBoundaries.push_back(static_cast<double>(bound));
        }
    }
    m_result.clusterWindowTicks = windowLayout(m_ticks, m_cluster->nodeCount()).clusterTicks;
    m_load->setClusterWindow(m_result.clusterWindowTicks, m_ticks);
    m_result.cluster.reserve(
        static_cast<size_t>((m_ticks + m_result.clusterWindowTicks - 1) / m_result.clusterWindowTicks));
    addScenarioWarnings();

    m_regionRequests.assign(m_plan->regions().size(), 0.0);
    m_tickTraffic.nodeRequests.assign(static_cast<size_t>(m_cluster->nodeCount()), 0.0);
    m_tickTraffic.heat.assign(static_cast<size_t>(m_setup.heatBuckets), 0.0);
    m_nodeTicks.assign(static_cast<size_t>(m_cluster->nodeCount()), NodeTick {});
    m_migration.background.assign(static_cast<size_t>(m_cluster->nodeCount()), 0.0);
    m_failures.resetDatabases(m_cluster->databaseCount());
    m_perNode = std::any_of(
        m_options.sinks.begin(), m_options.sinks.end(), [](const MetricsSink* sink) { return sink->wantsNodes(); });
    const bool latencyEveryTick = std::any_of(m_options.sinks.begin(), m_options.sinks.end(),
        [](const MetricsSink* sink) { return sink->wantsNodes() && sink->wantsNodeLatencyEveryTick(); });
    if (m_perNode && !latencyEveryTick)
        m_load->setNodeWindow(windowLayout(m_ticks, m_cluster->nodeCount()).nodeTicks);

    RunStart start;
    start.scenario = m_config.name;
    start.seed = m_seed;
    start.engine = m_engine;
    start.ticks = m_ticks;
    start.tickSeconds = m_config.tick;
    start.start = m_config.start;
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
                    m_config.clock().format(event.at), engine::eventText(event)));
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

SimulationState::TickSpan SimulationState::tickSpan() const
{
    const double t0 = static_cast<double>(m_tick) * m_config.tick;
    double t1 = std::min(m_config.duration, t0 + m_config.tick);
    if (!(t1 > t0))
        t1 = t0 + m_config.tick; // rounding in duration / tick; never shorter than a tick
    return TickSpan { t0, t1 };
}

bool SimulationState::step()
{
    if (m_finished || m_tick >= m_ticks || m_setup.cancelled())
        return false;
    const TickSpan span = tickSpan();
    applyEvents(span.t0);
    computeRates(span);
    if (!routeTraffic(span))
        return false; // cancelled inside the tick: it is not counted, and its partial counts were kept nowhere
    ClusterTick cluster;
    cluster.time = span.t0;
    runMigration(span, cluster);
    loadNodes(span, cluster);
    recordMetrics(span, cluster);
    if (m_ranges)
        endRangeTick(span);
    ++m_tick;
    if (m_options.progress)
        m_options.progress(m_tick, m_ticks);
    return true;
}

void SimulationState::computeRates(const TickSpan& span)
{
    for (size_t r = 0; r < m_regionRequests.size(); ++r)
        m_regionRequests[r] = m_plan->expectedRequests(r, span.t0, span.t1);
}

bool SimulationState::routeTraffic(const TickSpan& span)
{
    // The key laws first catch up with time and growth.
    for (const auto& domain : m_domains)
        domain->update(span.t0);
    observeSticky(span.seconds());
    m_tickTraffic.interrupted = false;
    m_traffic->run(m_tick, m_regionRequests, m_tickTraffic);
    if (m_tickTraffic.interrupted)
        return false;
    m_failures.addRefused(m_tickTraffic.refused);
    const double unavailable
        = m_failures.countUnavailable(span.t0, span.t1, *m_cluster, *m_plan, *m_storage, m_tickTraffic.nodeRequests);
    m_unreached = m_tickTraffic.refused + unavailable;
    return true;
}

void SimulationState::loadNodes(const TickSpan& span, ClusterTick& cluster)
{
    m_storage->advance(span.t0, span.t1);
    // Per-node ticks are only filled for sinks; the run keeps per-node totals.
    if (m_setup.cancelled())
        m_load->closeNodeWindowNext(); // the run stops after this tick: its node window ends here
    m_load->evaluate(m_tickTraffic.nodeRequests, m_unreached, span.seconds(),
        m_perNode ? std::span<NodeTick>(m_nodeTicks) : std::span<NodeTick>(), cluster);
    trackFailovers(span.t0, cluster.shedQps * span.seconds(), m_unreached - m_tickTraffic.refused);
    if (!m_perNode)
        return;
    const auto rows = m_storage->nodeRows();
    const auto bytes = m_storage->nodeBytes();
    for (size_t n = 0; n < m_nodeTicks.size(); ++n) {
        m_nodeTicks[n].rows = rows[n];
        m_nodeTicks[n].bytes = bytes[n];
    }
}

void SimulationState::recordMetrics(const TickSpan& span, ClusterTick& cluster)
{
    m_metrics.measureImbalance(m_tick, *m_cluster, m_tickTraffic, m_failures.downNodes(), cluster);
    m_metrics.record(m_tick, span.seconds(), cluster, m_tickTraffic, m_result);
    for (MetricsSink* sink : m_options.sinks) {
        sink->onTick(m_tick, cluster, m_nodeTicks);
        if (!m_tickTraffic.queries.empty())
            sink->onQueries(m_tick, m_tickTraffic.queries);
    }
}

} // namespace shardsim
