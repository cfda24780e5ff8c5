#include "shardsim/migration/growth_step.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "engine/event_text.h"
#include "rules/arithmetic/key_math.h"
#include "shardsim/rules/rule_factory.h"

namespace shardsim {

namespace {

    int64_t integerParam(const RuleSpec& spec, const std::string& name)
    {
        const auto found = spec.params.find(name);
        if (found == spec.params.end() || found->second.size() != 1)
            return 0;
        auto value = rules::parseIntegerText(found->second.front());
        return value ? *value : 0;
    }

    // Grows integer parameter `name` of `spec` by `step`; false when it is absent, not a plain integer or would
    // overflow.
    bool growParam(RuleSpec& spec, const std::string& name, const GrowthStep& step)
    {
        const int64_t value = integerParam(spec, name);
        if (value <= 0 || value > INT32_MAX / 2)
            return false;
        spec.params[name] = { std::to_string(step.apply(static_cast<int>(value))) };
        return true;
    }

    std::optional<RuleSpec> grownParam(RuleSpec spec, const std::string& name, const GrowthStep& step)
    {
        return growParam(spec, name, step) ? std::optional(spec) : std::nullopt;
    }

    // Range bounds with bounded ranges split at their middle: every one for x2, else the `add` widest (the first
    // range runs from key 1 to the first bound).
    std::vector<int64_t> splitRanges(const std::vector<int64_t>& bounds, const GrowthStep& step)
    {
        struct Piece {
            int64_t from, to;
        };
        std::vector<Piece> pieces;
        for (size_t i = 0; i < bounds.size(); ++i)
            pieces.push_back({ i == 0 ? 0 : bounds[i - 1], bounds[i] });
        std::vector<size_t> order(pieces.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        // Widest first; the earlier of two equal ranges first, so the split is deterministic.
        std::stable_sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return pieces[a].to - pieces[a].from > pieces[b].to - pieces[b].from; });
        const size_t splits = step.doubles ? pieces.size() : std::min<size_t>(pieces.size(), step.add);
        std::vector<int64_t> grown = bounds;
        for (size_t k = 0; k < splits; ++k) {
            const Piece& piece = pieces[order[k]];
            if (piece.to - piece.from > 1)
                grown.push_back(piece.from + (piece.to - piece.from) / 2);
        }
        std::sort(grown.begin(), grown.end());
        grown.erase(std::unique(grown.begin(), grown.end()), grown.end());
        grown.erase(std::remove(grown.begin(), grown.end(), 0), grown.end());
        return grown;
    }

} // namespace

std::string GrowthStep::label() const { return doubles ? "x2" : fmt::format("+{}", add); }

std::string GrowthStep::origin() const { return source.empty() ? "--growth " + label() : source; }

std::optional<GrowthStep> reshardGrowth(const ShardRule& from, const ShardRule& to)
{
    const int before = from.databaseCount();
    const int after = to.databaseCount();
    if (before <= 0 || after <= before)
        return std::nullopt;
    GrowthStep step;
    step.doubles = after == 2 * before;
    step.add = step.doubles ? 0 : after - before;
    return step;
}

GrowthStep scenarioGrowthStep(const ScenarioConfig& config, GrowthChoice choice)
{
    if (choice == GrowthChoice::PlusOne)
        return GrowthStep { false, 1, "" };
    if (choice == GrowthChoice::Double)
        return GrowthStep { true, 0, "" };
    std::vector<const EventConfig*> events;
    for (const EventConfig& event : config.events)
        events.push_back(&event);
    std::stable_sort(events.begin(), events.end(), [](auto* a, auto* b) { return a->at < b->at; });
    RuleSpec current = config.sharding.rule;
    const RuleContext context { config.baseDirectory };
    for (const EventConfig* event : events) {
        const std::string where = fmt::format(
            "{} at {} (line {})", engine::eventText(*event, true), config.clock().format(event->at), event->line);
        if (event->reshard) {
            auto from = makeRule(current, context);
            auto to = makeRule(*event->reshard, context);
            current = *event->reshard;
            if (from && to) {
                if (auto step = reshardGrowth(**from, **to)) {
                    step->source = where;
                    return *step;
                }
            }
        }
        if (event->addNodes > 0)
            return GrowthStep { false, event->addNodes, where };
    }
    return GrowthStep { true, 0, "no event grows the cluster" };
}

std::optional<RuleSpec> growRule(const ShardRule& rule, const GrowthStep& step)
{
    auto parsed = parseRuleSpec(rule.spec());
    if (!parsed || (!step.doubles && step.add <= 0))
        return std::nullopt;
    RuleSpec spec = *parsed;
    const std::string& name = spec.name;
    if (name == "mod" || name == "hash-mod")
        return grownParam(spec, "n", step);
    if (name == "jump")
        return grownParam(spec, "buckets", step);
    if (name == "ring" || name == "rendezvous" || name == "bounded" || name == "murmur3")
        return grownParam(spec, "nodes", step);
    if (name == "maglev") {
        // The table must stay larger than the nodes; Maglev's own guidance is M >> N, so it is kept when it does.
        if (!growParam(spec, "nodes", step) || integerParam(spec, "table") <= integerParam(spec, "nodes"))
            return std::nullopt;
        return spec;
    }
    if (name == "vitess-hash" || name == "vitess-xxhash")
        return grownParam(spec, "shards", step);
    if (name == "mongo-hashed")
        return grownParam(spec, "chunks", step);
    if (name == "shardingsphere-mod" || name == "shardingsphere-hash-mod")
        return grownParam(spec, "count", step);
    if (name == "mycat-murmur" || name == "mycat-crc32slot")
        return grownParam(spec, "nodes", step);
    if (name == "range-mod")
        return grownParam(spec, "dbs", step);
    if (name == "db-table") {
        // A fold must divide dbs (each physical database hosts as many logical ones): it grows to the first divisor
        // at or past the step (8 of 64, +1: 16), and past dbs the logical databases grow instead.
        const int64_t fold = integerParam(spec, "fold");
        const int64_t dbs = integerParam(spec, "dbs");
        if (fold > 0 && fold <= INT32_MAX / 2)
            for (int64_t grown = step.apply(static_cast<int>(fold)); grown <= dbs; ++grown)
                if (dbs % grown == 0) {
                    spec.params["fold"] = { std::to_string(grown) };
                    return spec;
                }
        spec.params.erase("fold");
        return grownParam(spec, "dbs", step);
    }
    if (name == "range") {
        const std::vector<int64_t> bounds = rule.rangeBoundaries();
        if (bounds.empty())
            return std::nullopt;
        std::vector<std::string> values;
        for (int64_t bound : splitRanges(bounds, step))
            values.push_back(std::to_string(bound));
        spec.params["bounds"] = values;
        return spec;
    }
    return std::nullopt;
}

} // namespace shardsim
