#pragma once
// The next growth of an auto-range cluster (docs/migration-model.md, section 5): no rule changes, nodes join and the
// balancer moves ranges onto them until its tolerance band is met. Measured with the engine's own balancer on the
// table as a run loads it (split by the preset's size, ranges dealt round-robin over the nodes), without a run: the
// nodes join at time 0 and the balancer works window after window, at the preset's snapshot rate and store limits,
// until it finds nothing more to do.

#include <string>

#include "shardsim/common/result.h"
#include "shardsim/rules/auto_range_rule.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

struct BalancerGrowth {
    int fromNodes = 0;
    int toNodes = 0;
    int ranges = 0; // the table's ranges once loaded (split by size)
    int moves = 0; // ranges the balancer moved
    double tableBytes = 0; // one copy of the ranges' bytes
    double movedBytes = 0; // copied by the moves, as summary.json's ranges.bytes_moved counts them
    double movedFraction = 0; // movedBytes / tableBytes
    // The share the joining nodes hold once the data is even: (toNodes - fromNodes) / toNodes, the least any layout
    // must move to be even. The balancer stops inside its tolerance band, so it may move less.
    double optimumFraction = 0;
    double seconds = 0; // from the join until the last move's copy ended
};

// Why a change of rule to or from auto-range has no key-by-key answer (`migrate`): its layout is the balancer's, made
// during a run, not the rule's. In words, with what to run instead (or why the auto-range spec is invalid); empty
// when neither rule is auto-range.
std::string autoRangeMigrationProblem(const RuleSpec& from, const RuleSpec& to);

// `rule` on `config`'s table, grown from `fromNodes` to `toNodes` nodes. Load splits and merges are left out: what
// moves is the rebalancing alone. A balancer that evens out load weighs each range by `workload.keys` over it. Fails
// when the scenario has no sharded table or the key law cannot be built.
Result<BalancerGrowth> measureBalancerGrowth(
    const ScenarioConfig& config, const AutoRangeRule& rule, int fromNodes, int toNodes);

} // namespace shardsim
