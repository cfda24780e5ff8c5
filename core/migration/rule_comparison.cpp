#include "shardsim/migration/rule_comparison.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "engine/event_text.h"
#include "shardsim/common/units.h"
#include "shardsim/migration/balancer_growth.h"
#include "shardsim/migration/scenario_movement.h"
#include "shardsim/rules/rule_factory.h"

namespace shardsim {

namespace {

    bool isShardKey(const TableConfig& table, const std::string& column)
    {
        return column == table.effectiveShardKey();
    }

    // Expected distinct shards among k keys spread evenly over s shards.
    double distinctShards(double k, double s)
    {
        if (k <= 1 || s <= 1)
            return 1;
        return s * (1 - std::pow(1 - 1 / s, k));
    }

    // The file's events for `spec`'s run: each reshard turned into the same growth of `spec`, or dropped when it
    // adds no databases or `spec` cannot grow. Returns a line per event saying which.
    Result<std::vector<std::string>> translateEvents(
        const ScenarioConfig& config, const RuleSpec& spec, std::vector<EventConfig>& events)
    {
        const RuleContext context { config.baseDirectory };
        std::vector<size_t> order(events.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return events[a].at < events[b].at; });
        std::vector<std::string> lines(events.size());
        RuleSpec fileRule = config.sharding.rule;
        RuleSpec ours = spec;
        for (size_t i : order) {
            EventConfig& event = events[i];
            std::string line = fmt::format(
                "{} at {} (line {}): ", engine::eventText(event), config.clock().format(event.at), event.line);
            if (!event.reshard) {
                lines[i] = line + "kept";
                continue;
            }
            auto from = makeRule(fileRule, context);
            auto to = makeRule(*event.reshard, context);
            auto current = makeRule(ours, context);
            for (const auto* made : { &from, &to, &current })
                if (!*made)
                    return fail(fmt::format("line {}: reshard: {}", event.line, made->error()));
            fileRule = *event.reshard;
            const std::optional<GrowthStep> step = reshardGrowth(**from, **to);
            const std::optional<RuleSpec> grown = step ? growRule(**current, *step) : std::nullopt;
            const std::string others
                = event.addNodes > 0 || event.removeNode || event.placement ? "; the rest kept" : "";
            if (!step) {
                lines[i] = line
                    + fmt::format("reshard dropped: it does not add databases ({} -> {}){}", (*from)->databaseCount(),
                        (*to)->databaseCount(), others);
                event.reshard.reset();
            } else if (!grown) {
                lines[i] = line
                    + fmt::format(
                        "reshard dropped: {} has no {} growth step{}", (*current)->spec(), step->label(), others);
                event.reshard.reset();
            } else {
                auto made = makeRule(*grown, context);
                const std::string grownText = made ? (*made)->spec() : grown->toString();
                lines[i] = line
                    + fmt::format("reshard as {} -> {} ({}){}", (*current)->spec(), grownText, step->label(), others);
                event.reshard = *grown;
                ours = *grown;
            }
        }
        return lines;
    }

} // namespace

std::vector<std::string> splitRuleList(const std::string& text)
{
    std::vector<std::string> specs;
    size_t from = 0;
    while (from <= text.size()) {
        const size_t comma = std::min(text.find(',', from), text.size());
        std::string piece = text.substr(from, comma - from);
        piece.erase(0, std::min(piece.size(), piece.find_first_not_of(' ')));
        piece.erase(piece.find_last_not_of(' ') + 1);
        const size_t equals = piece.find('=');
        const bool parameter = equals != std::string::npos && piece.substr(0, equals).find(':') == std::string::npos;
        if (parameter && !specs.empty())
            specs.back() += "," + piece;
        else if (!piece.empty())
            specs.push_back(piece);
        from = comma + 1;
    }
    return specs;
}

double meanFanout(const ScenarioConfig& config, const ShardRule& rule)
{
    const double shards = rule.shardCount();
    const double databases = rule.databaseCount();
    std::vector<OperationConfig> mix = config.workload.mix;
    if (mix.empty() && !config.data.tables.empty()) {
        OperationConfig point;
        point.tables = { config.data.tables.front().name };
        mix.push_back(point);
    }
    double weights = 0;
    double touched = 0;
    for (const OperationConfig& op : mix) {
        if (op.tables.empty())
            continue;
        const TableConfig* table = config.data.findTable(op.tables.front());
        if (!table)
            continue;
        const bool write = op.kind == OperationKind::Insert || op.kind == OperationKind::Transaction;
        double shardsTouched = shards;
        if (table->broadcast) {
            shardsTouched = write ? databases : 1;
        } else if (op.kind == OperationKind::Insert) {
            shardsTouched = distinctShards(static_cast<double>(op.keys), shards);
        } else {
            std::string by = op.by;
            if (by.empty() && op.kind == OperationKind::Point)
                by = table->key;
            if (by.empty() && op.kind == OperationKind::Transaction)
                by = table->effectiveShardKey();
            const auto lookup = config.sharding.lookup.find(by);
            const bool oneShard = !by.empty()
                && (isShardKey(*table, by)
                    || (lookup != config.sharding.lookup.end() && lookup->second != LookupKind::None));
            if (oneShard)
                shardsTouched = op.kind == OperationKind::Point || op.kind == OperationKind::Transaction
                    ? distinctShards(static_cast<double>(op.keys), shards)
                    : 1;
        }
        weights += op.weight;
        touched += op.weight * shardsTouched;
    }
    return weights > 0 ? touched / weights : 1;
}

Result<std::vector<RuleComparison>> compareRules(
    const ScenarioConfig& config, const std::vector<RuleSpec>& rules, const RunOptions& options, GrowthChoice growth)
{
    const GrowthStep step = scenarioGrowthStep(config, growth);
    std::vector<RuleComparison> out;
    for (const RuleSpec& spec : rules) {
        auto rule = makeRule(spec, RuleContext { config.baseDirectory });
        if (!rule)
            return fail(fmt::format("rule {}: {}", spec.toString(), rule.error()));
        ScenarioConfig variant = config;
        variant.sharding.rule = spec;
        auto events = translateEvents(config, spec, variant.events);
        if (!events)
            return fail(fmt::format("rule {}: {}", spec.toString(), events.error()));
        RunOptions runOptions = options;
        runOptions.sinks.clear();
        auto run = runSimulation(variant, runOptions);
        if (!run)
            return fail(fmt::format("rule {}: {}", spec.toString(), run.error()));
        RuleComparison comparison;
        comparison.spec = (*rule)->spec();
        comparison.run = std::move(*run);
        comparison.events = std::move(*events);
        comparison.growth = step;
        const RunResult& result = comparison.run;
        comparison.imbalance = result.imbalance.maxOverMean;
        comparison.peakImbalance = 1;
        for (const ClusterTick& tick : result.cluster) {
            comparison.peakImbalance = std::max(comparison.peakImbalance, tick.imbalance.maxOverMean);
            comparison.peakUtilization = std::max(comparison.peakUtilization, tick.maxUtilization);
        }
        for (const NodeSummary& node : result.nodes) {
            if (comparison.hottestNode.empty() || node.share > comparison.hottestShare) {
                comparison.hottestNode = node.name;
                comparison.hottestShare = node.share;
            }
        }
        comparison.fanout = meanFanout(variant, **rule);
        if (const AutoRangeRule* ranges = asAutoRange(**rule)) {
            // No rule to grow: nodes join and the balancer moves ranges onto them (balancer_growth.h).
            comparison.autoRange = true;
            const int nodes = variant.cluster.nodes;
            if (auto moved = measureBalancerGrowth(variant, *ranges, nodes, step.apply(nodes))) {
                comparison.growthSpec = fmt::format("{} nodes: {} of {} ranges moved in {}", moved->toNodes,
                    moved->moves, moved->ranges, units::formatDuration(moved->seconds));
                comparison.growthMovedFraction = moved->movedFraction;
                comparison.growthOptimumFraction = moved->optimumFraction;
                comparison.growthMovedBytes = moved->movedBytes;
            }
        } else if (auto grown = growRule(**rule, step)) {
            auto movement = measureScenarioMovement(variant, spec, *grown, uint64_t(1) << 20);
            if (movement) {
                comparison.growthSpec = movement->toRule->spec();
                comparison.growthMovedFraction = movement->data.movedFraction;
                comparison.growthOptimumFraction = movement->data.optimumFraction;
                comparison.growthMovedBytes = movement->data.movedBytes;
            }
        }
        out.push_back(std::move(comparison));
    }
    return out;
}

} // namespace shardsim
