#include "shardsim/migration/rule_comparison.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "rules/arithmetic/key_math.h"
#include "shardsim/migration/data_movement.h"
#include "shardsim/rules/rule_factory.h"

namespace shardsim {

namespace {

    // Doubles integer parameter `name` of `spec`; false when it is absent or not a plain integer.
    bool doubleParam(RuleSpec& spec, const std::string& name)
    {
        const auto found = spec.params.find(name);
        if (found == spec.params.end() || found->second.size() != 1)
            return false;
        auto value = rules::parseIntegerText(found->second.front());
        if (!value || *value <= 0 || *value > INT64_MAX / 2)
            return false;
        found->second = { std::to_string(*value * 2) };
        return true;
    }

    int64_t integerParam(const RuleSpec& spec, const std::string& name)
    {
        const auto found = spec.params.find(name);
        if (found == spec.params.end() || found->second.size() != 1)
            return 0;
        auto value = rules::parseIntegerText(found->second.front());
        return value ? *value : 0;
    }

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

} // namespace

std::optional<RuleSpec> nextGrowthStep(const ShardRule& rule)
{
    auto parsed = parseRuleSpec(rule.spec());
    if (!parsed)
        return std::nullopt;
    RuleSpec spec = *parsed;
    const std::string& name = spec.name;
    if (name == "mod" || name == "hash-mod")
        return doubleParam(spec, "n") ? std::optional(spec) : std::nullopt;
    if (name == "jump")
        return doubleParam(spec, "buckets") ? std::optional(spec) : std::nullopt;
    if (name == "ring" || name == "rendezvous" || name == "bounded" || name == "murmur3")
        return doubleParam(spec, "nodes") ? std::optional(spec) : std::nullopt;
    if (name == "maglev") {
        // The table must stay larger than the nodes; Maglev's own guidance is M >> N, so it is kept when it does.
        if (!doubleParam(spec, "nodes") || integerParam(spec, "table") <= integerParam(spec, "nodes"))
            return std::nullopt;
        return spec;
    }
    if (name == "vitess-hash" || name == "vitess-xxhash")
        return doubleParam(spec, "shards") ? std::optional(spec) : std::nullopt;
    if (name == "mongo-hashed")
        return doubleParam(spec, "chunks") ? std::optional(spec) : std::nullopt;
    if (name == "range-mod")
        return doubleParam(spec, "dbs") ? std::optional(spec) : std::nullopt;
    if (name == "db-table") {
        const int64_t fold = integerParam(spec, "fold");
        if (fold > 0 && fold * 2 <= integerParam(spec, "dbs"))
            return doubleParam(spec, "fold") ? std::optional(spec) : std::nullopt;
        spec.params.erase("fold");
        return doubleParam(spec, "dbs") ? std::optional(spec) : std::nullopt;
    }
    if (name == "range") {
        const std::vector<int64_t> bounds = rule.rangeBoundaries();
        if (bounds.empty())
            return std::nullopt;
        std::vector<int64_t> grown;
        if (bounds.front() > 1)
            grown.push_back(bounds.front() / 2); // keys 1 .. first bound
        for (size_t i = 0; i < bounds.size(); ++i) {
            grown.push_back(bounds[i]);
            if (i + 1 < bounds.size())
                grown.push_back(bounds[i] + (bounds[i + 1] - bounds[i]) / 2);
        }
        grown.erase(std::unique(grown.begin(), grown.end()), grown.end());
        std::vector<std::string> values;
        for (int64_t bound : grown)
            values.push_back(std::to_string(bound));
        spec.params["bounds"] = values;
        return spec;
    }
    return std::nullopt;
}

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
    const ScenarioConfig& config, const std::vector<RuleSpec>& rules, const RunOptions& options)
{
    std::vector<RuleComparison> out;
    for (const RuleSpec& spec : rules) {
        auto rule = makeRule(spec, RuleContext { config.baseDirectory });
        if (!rule)
            return fail(fmt::format("rule {}: {}", spec.toString(), rule.error()));
        ScenarioConfig variant = config;
        variant.sharding.rule = spec;
        // A reshard in the file would replace the rule being compared: the other actions of the events stay.
        for (EventConfig& event : variant.events)
            event.reshard.reset();
        RunOptions runOptions = options;
        runOptions.sinks.clear();
        auto run = runSimulation(variant, runOptions);
        if (!run)
            return fail(fmt::format("rule {}: {}", spec.toString(), run.error()));
        RuleComparison comparison;
        comparison.spec = (*rule)->spec();
        comparison.run = std::move(*run);
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
        if (auto grown = nextGrowthStep(**rule)) {
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
