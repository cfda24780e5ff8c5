#include "shardsim/report/scenario_outline.h"

#include <algorithm>
#include <fmt/format.h>

#include "engine/cluster_layout.h"
#include "engine/range_share_counter.h"
#include "shardsim/common/units.h"
#include "shardsim/report/expectations.h"
#include "shardsim/engine/idle_nodes.h"
#include "shardsim/engine/shard_rows.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/workload/key_distribution.h"
#include "shardsim/workload/workload_presets.h"
#include "shardsim/scenario/config_names.h"

namespace shardsim {

namespace {

    using units::formatCount;
    using units::formatDuration;
    using units::formatSize;

    std::string describeShape(const RateShapeConfig& shape)
    {
        const std::string base = formatCount(shape.base) + "/s";
        switch (shape.kind) {
        case RateShapeKind::Constant:
            return fmt::format("constant {}", base);
        case RateShapeKind::Diurnal:
            return fmt::format("diurnal {} with a {:g}x peak at {:g}:00", base, shape.peak, shape.peakHour);
        case RateShapeKind::Double11:
            return fmt::format("double-11 {} rising to {:g}x at {} (ramp {}, hold {}, decay {})", base, shape.peak,
                formatDuration(shape.at), formatDuration(shape.ramp), formatDuration(shape.hold),
                formatDuration(shape.decay));
        case RateShapeKind::Points:
            return fmt::format("points: {} rate points", shape.points.size());
        }
        return {};
    }

    // "10M (limit 50M)"; where the shards differ, the largest by name: "6M on east, the largest; 5M on average".
    std::string describeShardRows(const TableShardRows& table, const LimitsConfig& limits)
    {
        double total = 0;
        size_t largest = 0;
        for (size_t s = 0; s < table.rows.size(); ++s) {
            total += table.rows[s];
            if (table.rows[s] > table.rows[largest])
                largest = s;
        }
        const double mean = total / static_cast<double>(table.rows.size());
        const double most = table.rows[largest];
        const auto limit = static_cast<double>(limits.maxRowsPerTable);
        const std::string over = most > limit ? " — over the limit" : "";
        if (formatCount(most) == formatCount(mean))
            return fmt::format("{} (limit {}){}", formatCount(mean), formatCount(limit), over);
        return fmt::format("{} on {}, the largest; {} on average (limit {}){}", formatCount(most),
            table.shards[largest], formatCount(mean), formatCount(limit), over);
    }

    OutlineSection cluster(const ScenarioConfig& config)
    {
        const ClusterConfig& c = config.cluster;
        OutlineSection section { "Cluster", {} };
        section.rows.emplace_back("nodes", std::to_string(c.nodes));
        section.rows.emplace_back("per node", fmt::format("{}/s, {}, {:g} per month", formatCount(c.node.maxQps),
                                                  formatSize(c.node.storage), c.node.costPerMonth));
        section.rows.emplace_back("capacity", fmt::format("{}/s, {}", formatCount(c.node.maxQps * c.nodes),
                                                  formatSize(c.node.storage * c.nodes)));
        if (!c.regions.empty()) {
            std::string regions;
            for (const RegionSpec& region : c.regions)
                regions += fmt::format("{}{} {}", regions.empty() ? "" : ", ", region.name, region.nodes);
            section.rows.emplace_back("regions", regions);
        }
        section.rows.emplace_back("replication", fmt::format("{} cop{}", c.replication, c.replication == 1 ? "y" : "ies"));
        return section;
    }

    // `databases`: how many copies a broadcast table has (one per logical database) before replication.
    OutlineSection data(const ScenarioConfig& config, int databases)
    {
        OutlineSection section { "Data", {} };
        int firstNode = 1;
        for (const BusinessDatabase& database : config.data.databases) {
            section.rows.emplace_back(database.name,
                fmt::format("business database on node-{}..node-{}", firstNode, firstNode + database.nodes - 1));
            firstNode += database.nodes;
        }
        double totalBytes = 0;
        for (const TableConfig& table : config.data.tables) {
            const double bytes = static_cast<double>(table.rows) * table.rowSize;
            totalBytes += bytes * (table.broadcast ? databases : 1) * config.cluster.replication;
            std::string value = fmt::format("{} rows x {} = {}, key {}", formatCount(static_cast<double>(table.rows)),
                formatSize(table.rowSize), formatSize(bytes), table.key);
            if (table.effectiveShardKey() != table.key)
                value += fmt::format(", sharded by {}", table.effectiveShardKey());
            value += fmt::format(", {} ids", kIdSchemeNames.name(table.ids.scheme));
            if (table.growth > 0)
                value += fmt::format(", +{}/day", formatCount(table.growth * 86400));
            if (!table.boundTo.empty())
                value += fmt::format(", bound to {}", table.boundTo);
            if (table.broadcast)
                value += ", broadcast to every database";
            if (!config.data.databases.empty())
                value += ", in " + config.data.databases[static_cast<size_t>(table.database)].name;
            section.rows.emplace_back(table.name, value);
        }
        section.rows.emplace_back("stored", fmt::format("{} with replicas", formatSize(totalBytes)));
        return section;
    }

    // The standard error of a shard's rows at the start, as the engines estimate them: the keys they are spread over
    // are the table's own, or its parent's for a table bound to another.
    double rowsStandardError(const ScenarioConfig& config, const TableConfig& table, const engine::RangeShareCounter& c)
    {
        if (engine::isGeoRule(c.rule()))
            return 0;
        int64_t keys = table.rows;
        for (const TableConfig& parent : config.data.tables)
            if (!table.boundTo.empty() && parent.name == table.boundTo)
                keys = parent.rows;
        return c.shareStandardError(1, static_cast<uint64_t>(std::max<int64_t>(1, keys)));
    }

    OutlineSection sharding(const ScenarioConfig& config, const ShardRule& r)
    {
        OutlineSection section { "Sharding", {} };
        section.rows.emplace_back("rule", config.sharding.rule.toString());
        section.rows.emplace_back("logical shards",
            fmt::format("{} in {} database{}{}", r.shardCount(), r.databaseCount(), r.databaseCount() == 1 ? "" : "s",
                config.data.databases.empty() ? "" : ", in each business database"));
        const int shown = std::min(r.shardCount(), 4);
        std::string names;
        for (int i = 0; i < shown; ++i)
            names += (i ? ", " : "") + r.shardName(i);
        if (r.shardCount() > shown)
            names += fmt::format(", ... {}", r.shardName(r.shardCount() - 1));
        section.rows.emplace_back("shard names", names);
        if (config.data.databases.empty()) {
            const double perDatabase = static_cast<double>(r.databaseCount()) / config.cluster.nodes;
            section.rows.emplace_back("databases per node", fmt::format("{:.3g}", perDatabase));
        }
        std::vector<std::string> idle;
        for (int node : nodesWithoutDataAtStart(config))
            idle.push_back(fmt::format("node-{}", node + 1));
        if (!idle.empty())
            section.rows.emplace_back("nodes without data",
                fmt::format("{}: no copy of the {} database{} is placed on {}; {} serve nothing until a reshard or a "
                            "placement uses {}",
                    nodeNameList(idle), r.databaseCount(), r.databaseCount() == 1 ? "" : "s",
                    idle.size() == 1 ? "it" : "them", idle.size() == 1 ? "it will" : "they will",
                    idle.size() == 1 ? "it" : "them"));
        for (const BusinessDatabase& database : config.data.databases)
            section.rows.emplace_back(database.name + " databases per node",
                fmt::format("{:.3g}", static_cast<double>(r.databaseCount()) / database.nodes));
        if (auto tables = shardRowsAtStart(config)) {
            const engine::RangeShareCounter counter(r); // counts nothing until asked to
            for (const TableShardRows& rows : *tables) {
                std::string text = describeShardRows(rows, config.limits);
                const TableConfig* table = config.data.findTable(rows.table);
                if (const double error = table ? rowsStandardError(config, *table, counter) : 0;
                    error > counter.kShareError)
                    text += fmt::format(", estimated with a standard error of {:.3g}% (docs/engine-model.md, \"Counted "
                                        "keys\")",
                        100 * error);
                section.rows.emplace_back(rows.table + " rows per shard", text);
            }
        }
        return section;
    }

    OutlineSection workloadSection(const ScenarioConfig& config)
    {
        const WorkloadConfig& w = config.workload;
        OutlineSection section { "Workload", {} };
        if (const workload::WorkloadPreset* preset = workload::findWorkloadPreset(w.preset))
            section.rows.emplace_back("preset", fmt::format("{} ({})", preset->name, preset->source));
        for (const RateShapeConfig& shape : w.rate) {
            std::string text = describeShape(shape);
            if (shape.growth != 0)
                text += fmt::format(", growing {:g}%/year", shape.growth * 100);
            section.rows.emplace_back(fmt::format("rate ({})", kRateShapeNames.name(shape.kind)), text);
        }
        section.rows.emplace_back("keys",
            w.keyless ? std::string("none: records without a key, placed by Kafka's sticky partitioner")
                      : workload::describeKeyLaw(w.keys));
        if (!w.geo.empty()) {
            std::string geo;
            for (const GeoShare& share : w.geo)
                geo += fmt::format("{}{} {:g}%", geo.empty() ? "" : ", ", share.region, share.share * 100);
            section.rows.emplace_back("geo", geo);
        }
        double totalWeight = 0;
        for (const OperationConfig& op : w.mix)
            totalWeight += op.weight;
        for (const OperationConfig& op : w.mix) {
            std::string tables;
            for (const std::string& table : op.tables)
                tables += (tables.empty() ? "" : "+") + table;
            std::string text = fmt::format(
                "{:.3g}%  {} on {}", 100 * op.weight / totalWeight, kOperationKindNames.name(op.kind), tables);
            if (!op.by.empty())
                text += " by " + op.by;
            if (!op.orderBy.empty())
                text += " order by " + op.orderBy;
            if (op.keyLaw)
                text += ", keys " + workload::describeKeyLaw(*op.keyLaw);
            section.rows.emplace_back(op.name, text);
        }
        return section;
    }

    OutlineSection timeline(const ScenarioConfig& config)
    {
        OutlineSection section { "Timeline", {} };
        section.rows.emplace_back("duration", fmt::format("{} in {} ticks of {}", formatDuration(config.duration),
                                                  config.tickCount(), formatDuration(config.tick)));
        const RunClock clock = config.clock();
        if (clock.onClock())
            section.rows.emplace_back("clock", fmt::format("{} to {}", clock.format(0), clock.format(config.duration)));
        section.rows.emplace_back("seed", std::to_string(config.seed));
        for (const EventConfig& event : config.events) {
            std::vector<std::string> parts;
            if (event.addNodes > 0)
                parts.push_back(fmt::format("add {} node{}", event.addNodes, event.addNodes == 1 ? "" : "s"));
            if (event.removeNode)
                parts.push_back(fmt::format("remove node-{}", *event.removeNode + 1));
            if (event.failNode)
                parts.push_back(fmt::format("node-{} fails", *event.failNode + 1));
            if (event.recoverNode)
                parts.push_back(fmt::format("node-{} recovers", *event.recoverNode + 1));
            if (event.reshard)
                parts.push_back("reshard to " + event.reshard->toString());
            if (event.placement)
                parts.push_back("new placement");
            std::string text;
            for (const std::string& part : parts)
                text += (text.empty() ? "" : ", ") + part;
            section.rows.emplace_back("at " + clock.format(event.at), text);
        }
        for (const ExpectConfig& expect : config.expect) {
            section.rows.emplace_back("expect", expect.metric + " " + describeBound(expect, clock));
        }
        return section;
    }

} // namespace

std::vector<OutlineSection> outlineScenario(const ScenarioConfig& config)
{
    // The reader built this rule once already; it fails here only if a file it reads changed since.
    auto rule = makeRule(config.sharding.rule, RuleContext { config.baseDirectory });
    if (!rule) {
        OutlineSection broken { "Sharding", { { "rule", config.sharding.rule.toString() }, { "error", rule.error() } } };
        return { cluster(config), data(config, 1), broken, workloadSection(config), timeline(config) };
    }
    return { cluster(config), data(config, (*rule)->databaseCount()), sharding(config, **rule),
        workloadSection(config), timeline(config) };
}

std::string formatOutline(const std::vector<OutlineSection>& outline)
{
    size_t width = 0;
    for (const OutlineSection& section : outline)
        for (const auto& row : section.rows)
            width = std::max(width, row.first.size());
    std::string out;
    for (const OutlineSection& section : outline) {
        out += (out.empty() ? "" : "\n") + section.title + "\n";
        for (const auto& [label, value] : section.rows)
            out += fmt::format("  {:<{}}  {}\n", label, width, value);
    }
    return out;
}

} // namespace shardsim
