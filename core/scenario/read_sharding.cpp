// The `sharding` section, and the rule, node and placement readers the events share.

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "section_readers.h"
#include "shardsim/common/suggest.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/scenario/input_limits.h"

namespace shardsim::scenario {

namespace {

    const std::vector<std::string> kLookupKinds = { "none", "mapping-table", "gene" };

    std::vector<std::string> regionNames(const ClusterConfig& cluster)
    {
        std::vector<std::string> names;
        for (const auto& region : cluster.regions)
            names.push_back(region.name);
        return names;
    }

    // The mapping form `{ name: range, bounds: [10M, 20M] }`.
    std::optional<RuleSpec> readRuleMapping(ReadContext& context, const TreeNode& node, const std::string& path)
    {
        RuleSpec spec;
        bool clean = true;
        const TreeNode* name = node.find("name");
        if (!name) {
            reportMissing(context, node, path, "name", "the rule, e.g. name: range");
            clean = false;
        } else if (auto text = readName(context, *name, path + ".name")) {
            spec.name = *text;
        } else {
            clean = false;
        }
        for (const auto& param : node.children) {
            if (param.key == "name")
                continue;
            const std::string paramPath = path + "." + param.key;
            std::vector<std::string> values;
            if (param.isScalar()) {
                values.push_back(param.scalar);
            } else if (param.isSequence() && !param.children.empty()) {
                for (const auto& item : param.children) {
                    if (!item.isScalar()) {
                        context.error(item, paramPath, "expected a value like 10M, got " + item.describe());
                        clean = false;
                        break;
                    }
                    values.push_back(item.scalar);
                }
            } else {
                context.error(param, paramPath, "expected a value or a list of values, got " + param.describe());
                clean = false;
            }
            spec.params[param.key] = std::move(values);
        }
        if (!clean)
            return std::nullopt;
        return spec;
    }

} // namespace

std::optional<RuleSpec> readRule(
    ReadContext& context, const TreeNode& node, const std::string& path, const ReadState& state, ShardRulePtr* built)
{
    std::optional<RuleSpec> spec;
    if (node.isScalar()) {
        auto parsedSpec = parseRuleSpec(node.scalar);
        if (!parsedSpec.ok()) {
            context.error(node, path, parsedSpec.error());
            return std::nullopt;
        }
        spec = std::move(parsedSpec.value());
    } else if (node.isMap()) {
        spec = readRuleMapping(context, node, path);
    } else {
        context.error(node, path,
            "expected a rule like db-table:dbs=8,tables=10 or { name: range, bounds: [10M, 20M] }, got "
                + node.describe());
    }
    if (!spec)
        return std::nullopt;
    RuleContext ruleContext;
    ruleContext.baseDirectory = state.baseDirectory;
    auto rule = makeRule(*spec, ruleContext);
    if (!rule.ok()) {
        context.error(node, path, rule.error());
        return std::nullopt;
    }
    if (built)
        *built = rule.value();
    return spec;
}

// --- nodes -----------------------------------------------------------------------------------------

NodeRoster::NodeRoster(int nodes, const std::vector<int>& databaseNodes)
{
    const int owned = std::accumulate(databaseNodes.begin(), databaseNodes.end(), 0);
    if (databaseNodes.empty()) {
        add(nodes);
    } else if (owned != nodes) {
        add(nodes, kUnknownDatabase);
    } else {
        for (std::size_t d = 0; d < databaseNodes.size(); ++d)
            add(databaseNodes[d], static_cast<int>(d));
    }
}

int NodeRoster::existingIn(int database) const
{
    return database >= 0 && static_cast<std::size_t>(database) < m_existingIn.size()
        ? m_existingIn[static_cast<std::size_t>(database)]
        : 0;
}

void NodeRoster::add(int count, int database)
{
    m_states.insert(m_states.end(), static_cast<std::size_t>(count), State::Up);
    m_databases.insert(m_databases.end(), static_cast<std::size_t>(count), database);
    m_existing += count;
    if (database == kUnknownDatabase) {
        m_databasesKnown = m_databasesKnown && count == 0;
        return;
    }
    if (m_existingIn.size() <= static_cast<std::size_t>(database))
        m_existingIn.resize(static_cast<std::size_t>(database) + 1, 0);
    m_existingIn[static_cast<std::size_t>(database)] += count;
}

void NodeRoster::set(NodeId node, State state)
{
    State& current = m_states[static_cast<std::size_t>(node)];
    if (current != State::Removed && state == State::Removed) {
        --m_existing;
        const int database = m_databases[static_cast<std::size_t>(node)];
        if (database != kUnknownDatabase)
            --m_existingIn[static_cast<std::size_t>(database)];
    }
    current = state;
}

std::optional<NodeId> readNodeRef(ReadContext& context, const TreeNode& node, const std::string& path,
    const NodeRoster& roster, const std::string& when)
{
    const char* expected = "a node number like 3 or a name like node-3";
    if (!node.isScalar()) {
        context.error(node, path, fmt::format("expected {}, got {}", expected, node.describe()));
        return std::nullopt;
    }
    std::string_view digits = node.scalar;
    if (digits.starts_with("node-"))
        digits.remove_prefix(5);
    int64_t number = 0;
    const bool valid = !digits.empty() && digits.size() <= 9
        && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    for (char c : valid ? digits : std::string_view())
        number = number * 10 + (c - '0');
    if (!valid) {
        context.error(node, path, fmt::format("expected {}, got {}", expected, node.describe()));
        return std::nullopt;
    }
    if (number < 1 || number > roster.size()) {
        context.error(node, path,
            fmt::format(
                "no node {}{}: nodes are numbered 1..{}", node.scalar, when.empty() ? "" : " " + when, roster.size()));
        return std::nullopt;
    }
    const NodeId id = static_cast<NodeId>(number - 1);
    if (roster.state(id) == NodeRoster::State::Removed) {
        context.error(node, path,
            fmt::format("node {} no longer exists{} (it was removed)", number, when.empty() ? "" : " " + when));
        return std::nullopt;
    }
    return id;
}

std::optional<PlacementConfig> readPlacement(ReadContext& context, const TreeNode& node, const std::string& path,
    const ClusterConfig& cluster, const NodeRoster* roster, int databases, const std::string& when)
{
    const std::vector<std::string> kinds = { "round-robin", "by-region" };
    PlacementConfig out;
    if (node.isScalar()) {
        auto kind = readChoice(context, node, path, kinds, "placement");
        if (!kind)
            return std::nullopt;
        out.kind = *kind == 0 ? PlacementKind::RoundRobin : PlacementKind::ByRegion;
        if (out.kind == PlacementKind::ByRegion && cluster.regions.empty()) {
            context.error(node, path, "by-region needs cluster.regions");
            return std::nullopt;
        }
        return out;
    }
    if (!node.isMap() || node.children.size() != 1) {
        context.error(node, path,
            "expected round-robin, by-region, { explicit: [1, 2, ...] } or { by-region: [east, ...] }, got "
                + node.describe());
        return std::nullopt;
    }
    const TreeNode& list = node.children.front();
    const std::string listPath = path + "." + list.key;
    if (list.key != "explicit" && list.key != "by-region") {
        context.errorAtKey(list, path,
            fmt::format("unknown placement '{}'{}", list.key, didYouMean(list.key, { "explicit", "by-region" })));
        return std::nullopt;
    }
    if (!list.isSequence() || list.children.empty()) {
        context.error(list, listPath, "expected a list with one entry per database, got " + list.describe());
        return std::nullopt;
    }
    if (databases > 0 && list.children.size() != static_cast<std::size_t>(databases)) {
        context.error(
            list, listPath, fmt::format("lists {} databases but the rule has {}", list.children.size(), databases));
        return std::nullopt;
    }
    bool clean = true;
    if (list.key == "explicit") {
        out.kind = PlacementKind::Explicit;
        for (std::size_t i = 0; i < list.children.size(); ++i) {
            const std::string itemPath = fmt::format("{}[{}]", listPath, i);
            if (roster) {
                auto id = readNodeRef(context, list.children[i], itemPath, *roster, when);
                clean = clean && id.has_value();
                out.nodes.push_back(id.value_or(0));
            } else if (auto number = readCount(context, list.children[i], itemPath, 1, input_limits::kMaxNodes)) {
                out.nodes.push_back(static_cast<NodeId>(*number - 1));
            } else {
                clean = false;
            }
        }
    } else {
        out.kind = PlacementKind::ByRegion;
        const std::vector<std::string> regions = regionNames(cluster);
        if (regions.empty()) {
            context.error(list, listPath, "by-region needs cluster.regions");
            return std::nullopt;
        }
        for (std::size_t i = 0; i < list.children.size(); ++i) {
            const TreeNode& item = list.children[i];
            auto region = readName(context, item, fmt::format("{}[{}]", listPath, i));
            if (region && std::find(regions.begin(), regions.end(), *region) == regions.end()) {
                context.error(item, fmt::format("{}[{}]", listPath, i),
                    fmt::format("'{}' is not a cluster region{}", *region, didYouMean(*region, regions)));
                region.reset();
            }
            clean = clean && region.has_value();
            out.regions.push_back(region.value_or(std::string()));
        }
    }
    if (!clean)
        return std::nullopt;
    return out;
}

// --- the section -----------------------------------------------------------------------------------

void readSharding(
    ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario, ShardingConfig& out, ReadState& state)
{
    MapReader map(context, node, "sharding", { "rule", "placement", "lookup" });
    if (const TreeNode* value = map.require("rule", "e.g. rule: db-table:dbs=8,tables=10")) {
        if (auto spec = readRule(context, *value, map.pathOf("rule"), state, &state.rule)) {
            checkRuleWithDatabases(context, *value, map.pathOf("rule"), *spec, state);
            out.rule = std::move(*spec);
        }
    }
    if (const TreeNode* value = map.get("placement"); value && state.databasesDeclared) {
        // Round-robin is what the business databases do anyway; anything else would place across them.
        if (!value->isScalar() || value->scalar != "round-robin")
            context.error(*value, map.pathOf("placement"),
                "with data.databases each business database places its logical databases round-robin on its own "
                "nodes; leave placement out or write round-robin");
    } else if (value) {
        const int databases = state.rule ? state.rule->databaseCount() : 0;
        std::optional<NodeRoster> roster;
        if (state.nodesKnown)
            roster.emplace(scenario.cluster.nodes);
        if (auto placement = readPlacement(
                context, *value, map.pathOf("placement"), scenario.cluster, roster ? &*roster : nullptr, databases, ""))
            out.placement = std::move(*placement);
    }
    if (const TreeNode* value = map.get("lookup")) {
        const std::string path = map.pathOf("lookup");
        if (!value->isMap()) {
            context.error(
                *value, path, "expected a mapping of column to none | mapping-table | gene, got " + value->describe());
        } else {
            std::vector<std::string> columns;
            for (const auto& table : scenario.data.tables) {
                for (const auto& column : table.columns)
                    columns.push_back(column.name);
            }
            for (const auto& entry : value->children) {
                auto kind = readChoice(context, entry, path + "." + entry.key, kLookupKinds, "lookup");
                bool known = false;
                for (const auto& table : scenario.data.tables)
                    known = known || table.hasColumn(entry.key);
                if (!known && !scenario.data.tables.empty()) {
                    context.errorAtKey(entry, path,
                        fmt::format("no table has a column '{}'{}", entry.key, didYouMean(entry.key, columns)));
                    continue;
                }
                if (kind)
                    out.lookup[entry.key] = static_cast<LookupKind>(*kind);
            }
        }
    }
    map.finish();
}

} // namespace shardsim::scenario
