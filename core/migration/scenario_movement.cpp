#include "shardsim/migration/scenario_movement.h"

#include <fmt/format.h>

#include "engine/cluster_layout.h"
#include "queries/query_shape.h"
#include "shardsim/rules/rule_factory.h"

namespace shardsim {

namespace {

    // The new rule on the scenario's cluster. A range split placed round-robin would renumber the ranges after it
    // onto other nodes; they keep their nodes instead and only the new ranges are placed (as the engine does).
    Result<engine::ClusterLayout> arrangeTarget(
        const ScenarioConfig& config, const engine::ClusterLayout& from, const ShardRule& fromRule, const ShardRule& to)
    {
        const std::vector<int> kept = config.sharding.placement.kind == PlacementKind::RoundRobin
            ? databasesKeptInPlace(fromRule, to)
            : std::vector<int>();
        if (kept.empty())
            return engine::ClusterLayout::create(config, to);
        return engine::ClusterLayout::arrange(
            config, to, from.nodes(), from.members(), config.sharding.placement, &from, kept);
    }

} // namespace

Result<ScenarioMovement> measureScenarioMovement(
    const ScenarioConfig& scenario, const RuleSpec& from, const RuleSpec& to, uint64_t routedKeyLimit)
{
    // The tables as a run sees them: split extension tables and mapping tables move too.
    ScenarioConfig config = scenario;
    queries::applySplits(config);
    queries::addMappingTables(config);
    const RuleContext context { config.baseDirectory };
    auto rules = makeRulePair(from, to, context);
    if (!rules)
        return fail(rules.error());
    ScenarioMovement out;
    out.fromRule = rules->from;
    out.toRule = rules->to;
    auto fromLayout = engine::ClusterLayout::create(config, *out.fromRule);
    if (!fromLayout)
        return fail(fmt::format("from rule {}: {}", from.toString(), fromLayout.error()));
    auto toLayout = arrangeTarget(config, *fromLayout, *out.fromRule, *out.toRule);
    if (!toLayout && config.sharding.placement.kind != PlacementKind::RoundRobin) {
        ScenarioConfig roundRobin = config;
        roundRobin.sharding.placement = PlacementConfig {};
        out.note = fmt::format("the scenario's placement does not fit {} ({}); its databases are placed round-robin",
            out.toRule->spec(), toLayout.error());
        toLayout = engine::ClusterLayout::create(roundRobin, *out.toRule);
    }
    if (!toLayout)
        return fail(fmt::format("to rule {}: {}", to.toString(), toLayout.error()));
    out.data = measureDataMovement(config, 0.0, engine::homesOf(*fromLayout, *out.fromRule),
        engine::homesOf(*toLayout, *out.toRule), fromLayout->nodeCount(), routedKeyLimit);
    if (!out.data.problem.empty())
        return fail(out.data.problem);
    return out;
}

} // namespace shardsim
