#include "engine/simulation_state.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "queries/query_shape.h"
#include "shardsim/common/units.h"
#include "shardsim/report/expectations.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/workload/random_streams.h"

namespace shardsim {

namespace {

    // `auto` simulates individual requests up to this many over the run, expected shares beyond.
    constexpr double kAutoSampledRequests = 1e7;
    // Hottest keys routed one by one: the expected engine's shares are exact for them; the sampled engine keeps
    // them in its alias table with their shard precomputed (a small table stays in cache).
    constexpr uint64_t kExpectedHeadKeys = 65'536;
    constexpr uint64_t kSampledHeadKeys = 16'384;
    constexpr int64_t kDefaultHeatTimeBuckets = 2'000;
    constexpr double kPageBytes = 16'384; // InnoDB's default page: what rows per page are counted against

    std::string eventText(const EventConfig& event)
    {
        const auto nodeName = [](NodeId node) { return fmt::format("node-{}", node + 1); };
        std::vector<std::string> parts;
        if (event.addNodes > 0)
            parts.push_back(fmt::format(
                "add_nodes {}{}", event.addNodes, event.addNodesRegion.empty() ? "" : " in " + event.addNodesRegion));
        if (event.removeNode)
            parts.push_back("remove_node " + nodeName(*event.removeNode));
        if (event.failNode)
            parts.push_back("fail_node " + nodeName(*event.failNode));
        if (event.recoverNode)
            parts.push_back("recover_node " + nodeName(*event.recoverNode));
        if (event.reshard)
            parts.push_back("reshard to " + event.reshard->toString());
        if (event.placement)
            parts.push_back("placement");
        std::string text;
        for (size_t i = 0; i < parts.size(); ++i)
            text += (i ? ", " : "") + parts[i];
        return text;
    }

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
    auto cluster = engine::ClusterLayout::create(m_config, *m_rule);
    if (!cluster)
        return fail(cluster.error());
    m_cluster = std::make_unique<engine::ClusterLayout>(std::move(*cluster));

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
    const workload::RandomStreams streams(m_seed);
    for (size_t d = 0; d < m_plan->domains().size(); ++d) {
        const engine::DomainPlan& domain = m_plan->domains()[d];
        workload::RandomEngine placement = streams.engine("placement", d);
        auto distribution = workload::makeKeyDistribution(keys, domain.keysAt(0), placement);
        if (!distribution)
            return fail("workload.keys: " + distribution.error());
        engine::KeyDomainSettings settings;
        settings.engine = m_engine;
        settings.headKeys = m_engine == EngineMode::Sampled ? kSampledHeadKeys : kExpectedHeadKeys;
        settings.heat = m_hasHeatMap && static_cast<int>(d) == heatDomain ? &m_heatLayout : nullptr;
        settings.geoRule = m_geoRule;
        m_domains.push_back(
            std::make_unique<engine::KeyDomain>(domain, std::move(*distribution), keys, *m_rule, settings));
    }

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
    m_setup.cost = m_config.workload.cost;
    m_setup.readFrom = m_config.cluster.readFrom;
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

    std::vector<double> geoShares;
    if (m_geoRule) {
        geoShares.assign(static_cast<size_t>(m_rule->shardCount()), 0.0);
        const auto& regions = m_plan->regions();
        for (size_t r = 0; r < regions.size(); ++r) {
            const int shard = m_setup.shardOfRegion[r];
            if (shard >= 0)
                geoShares[static_cast<size_t>(shard)] += regions[r].share;
            else if (shard == engine::kRegionAnyShard)
                for (double& share : geoShares)
                    share += regions[r].share / static_cast<double>(geoShares.size());
        }
    }
    m_storage = std::make_unique<engine::StorageModel>(*m_plan, *m_cluster, *m_rule, std::move(geoShares));
    m_load = std::make_unique<engine::NodeLoad>(m_cluster->nodeCount(), m_config.cluster.node);

    const int64_t wanted = m_options.heatmapTimeBuckets > 0 ? m_options.heatmapTimeBuckets : kDefaultHeatTimeBuckets;
    m_ticksPerHeatBucket = m_options.heatmapTimeBuckets > 0 || m_ticks > wanted ? (m_ticks + wanted - 1) / wanted : 1;
    const int64_t timeBuckets = (m_ticks + m_ticksPerHeatBucket - 1) / m_ticksPerHeatBucket;

    m_result.scenario = m_config.name;
    m_result.seed = m_seed;
    m_result.engine = m_engine;
    m_result.ticks = m_ticks;
    m_result.tickSeconds = m_config.tick;
    for (const NodeInfo& node : m_cluster->nodes())
        m_result.nodes.push_back(NodeSummary { node.name, node.region });
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
    m_result.cluster.reserve(static_cast<size_t>(m_ticks));
    addScenarioWarnings();

    m_regionRequests.assign(m_plan->regions().size(), 0.0);
    m_tickTraffic.nodeRequests.assign(static_cast<size_t>(m_cluster->nodeCount()), 0.0);
    m_tickTraffic.heat.assign(static_cast<size_t>(m_setup.heatBuckets), 0.0);
    m_nodeTicks.assign(static_cast<size_t>(m_cluster->nodeCount()), NodeTick {});

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
        for (int d = 0; d < m_cluster->databaseCount(); ++d) {
            const NodeId node = m_cluster->primaryOfDatabase(d);
            if (!name.empty() && m_cluster->nodes()[static_cast<size_t>(node)].region == name)
                copies.push_back(d);
        }
        if (copies.empty()) {
            for (int d = 0; d < m_cluster->databaseCount(); ++d)
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
    for (const EventConfig& event : m_config.events) {
        m_result.warnings.push_back(fmt::format("event at {} ({}) was not simulated: events come in a later version",
            units::formatDuration(event.at), eventText(event)));
    }
    if (m_trace)
        m_result.warnings.push_back("a trace replays each row as one request on its key's shard: fan-out, lookups "
                                    "and 2PC are not applied to recorded rows");
    for (const engine::OperationPlan& op : m_plan->operations()) {
        if (op.broadcast && op.write)
            m_result.warnings.push_back(
                fmt::format("{} writes the broadcast table {}: each request counts once on each of the {} databases",
                    op.name, m_config.data.tables[static_cast<size_t>(op.table)].name, m_cluster->databaseCount()));
    }
}

bool SimulationState::step()
{
    if (m_finished || m_tick >= m_ticks)
        return false;
    const double t0 = static_cast<double>(m_tick) * m_config.tick;
    double t1 = std::min(m_config.duration, t0 + m_config.tick);
    if (!(t1 > t0))
        t1 = t0 + m_config.tick; // rounding in duration / tick; never shorter than a tick
    const double seconds = t1 - t0;

    // 1. rates
    for (size_t r = 0; r < m_regionRequests.size(); ++r)
        m_regionRequests[r] = m_plan->expectedRequests(r, t0, t1);
    // 2. requests per operation and 3. routing (the key laws first catch up with time and growth)
    for (const auto& domain : m_domains)
        domain->update(t0);
    m_traffic->run(m_tick, m_regionRequests, m_tickTraffic);
    m_failed += m_tickTraffic.refused;
    // 4. node load and storage
    m_storage->advance(t0, t1);
    ClusterTick cluster;
    cluster.time = t0;
    // Per-node ticks are only filled for sinks; the run keeps per-node totals.
    const bool perNode = !m_options.sinks.empty();
    m_load->evaluate(m_tickTraffic.nodeRequests, m_tickTraffic.refused, seconds,
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
    if (!m_tickTraffic.sameShape || m_tick == 0)
        m_lastImbalance = m_imbalance.measure(m_tickTraffic.nodeRequests);
    cluster.imbalance = m_lastImbalance;
    if (m_tick == 0 || cluster.qps > m_result.peak.qps)
        m_result.peak = PeakMoment { m_tick, t0, cluster.qps };
    m_result.cluster.push_back(cluster);
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
    fillTotals(m_result, seconds);
    fillTables(m_result, seconds);

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
    if (m_result.failedRequests > 0)
        m_result.warnings.push_back(fmt::format("{} requests had keys the rule {} cannot route; they reached no node",
            units::formatCount(m_result.failedRequests), m_rule->spec()));
    if (const double queued = m_load->queued(); queued >= 1)
        m_result.warnings.push_back(fmt::format(
            "{} requests were still queued on overloaded nodes when the run ended", units::formatCount(queued)));

    m_result.expectations = evaluateExpectations(m_config.expect, m_result);
    for (MetricsSink* sink : m_options.sinks)
        sink->onFinish(m_result);
    return m_result;
}

void SimulationState::fillTotals(RunResult& result, double seconds) const
{
    std::vector<double> shardRequests;
    std::vector<double> operationRequests;
    m_traffic->totals(shardRequests, operationRequests);

    const std::vector<engine::NodeStats> stats = m_load->stats();
    const auto rows = m_storage->nodeRows();
    const auto bytes = m_storage->nodeBytes();
    std::vector<double> nodeRequests(stats.size());
    double requests = m_failed;
    double shed = 0;
    for (size_t n = 0; n < stats.size(); ++n) {
        nodeRequests[n] = stats[n].requests;
        requests += stats[n].requests;
        shed += stats[n].shed;
    }
    result.requests = requests;
    result.shedRequests = shed;
    result.failedRequests = m_failed;
    for (size_t n = 0; n < stats.size(); ++n) {
        NodeSummary& node = result.nodes[n];
        node.requests = stats[n].requests;
        node.share = requests > 0 ? stats[n].requests / requests : 0;
        node.meanQps = seconds > 0 ? stats[n].requests / seconds : 0;
        node.peakQps = stats[n].peakQps;
        node.peakUtilization = stats[n].peakUtilization;
        node.p99LatencyMs = 1000 * stats[n].worstP99;
        node.shedRequests = stats[n].shed;
        node.rows = rows[n];
        node.bytes = bytes[n];
        node.storageUtilization = m_config.cluster.node.storage > 0 ? bytes[n] / m_config.cluster.node.storage : 0;
    }
    result.imbalance = engine::imbalanceOf(nodeRequests);

    result.shards.clear();
    for (int s = 0; s < m_rule->shardCount(); ++s) {
        ShardSummary shard;
        shard.name = m_rule->shardName(s);
        shard.node = m_cluster->primaryOfShard(s);
        shard.requests = shardRequests[static_cast<size_t>(s)];
        shard.share = requests > 0 ? shard.requests / requests : 0;
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
    result.queries.clear();
    result.clientRequests = 0;
    for (size_t o = 0; o < queries.size() && o < ops.size(); ++o)
        result.queries.push_back(querySummary(ops[o], queries[o]));
    std::vector<std::vector<double>> nodeWork;
    m_traffic->operationNodeWork(nodeWork);
    for (size_t o = 0; o < nodeWork.size() && o < result.queries.size(); ++o)
        result.queries[o].nodeLoad = nodeWork[o];
    for (const QuerySummary& query : result.queries)
        result.clientRequests += query.calls;
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
            table.physicalTables = m_cluster->databaseCount();
            table.maxRowsPerTable = table.rows;
            table.largest = "every database";
            table.overLimit = table.rows > limit ? table.physicalTables : 0;
        } else {
            const std::vector<double> rows = m_storage->shardRows(t, seconds);
            table.physicalTables = static_cast<int>(rows.size());
            for (size_t s = 0; s < rows.size(); ++s) {
                result.shards[s].rows += rows[s];
                if (rows[s] > limit)
                    ++table.overLimit;
                if (s == 0 || rows[s] > table.maxRowsPerTable) {
                    table.maxRowsPerTable = rows[s];
                    table.largest = m_rule->shardName(static_cast<int>(s));
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
