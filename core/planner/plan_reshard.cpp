#include "plan_reshard.h"

#include <fmt/format.h>

#include "period_scenario.h"
#include "shardsim/common/units.h"
#include "shardsim/migration/balancer_growth.h"
#include "shardsim/movement/key_movement.h"
#include "shardsim/rules/auto_range_rule.h"
#include "shardsim/rules/rule_factory.h"

namespace shardsim::planner {

namespace {

    // Keys routed per reshard when a hashed rule must be measured key by key.
    constexpr uint64_t kMovementSampleKeys = 65'536;

    // An auto-range cluster grows by nodes alone: the balancer moves ranges onto the new ones at its own pace
    // (balancer_growth.h), measured on the table as it is when they join.
    void describeBalancerGrowth(PlanReshard& reshard, const PlanPeriod& before, const PlanPeriod& after,
        const ScenarioConfig& scenario, const PlanConfig& plan)
    {
        auto rule = makeRule(after.rule);
        const AutoRangeRule* ranges = rule ? asAutoRange(**rule) : nullptr;
        auto growth = ranges ? measureBalancerGrowth(scenario, *ranges, before.nodes, after.nodes)
                             : Result<BalancerGrowth>(fail("not an auto-range rule"));
        if (!growth) {
            // Unmeasurable: every byte is taken to move at the plan's bandwidth, so the schedule errs on the long side.
            reshard.movedFraction = 1;
            reshard.movedRows = before.rows;
            reshard.movedBytes = before.bytes;
            reshard.seconds = before.bytes / plan.bandwidth;
            reshard.what
                = fmt::format("the balancer's moves could not be measured ({}); every byte is counted", growth.error());
            return;
        }
        reshard.movedFraction = growth->movedFraction;
        reshard.optimumFraction = growth->optimumFraction;
        reshard.movedRows = growth->movedFraction * before.rows;
        reshard.movedBytes = growth->movedBytes;
        reshard.seconds = growth->seconds;
        const int joining = after.nodes - before.nodes;
        const std::string join = joining == 1 ? "1 node joins" : fmt::format("{} nodes join", joining);
        reshard.what = growth->moves == 0
            ? fmt::format("{}; the balancer finds its {} ranges within its tolerance band and moves none", join,
                growth->ranges)
            : fmt::format("{}; the balancer moves {} of {} ranges ({:.1f}% of the bytes, {}) onto {} in {}; an even "
                          "spread needs {:.1f}%",
                join, growth->moves, growth->ranges, growth->movedFraction * 100,
                units::formatSize(growth->movedBytes), joining == 1 ? "it" : "them",
                units::formatDuration(growth->seconds), growth->optimumFraction * 100);
    }

} // namespace

PlanReshard describeReshard(const RuleFamily& family, const PlanPeriod& before, const PlanPeriod& after,
    const ScenarioConfig& scenario, const PlanConfig& plan)
{
    PlanReshard reshard;
    reshard.period = after.period;
    reshard.time = after.time;
    reshard.fromNodes = before.nodes;
    reshard.toNodes = after.nodes;
    reshard.fromRule = before.rule;
    reshard.toRule = after.rule;
    if (family.fixedRule) {
        describeBalancerGrowth(reshard, before, after, scenario, plan);
        return reshard;
    }
    // Database d lives on node d (as many databases as nodes), so a key that keeps its shard and its
    // database keeps its node; hashed rules are measured on evenly spaced keys to stay fast.
    auto from = makeRule(before.rule);
    auto to = makeRule(after.rule);
    reshard.movedFraction = 1.0;
    // When the movement cannot be measured (a from->to matrix too large to count), every row is
    // assumed to move: the schedule then errs on the long side.
    if (from && to) {
        if (const auto movement
            = measureKeyMovementBounded(**from, **to, keySpace(scenario), kMovementSampleKeys)) {
            reshard.movedFraction = movement->movedFraction;
            reshard.optimumFraction = movement->optimumFraction;
        }
    }
    reshard.movedRows = reshard.movedFraction * before.rows;
    reshard.movedBytes = reshard.movedFraction * before.bytes * scenario.cluster.replication;
    reshard.seconds = reshard.movedBytes / plan.bandwidth;
    std::string what = reshard.movedRows == 0
        ? std::string("no row changes node")
        : fmt::format("{:.1f}% of the rows ({} rows, {}) change node; the least any rule must move is {:.1f}%",
            reshard.movedFraction * 100, units::formatCount(reshard.movedRows), units::formatSize(reshard.movedBytes),
            reshard.optimumFraction * 100);
    if (after.tablesPerDatabase != before.tablesPerDatabase && !family.tablesInRule)
        what += fmt::format("; each database splits its rows from {} into {} tables on the same node",
            before.tablesPerDatabase, after.tablesPerDatabase);
    else if (after.tablesPerDatabase != before.tablesPerDatabase)
        what += fmt::format("; the rule's tables per database change from {} to {}", before.tablesPerDatabase,
            after.tablesPerDatabase);
    reshard.what = what;
    return reshard;
}

} // namespace shardsim::planner
