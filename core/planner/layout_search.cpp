#include "layout_search.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "period_scenario.h"
#include "shardsim/common/units.h"
#include "shardsim/engine/simulation.h"

namespace shardsim::planner {

namespace {

    // The growth step stalls when a cluster 1.5x larger lowers the worst ratio by less than 10%.
    constexpr double kStallGrowth = 1.5;
    constexpr double kStallGain = 0.9;

    // Tables per database so the largest table stays within the limit: from the rows one database holds.
    int tablesFor(double largestDatabaseRows, int64_t maxRowsPerTable)
    {
        const double tables = std::ceil(largestDatabaseRows / double(maxRowsPerTable) - kLimitTolerance);
        return static_cast<int>(std::clamp(tables, 1.0, 1e6));
    }

    std::string formatRate(double qps) { return units::formatCount(qps) + " req/s"; }
    std::string formatPercent(double fraction) { return fmt::format("{:.0f}%", fraction * 100); }

    // Why more nodes did not spread the load, in words; `otherwise` for a rule whose ranges never split.
    std::string concentratedLoad(const RuleFamily& family, const char* otherwise)
    {
        if (family.fixedRule) // auto-range: its ranges do split, but by load windows and moves that take time
            return "a hot key, or a hot range its balancer has not yet split and spread when the busiest moment "
                   "comes (a load split waits for its windows, a move for its copy; run the scenario to see when)";
        return otherwise;
    }

} // namespace

double LayoutRun::worstRatio() const { return std::max({ qpsRatio, storageRatio, latencyRatio }); }

std::string LayoutRun::worstConstraint() const
{
    // Ties go to the earlier name: load before storage before latency.
    const std::pair<double, const char*> ratios[] { { qpsRatio, "qps" }, { storageRatio, "storage" },
        { latencyRatio, "latency" } };
    const auto* worst = std::max_element(std::begin(ratios), std::end(ratios),
        [](const auto& a, const auto& b) { return a.first < b.first; });
    return worst->second;
}

ScenarioConfig layoutScenario(const ScenarioConfig& period, const NodeTypeConfig& type, int nodes, const RuleSpec& rule,
    int64_t maxRowsPerTable)
{
    ScenarioConfig config = period;
    config.cluster.nodes = nodes;
    config.cluster.node.maxQps = type.maxQps;
    config.cluster.node.storage = type.storage;
    config.cluster.node.costPerMonth = type.costPerMonth;
    config.cluster.node.baseLatency = type.baseLatency;
    config.cluster.node.concurrency = type.concurrency;
    config.cluster.node.queueTimeout = type.queueTimeout;
    config.cluster.replication = std::min(config.cluster.replication, nodes);
    config.limits.maxRowsPerTable = maxRowsPerTable;
    config.sharding.rule = rule;
    return config;
}

LayoutRun measureLayout(const RunResult& result, const ScenarioConfig& config, const RuleFamily& family,
    int tablesPerDatabase, const PlanLimits& limits)
{
    LayoutRun run;
    run.spec = config.sharding.rule.toString();
    for (const ClusterTick& tick : result.cluster) {
        run.utilization = std::max(run.utilization, tick.maxUtilization);
        run.p99Ms = std::max(run.p99Ms, tick.p99LatencyMs);
        run.peakQps = std::max(run.peakQps, tick.qps);
    }
    for (const NodeSummary& node : result.nodes)
        run.storage = std::max(run.storage, node.storageUtilization);
    for (const TableSummary& table : result.tables)
        run.largestShardTable = std::max(run.largestShardTable, table.maxRowsPerTable);
    for (const TableConfig& table : config.data.tables) {
        run.rows += double(table.rows);
        run.bytes += double(table.rows) * table.rowSize;
    }
    run.tablesPerDatabase = tablesPerDatabase > 0 || family.tablesInRule
        ? std::max(tablesPerDatabase, 1)
        : tablesFor(run.largestShardTable, limits.maxRowsPerTable);
    run.maxRowsPerTable = family.tablesInRule ? run.largestShardTable : run.largestShardTable / run.tablesPerDatabase;
    run.failedRequests = result.failedRequests;
    run.latency = result.latency;

    run.qpsRatio = run.utilization / limits.maxUtilization;
    run.storageRatio = run.storage / limits.maxStorage;
    run.latencyRatio = limits.maxP99Latency ? run.p99Ms / (*limits.maxP99Latency * 1e3) : 0;
    run.rowsRatio = run.maxRowsPerTable / double(limits.maxRowsPerTable);
    // Requests no node could take (a range rule's key beyond its last bound) break the plan outright.
    run.ok = run.failedRequests == 0 && run.qpsRatio <= 1 + kLimitTolerance && run.storageRatio <= 1 + kLimitTolerance
        && run.latencyRatio <= 1 + kLimitTolerance;
    return run;
}

LayoutRun runLayout(const LayoutSearch& search, int nodes, int databases, int tablesPerDatabase)
{
    const int ruleTables = search.family->tablesInRule ? tablesPerDatabase : 1;
    if (search.runs) {
        const auto key = std::make_tuple(nodes, databases, ruleTables);
        if (const auto found = search.runs->find(key); found != search.runs->end())
            return found->second;
        LayoutSearch once = search;
        once.runs = nullptr;
        LayoutRun run = runLayout(once, nodes, databases, tablesPerDatabase);
        if (run.error.empty())
            search.runs->emplace(key, run);
        return run;
    }
    const ScenarioConfig config = layoutScenario(*search.period, search.type, nodes,
        ruleSpecFor(*search.family, databases, ruleTables, keySpace(*search.period)), search.limits.maxRowsPerTable);

    RunOptions options;
    options.engine = EngineMode::Expected;
    options.heatmapKeyBuckets = 1;
    options.countToBound = false; // the many candidates; plan --verify runs the recommendation as run does
    options.cancel = search.cancel;
    if (search.simulations)
        ++*search.simulations;
    auto result = runSimulation(config, options);
    if (!result || search.cancelled()) {
        LayoutRun failed;
        failed.spec = config.sharding.rule.toString();
        failed.error = result ? kRunCancelled : result.error();
        return failed;
    }
    // db-table: T is the rule's; other families: fitted so no table exceeds the limit (0 asks for the fit).
    return measureLayout(*result, config, *search.family, search.family->tablesInRule ? tablesPerDatabase : 0,
        search.limits);
}

namespace {

    class Sizer {
    public:
        Sizer(const LayoutSearch& search)
            : m_search(search)
            , m_failures(search.limits.tolerateFailures)
        {
        }

        // The survivors of `nodes` with the tables per database fitted to their rows.
        LayoutRun survivors(int nodes)
        {
            const int alive = nodes - m_failures;
            LayoutRun run = runLayout(m_search, alive, alive, m_tables);
            // db-table routes rows to its tables, so more tables change the simulated layout: refit and rerun.
            for (int attempt = 0; m_search.family->tablesInRule && attempt < 4 && run.rowsRatio > 1 + kLimitTolerance;
                ++attempt) {
                m_tables = tablesFor(run.maxRowsPerTable * m_tables, m_search.limits.maxRowsPerTable);
                run = runLayout(m_search, alive, alive, m_tables);
            }
            return run;
        }

        int tables() const { return m_tables; }
        void setTables(int tables) { m_tables = tables; }

    private:
        const LayoutSearch& m_search;
        int m_failures = 0;
        int m_tables = 1;
    };

} // namespace

EvenSpreadBound evenSpreadBound(const LayoutSearch& search, int floor)
{
    EvenSpreadBound bound;
    const ScenarioConfig& period = *search.period;
    const PlanLimits& limits = search.limits;
    const int f = limits.tolerateFailures;
    const double nodeQps = limits.maxUtilization * search.type.maxQps;

    // Honesty first: a key hotter than a node cannot be split by any rule or cluster size.
    const double peak = peakRate(period);
    const double hottestKey = peak * keyedRequestShare(period) * search.hottestKeyShare;
    if (hottestKey > nodeQps * (1 + kLimitTolerance)) {
        bound.infeasibleConstraint = "hot_key";
        const std::string which = search.hottestKey.empty() ? "" : " (" + search.hottestKey + ")";
        bound.reason = fmt::format("the hottest key alone needs {}{}; one node serves {} at {}: cache it, replicate "
                                   "it, or change the key",
            formatRate(hottestKey), which, formatRate(nodeQps), formatPercent(limits.maxUtilization));
        return bound;
    }

    // Analytic lower bounds: no node can run below the mean (qps), and the data must fit (storage).
    double bytes = 0;
    for (const TableConfig& table : period.data.tables)
        bytes += double(table.rows) * table.rowSize;
    const int replication = period.cluster.replication;
    const double qpsBound = std::ceil(peak / nodeQps - kLimitTolerance);
    const double storageBound
        = std::ceil(bytes * replication / (limits.maxStorage * search.type.storage) - kLimitTolerance);
    bound.lowest = std::max({ double(floor), qpsBound + f, storageBound + f, double(replication + f), 1.0 + f });
    if (bound.lowest > search.maxNodes) {
        bound.infeasibleConstraint = qpsBound >= storageBound ? "qps" : "storage";
        bound.reason = fmt::format("even a perfectly even spread needs {} nodes, more than plan.max_nodes ({})",
            units::formatCount(bound.lowest), search.maxNodes);
    }
    return bound;
}

PeriodSize sizePeriod(const LayoutSearch& search, int floor)
{
    PeriodSize size;
    const ScenarioConfig& period = *search.period;
    const PlanLimits& limits = search.limits;
    const int f = limits.tolerateFailures;
    const EvenSpreadBound bound = evenSpreadBound(search, floor);
    if (!bound.infeasibleConstraint.empty()) {
        size.infeasibleConstraint = bound.infeasibleConstraint;
        size.reason = bound.reason;
        return size;
    }
    const double lowest = bound.lowest;
    const int replication = period.cluster.replication;
    double rows = 0;
    for (const TableConfig& table : period.data.tables)
        rows += double(table.rows);

    Sizer sizer(search);
    sizer.setTables(tablesFor(rows / std::max(1.0, lowest - f), limits.maxRowsPerTable));
    int nodes = static_cast<int>(lowest);
    LayoutRun run = sizer.survivors(nodes);
    if (!run.error.empty()) {
        size.reason = run.error;
        size.infeasibleConstraint = "qps";
        return size;
    }
    int lastFail = 0;
    LayoutRun lastFailRun;
    // Grow: scale the survivors by the worst ratio (the load per node falls as 1/n on an even rule), at least
    // by one node; a growth that barely helps means a hot range or fan-out that more nodes cannot fix.
    while (!run.ok) {
        if (search.cancelled()) {
            size.reason = kRunCancelled;
            return size;
        }
        lastFail = nodes;
        lastFailRun = run;
        // At most doubling: latency grows faster than linearly near saturation, so its ratio overshoots.
        const double factor = std::clamp(run.worstRatio(), 1.0, 2.0);
        const double cap = std::min(double(search.maxNodes), std::floor(kMaxSkewFactor * lowest));
        const double wanted = std::ceil(double(nodes - f) * factor) + f;
        const int next = static_cast<int>(std::min(std::max(wanted, double(nodes + 1)), cap));
        if (next <= nodes) {
            size.infeasibleConstraint = run.worstConstraint();
            if (cap >= search.maxNodes)
                size.reason = fmt::format("{} nodes still break {} ({:.0f}% of the limit); plan.max_nodes is {}",
                    nodes, run.worstConstraint(), run.worstRatio() * 100, search.maxNodes);
            else
                size.reason = fmt::format("on {}, {} nodes still break {} ({:.0f}% of the limit) where an even "
                                          "spread needs {}: {}",
                    search.family->name, nodes, run.worstConstraint(), run.worstRatio() * 100,
                    static_cast<int>(lowest),
                    concentratedLoad(*search.family,
                        "the load is concentrated on a hot key range (or sent to every shard) that no split of this "
                        "rule fixes at the current key"));
            return size;
        }
        LayoutRun grown = sizer.survivors(next);
        if (!grown.ok && double(next) >= kStallGrowth * double(nodes) && grown.worstRatio() > kStallGain * run.worstRatio()) {
            size.infeasibleConstraint = grown.worstConstraint();
            size.reason = fmt::format("on {}, the busiest node stays at {:.0f}% of its {} limit as the cluster grows "
                                      "from {} to {} nodes: {}",
                search.family->name, grown.worstRatio() * 100, grown.worstConstraint(), nodes, next,
                concentratedLoad(*search.family,
                    "a hot key range or a query sent to every shard that no split of this rule fixes at the current "
                    "key"));
            return size;
        }
        nodes = next;
        run = grown;
    }
    // Bisect between the last failure and the first success (load falls as nodes are added).
    int low = lastFail;
    int high = nodes;
    LayoutRun highRun = run;
    while (lastFail > 0 && high - low > 1) {
        if (search.cancelled()) {
            size.reason = kRunCancelled;
            return size;
        }
        const int middle = low + (high - low) / 2;
        LayoutRun middleRun = sizer.survivors(middle);
        if (middleRun.ok) {
            high = middle;
            highRun = middleRun;
        } else {
            low = middle;
            lastFailRun = middleRun;
        }
    }
    nodes = high;
    run = highRun;
    // The binding constraint: what broke one node fewer; at the floor the caller decides.
    if (lastFail > 0) {
        size.binding = lastFailRun.worstConstraint();
    } else if (nodes - 1 >= std::max({ floor, replication + f, 1 + f }) && nodes - 1 - f >= 1) {
        LayoutRun fewer = sizer.survivors(nodes - 1);
        if (!fewer.ok)
            size.binding = fewer.worstConstraint();
    }
    size.feasible = true;
    size.nodes = nodes;
    size.survivors = run;
    size.healthy = runLayout(search, nodes, nodes, sizer.tables());
    // The tables must hold the survivors' rows too: after a failure each database keeps its tables and takes more.
    LayoutRun& healthy = size.healthy;
    if (!search.family->tablesInRule && run.tablesPerDatabase > healthy.tablesPerDatabase) {
        healthy.tablesPerDatabase = run.tablesPerDatabase;
        healthy.maxRowsPerTable = healthy.largestShardTable / healthy.tablesPerDatabase;
        healthy.rowsRatio = healthy.maxRowsPerTable / double(limits.maxRowsPerTable);
    }
    size.tablesPerDatabase = healthy.tablesPerDatabase;
    return size;
}

} // namespace shardsim::planner
