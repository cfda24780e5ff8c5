#pragma once
// The `plan:` section: what the capacity planner (shardsim/planner/capacity_plan.h) sizes and under which
// limits. Absent from a scenario by default; the planner then plans the present with the top-level limits.

#include <optional>
#include <string>
#include <vector>

namespace shardsim {

enum class PlanStep { Month, Quarter, Year };

// plan.limits. Each of the first three defaults to the scenario's top-level `limits` section, so a scenario
// states its limits once and the reports and the planner agree; plan.limits overrides them for planning only.
struct PlanLimits {
    double maxUtilization = 0.7; // fraction of a node's max_qps at the peak; default limits.max_utilization
    double maxStorage = 0.8; // fraction of a node's storage; default limits.max_storage_utilization
    int64_t maxRowsPerTable = 10'000'000; // rows in one physical table; default limits.max_rows_per_table
    std::optional<double> maxP99Latency; // s, request-weighted p99 at the peak; default none
    int tolerateFailures = 0; // nodes that may fail while every limit still holds; default 0
};

// A node type the planner may buy. Without `node_types` the only type is `cluster.node`.
struct NodeTypeConfig {
    std::string name; // default "node" for cluster.node
    double maxQps = 10'000; // requests/s at 100% utilisation
    double storage = 1e12; // bytes
    double costPerMonth = 0; // currency units per node and month
    double baseLatency = 0.001; // s
    std::optional<double> concurrency; // requests served in parallel; absent: max_qps x base_latency (at least 1)
    double queueTimeout = 1.0; // s of work a node's queue holds
};

struct PlanConfig {
    double horizon = 0; // s; 0 plans the present only (`0d`); at most 30 years
    PlanStep step = PlanStep::Quarter; // length of one period of the timeline; default quarter
    PlanLimits limits;
    // Candidate rule families (`jump`, `hash-mod`, ...); empty: every family that fits the key (planner docs).
    std::vector<std::string> rules;
    std::vector<NodeTypeConfig> nodeTypes; // default: cluster.node alone
    double bandwidth = 100e6; // bytes/s a reshard moves data at; default 100MB/s
    int maxNodes = 10'000; // the search never recommends more; default 10K, 1..100K
    int line = 0; // where `plan:` was written
};

std::string_view planStepName(PlanStep step); // "month", "quarter", "year"
double planStepSeconds(PlanStep step); // a month is a twelfth of a 365-day year

} // namespace shardsim
