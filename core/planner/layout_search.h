#pragma once
// Internal: one (rule family, node type) sized for one period: the simulation of a layout and the search
// for the smallest node count that keeps every limit (docs/planner.md#the-search).

#include <string>

#include "shardsim/planner/rule_families.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::planner {

// What one simulated layout showed at the peak.
struct LayoutRun {
    bool ok = false; // ran, and every limit held
    std::string error; // the engine refused the layout
    std::string spec; // the rule, inline
    double utilization = 0; // busiest node, max over ticks
    double p99Ms = 0; // request-weighted p99, max over ticks
    double storage = 0; // fullest node's storage fraction
    double maxRowsPerTable = 0; // largest physical table after the split into tables
    double peakQps = 0;
    double rows = 0; // one copy, all tables
    double bytes = 0;
    // Each limit's use: value over limit; above 1 breaks it.
    double qpsRatio = 0;
    double storageRatio = 0;
    double latencyRatio = 0;
    double rowsRatio = 0;

    double worstRatio() const;
    std::string worstConstraint() const; // "qps", "storage", "latency", "rows_per_table"
};

struct LayoutSearch {
    const ScenarioConfig* period = nullptr; // periodScenario(...)
    const RuleFamily* family = nullptr;
    NodeTypeConfig type;
    PlanLimits limits;
    int maxNodes = 10'000;
    int* simulations = nullptr; // counts runs
};

// `nodes` nodes holding `databases` databases of `tablesPerDatabase` tables each (db-table routes to them;
// other families split a database's rows evenly over its tables).
LayoutRun runLayout(const LayoutSearch& search, int nodes, int databases, int tablesPerDatabase);

struct PeriodSize {
    bool feasible = false;
    std::string reason; // when not: in words
    std::string infeasibleConstraint; // "hot_key", or the limit that could not be met
    int nodes = 0; // healthy cluster
    int tablesPerDatabase = 1;
    std::string binding;
    LayoutRun healthy; // nodes nodes, databases = nodes
    LayoutRun survivors; // nodes - f nodes and databases
};

// The smallest node count >= `floor` whose survivors (nodes - tolerate_failures) keep every limit.
PeriodSize sizePeriod(const LayoutSearch& search, int floor);

} // namespace shardsim::planner
