#pragma once
// One workload through several rules, side by side (`shardsim-cli compare`, the GUI's compare view): imbalance,
// hottest node, fan-out and the cost of the next growth step (docs/migration-model.md, section 5).

#include <optional>
#include <string>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/engine/simulation.h"
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
    // The next growth step: the rule at twice its shards; empty when it has none.
    std::string growthSpec;
    double growthMovedFraction = 0;
    double growthOptimumFraction = 0;
    double growthMovedBytes = 0;
};

// The rule grown to twice its shards: n, buckets, nodes, shards or chunks doubled; db-table's fold doubled while it
// stays within dbs, else dbs doubled; range-mod's dbs doubled; range with every bounded range split at its middle.
// nullopt for rules without such a step (directory, geo, vitess-numeric).
std::optional<RuleSpec> nextGrowthStep(const ShardRule& rule);

// Mean shards a request of the mix touches under `rule`: one for a request by the shard key (k keys of a point or
// transaction touch S(1 - (1 - 1/S)^k) of S shards), one for a column with a lookup (mapping table or gene), every
// shard for any other query; a broadcast table's read one database, its write every database.
double meanFanout(const ScenarioConfig& config, const ShardRule& rule);

// Splits a comma-separated list of rule specs: a comma starts a new spec unless what follows is another parameter
// of the current one (`mod:n=8,db-table:dbs=8,tables=10` is two specs). Spaces around the pieces are dropped.
std::vector<std::string> splitRuleList(const std::string& text);

// Runs `config` once per rule (sharding.rule replaced, everything else the same, except that events lose their
// `reshard`, which would replace the rule being compared) with `options` (sinks are not used). Fails on the first rule that cannot be built or run, naming it.
Result<std::vector<RuleComparison>> compareRules(
    const ScenarioConfig& config, const std::vector<RuleSpec>& rules, const RunOptions& options);

} // namespace shardsim
