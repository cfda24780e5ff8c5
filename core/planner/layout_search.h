#pragma once
// Internal: one (rule family, node type) sized for one period: the simulation of a layout and the search
// for the smallest node count that keeps every limit (docs/planner.md#the-search).

#include <atomic>
#include <map>
#include <string>
#include <tuple>

#include "shardsim/engine/run_result.h"
#include "shardsim/rules/rule_families.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::planner {

// A ratio (value over limit) this close to 1 holds: the engine's sums are floating point.
inline constexpr double kLimitTolerance = 1e-9;

// What one simulated layout showed at the peak.
struct LayoutRun {
    bool ok = false; // ran, and every limit held
    std::string error; // the engine refused the layout
    std::string spec; // the rule, inline
    double utilization = 0; // busiest node, max over ticks
    double p99Ms = 0; // request-weighted p99, max over ticks
    LatencySummary latency; // served requests over the whole simulated window, as summary.json's
    double storage = 0; // fullest node's storage fraction
    double maxRowsPerTable = 0; // largest physical table after the split into tables
    double largestShardTable = 0; // largest table of one logical shard, as the engine counts it
    double failedRequests = 0; // refused by the rule (a key beyond a range rule's last bound)
    int tablesPerDatabase = 1; // db-table: as given; other families: fitted so no table exceeds the limit
    double peakQps = 0;
    double rows = 0; // one copy, all tables
    double bytes = 0;
    // Each limit's use: value over limit; above 1 breaks it.
    double qpsRatio = 0;
    double storageRatio = 0;
    double latencyRatio = 0;
    double rowsRatio = 0;

    // Over the limits a node count can fix (qps, storage, latency); tables are fitted separately.
    double worstRatio() const;
    std::string worstConstraint() const; // "qps", "storage", "latency"
};

struct LayoutSearch {
    const ScenarioConfig* period = nullptr; // periodScenario(...)
    const RuleFamily* family = nullptr;
    NodeTypeConfig type;
    PlanLimits limits;
    int maxNodes = 10'000;
    int* simulations = nullptr; // counts runs
    double hottestKeyShare = 0; // of the requests keyed by the shard key, from the period's key law
    std::string hottestKey; // "key 1", when the law names it
    const std::atomic<bool>* cancel = nullptr; // stops the search and the run under way
    // Runs already made for this period, family and node type, by (nodes, databases, tables per database): a layout
    // asked for twice (the survivors of N + f are the healthy cluster of N) is simulated once. Optional.
    std::map<std::tuple<int, int, int>, LayoutRun>* runs = nullptr;

    bool cancelled() const { return cancel && cancel->load(); }
};

// What a period asks of a node type before anything is simulated: no node runs below the mean and the data must fit
// (docs/planner.md#the-search, steps 1 and 2).
struct EvenSpreadBound {
    double lowest = 0; // nodes, failures tolerated included, without the previous period's floor
    std::string infeasibleConstraint; // "hot_key", "qps" or "storage" when no size can pass; empty otherwise
    std::string reason; // in words, when infeasible
};
EvenSpreadBound evenSpreadBound(const LayoutSearch& search, int floor = 0);

// The period's scenario on `nodes` nodes of `type` sharded by `rule`: what runLayout simulates, and what the plan's
// verification runs over a whole scenario.
ScenarioConfig layoutScenario(const ScenarioConfig& period, const NodeTypeConfig& type, int nodes, const RuleSpec& rule,
    int64_t maxRowsPerTable);

// What a run of `config` showed against the limits. `tablesPerDatabase` splits each database of a family that does
// not route to tables itself; 0 fits it to the row limit.
LayoutRun measureLayout(const RunResult& result, const ScenarioConfig& config, const RuleFamily& family,
    int tablesPerDatabase, const PlanLimits& limits);

// `nodes` nodes holding `databases` databases. db-table routes to its `tablesPerDatabase` tables; other
// families split a database's rows evenly over as many tables as the row limit needs.
LayoutRun runLayout(const LayoutSearch& search, int nodes, int databases, int tablesPerDatabase);

struct PeriodSize {
    bool feasible = false;
    std::string reason; // when not: in words
    std::string infeasibleConstraint; // "hot_key", or the limit that could not be met
    int nodes = 0; // healthy cluster
    int tablesPerDatabase = 1;
    // The limit that broke a cluster one node smaller; empty when the size is the floor (nothing smaller
    // was allowed), where the caller names the binding constraint.
    std::string binding;
    LayoutRun healthy; // nodes nodes, databases = nodes
    LayoutRun survivors; // nodes - f nodes and databases
};

// The smallest node count >= `floor` whose survivors (nodes - tolerate_failures) keep every limit. A search
// that would need more than kMaxSkewFactor times the even-spread bound reports the skew instead.
inline constexpr double kMaxSkewFactor = 8;
PeriodSize sizePeriod(const LayoutSearch& search, int floor);

} // namespace shardsim::planner
