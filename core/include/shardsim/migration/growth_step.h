#pragma once
// How a lesson grows a rule: the scenario's own next step (the first event that adds nodes or reshards to more
// databases), one more shard, or twice the shards — and a rule grown by such a step (docs/migration-model.md,
// section 5). Doubling every rule hides the lesson (mod, jump and a ring all move half the rows n -> 2n), adding one
// shows it (mod moves n/(n+1), jump and a ring 1/(n+1)).

#include <optional>
#include <string>

#include "shardsim/rules/rule_spec.h"
#include "shardsim/rules/shard_rule.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

enum class GrowthChoice {
    Next, // the scenario's first growth event, else x2
    PlusOne,
    Double,
};

struct GrowthStep {
    bool doubles = false;
    int add = 0; // shards added when it does not double; >= 1
    // Why the file's next step is this one, in words: "add_nodes 1 at 10m (line 29)", "no event grows the
    // cluster"; empty for a step chosen as +1 or x2.
    std::string source;

    std::string label() const; // "+1", "x2"
    std::string origin() const; // `source`, or "--growth +1" for a step chosen
    int apply(int shards) const { return doubles ? 2 * shards : shards + add; }
};

// `choice` for `config`: PlusOne and Double as named; Next is the first event (in time order) that reshards to more
// databases than the rule before it (x2 when exactly twice, else +the difference) or adds nodes (+their number),
// and x2 when no event grows the cluster.
GrowthStep scenarioGrowthStep(const ScenarioConfig& config, GrowthChoice choice);

// The growth a reshard from `from` to `to` stands for, or nullopt when it does not add databases (a new algorithm at
// the same count, a shrink).
std::optional<GrowthStep> reshardGrowth(const ShardRule& from, const ShardRule& to);

// `rule` grown by `step`: n, buckets, nodes, shards or chunks grown; db-table's fold to the first divisor of dbs at or
// past the step, else dbs; range-mod's dbs; range with bounded ranges split at their middle (all of them for x2, the
// widest for +k). nullopt for rules without such a step (directory, geo, vitess-numeric).
std::optional<RuleSpec> growRule(const ShardRule& rule, const GrowthStep& step);

} // namespace shardsim
