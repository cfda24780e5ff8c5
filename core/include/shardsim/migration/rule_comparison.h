#pragma once
// One workload through several rules, side by side (`shardsim-cli compare`, the GUI's compare view): imbalance,
// hottest node, fan-out and the cost of the next growth step (docs/migration-model.md, section 5).

#include <optional>
#include <string>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/migration/growth_step.h"
#include "shardsim/rules/rule_spec.h"
#include "shardsim/rules/shard_rule.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

struct RuleComparison {
    std::string spec; // canonical
    RunResult run; // the whole run with this rule, for a shared time axis
    double imbalance = 1; // the run's max/mean over nodes
    double peakImbalance = 1; // the worst tick's max/mean
    double peakUtilization = 0;
    std::string hottestNode;
    double hottestShare = 0; // of all requests
    double fanout = 1; // mean shards touched per request (meanFanout)
    // The growth step every rule of the comparison measures, and this rule grown by it (empty when it cannot grow).
    GrowthStep growth;
    std::string growthSpec; // auto-range: "10 nodes: 7 of 40 ranges moved in 32s" (its rule does not change)
    bool autoRange = false; // grown by adding nodes to its balancer (balancer_growth.h)
    double growthMovedFraction = 0;
    double growthOptimumFraction = 0;
    double growthMovedBytes = 0;
    // What became of each event of the file in this rule's run, in file order: "fail_node node-2 at 5m (line 28):
    // kept", "add_nodes 1, reshard to mod:n=9 at 10m (line 29): reshard as jump:buckets=8 -> jump:buckets=9 (+1); the
    // rest kept".
    std::vector<std::string> events;
};

// Mean shards a request of the mix touches under `rule`: one for a request by the shard key (k keys of a point or
// transaction touch S(1 - (1 - 1/S)^k) of S shards), one for a column with a lookup (mapping table or gene), every
// shard for any other query; a broadcast table's read one database, its write every database.
double meanFanout(const ScenarioConfig& config, const ShardRule& rule);

// Splits a comma-separated list of rule specs: a comma starts a new spec unless what follows is another parameter
// of the current one (`mod:n=8,db-table:dbs=8,tables=10` is two specs). Spaces around the pieces are dropped.
std::vector<std::string> splitRuleList(const std::string& text);

// Runs `config` once per rule with `options` (sinks are not used): sharding.rule replaced and every event kept,
// except that a reshard becomes the same growth of the rule being compared (reshardGrowth, growRule) and is dropped
// when it adds no databases or the rule cannot grow; each rule's `events` says which. The growth columns measure
// `growth` (scenarioGrowthStep). Fails on the first rule that cannot be built or run, naming it.
Result<std::vector<RuleComparison>> compareRules(const ScenarioConfig& config, const std::vector<RuleSpec>& rules,
    const RunOptions& options, GrowthChoice growth = GrowthChoice::Next);

} // namespace shardsim
