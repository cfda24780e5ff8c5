// The `events` timeline and the `expect` assertions.

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "section_readers.h"
#include "shardsim/common/suggest.h"
#include "shardsim/common/units.h"
#include "shardsim/scenario/input_limits.h"
#include "shardsim/scenario/metric_names.h"

namespace shardsim::scenario {

namespace {

    std::string atText(double seconds) { return "at " + units::formatDuration(seconds); }

    // The business database added nodes join: a key of the mapping form, required with data.databases. Nullopt
    // when they join none or it could not be read (reported).
    std::optional<int> readAddedNodesDatabase(ReadContext& context, const TreeNode& value, const std::string& path,
        std::optional<MapReader>& detail, const ScenarioConfig& scenario, const ReadState& state)
    {
        if (!detail) {
            if (state.databasesDeclared) {
                const auto& databases = scenario.data.databases;
                const std::string example
                    = state.databaseNamesKnown && !databases.empty() ? databases.front().name : "order_db";
                context.error(value, path,
                    fmt::format("with data.databases the added nodes join one business database: write add_nodes: "
                                "{{ count: {}, database: {} }}",
                        value.isScalar() ? value.scalar : "2", example));
            }
            return std::nullopt;
        }
        const TreeNode* database = state.databasesDeclared
            ? detail->require("database", "the business database the nodes join, e.g. database: order_db")
            : detail->get("database");
        if (!database)
            return std::nullopt;
        return readDatabaseRef(context, *database, detail->pathOf("database"), scenario.data.databases, state);
    }

    // Node changes of one event, checked against the roster of its moment and then applied to it.
    void applyNodeChanges(ReadContext& context, MapReader& map, const ScenarioConfig& scenario, NodeRoster& roster,
        EventConfig& event, const std::string& when, const ReadState& state)
    {
        if (const TreeNode* value = map.get("add_nodes")) {
            const std::string path = map.pathOf("add_nodes");
            const TreeNode* count = value;
            std::optional<MapReader> detail;
            std::optional<int> database;
            if (value->isMap()) {
                detail.emplace(context, value, path, std::vector<std::string> { "count", "region", "database" });
                count = detail->require("count");
                if (const TreeNode* region = detail->get("region")) {
                    std::vector<std::string> regions;
                    for (const auto& spec : scenario.cluster.regions)
                        regions.push_back(spec.name);
                    auto name = readName(context, *region, detail->pathOf("region"));
                    if (name && std::find(regions.begin(), regions.end(), *name) == regions.end())
                        context.error(*region, detail->pathOf("region"),
                            fmt::format("'{}' is not a cluster region{}", *name, didYouMean(*name, regions)));
                    else if (name)
                        event.addNodesRegion = *name;
                }
            }
            database = readAddedNodesDatabase(context, *value, path, detail, scenario, state);
            if (detail)
                detail->finish();
            if (count) {
                if (auto added = readCount(context, *count, path, 1, input_limits::kMaxNodes, "the node limit")) {
                    if (roster.existing() + *added > input_limits::kMaxNodes) {
                        context.error(*count, path,
                            fmt::format("would make {} nodes {}; more than {} is the node limit",
                                roster.existing() + *added, when, input_limits::kMaxNodes));
                    } else {
                        event.addNodes = static_cast<int>(*added);
                        event.addNodesDatabase = database.value_or(0);
                        // Numbering goes on even when the database is unknown; only the per-database counts stop.
                        roster.add(event.addNodes,
                            database ? *database : (state.databasesDeclared ? NodeRoster::kUnknownDatabase : 0));
                    }
                }
            }
        }
        using State = NodeRoster::State;
        if (const TreeNode* value = map.get("remove_node")) {
            if (auto node = readNodeRef(context, *value, map.pathOf("remove_node"), roster, when)) {
                const int database = roster.database(*node);
                if (roster.existing() == 1) {
                    context.error(*value, map.pathOf("remove_node"), "would leave the cluster without nodes");
                } else if (state.databaseNodesKnown && roster.databasesKnown() && roster.existingIn(database) == 1) {
                    context.error(*value, map.pathOf("remove_node"),
                        fmt::format("node {} is the last node of {} {}: the business database would have no nodes left",
                            *node + 1, scenario.data.databases[static_cast<std::size_t>(database)].name, when));
                } else {
                    event.removeNode = node;
                    roster.set(*node, State::Removed);
                }
            }
        }
        if (const TreeNode* value = map.get("fail_node")) {
            if (auto node = readNodeRef(context, *value, map.pathOf("fail_node"), roster, when)) {
                if (roster.state(*node) == State::Failed) {
                    context.error(
                        *value, map.pathOf("fail_node"), fmt::format("node {} has already failed {}", *node + 1, when));
                } else {
                    event.failNode = node;
                    roster.set(*node, State::Failed);
                }
            }
        }
        if (const TreeNode* value = map.get("recover_node")) {
            if (auto node = readNodeRef(context, *value, map.pathOf("recover_node"), roster, when)) {
                if (roster.state(*node) != State::Failed) {
                    context.error(*value, map.pathOf("recover_node"),
                        fmt::format("node {} has not failed {}; only a failed node can recover", *node + 1, when));
                } else {
                    event.recoverNode = node;
                    roster.set(*node, State::Up);
                }
            }
        }
    }

} // namespace

void readEvents(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario,
    std::vector<EventConfig>& out, const ReadState& state)
{
    if (!node || node->isNull())
        return;
    const std::string path = "events";
    if (!node->isSequence()) {
        context.error(
            *node, path, "expected a list of events like [{ at: 2h, add_nodes: 4 }], got " + node->describe());
        return;
    }
    if (node->children.size() > input_limits::kMaxEvents) {
        context.error(*node, path,
            fmt::format("lists {} events; at most {} are supported", node->children.size(), input_limits::kMaxEvents));
        return;
    }
    // Times first: node numbers and the rule in force depend on the events before, in time order.
    const std::size_t count = node->children.size();
    std::vector<std::optional<double>> times(count);
    for (std::size_t i = 0; i < count; ++i) {
        const TreeNode& item = node->children[i];
        const TreeNode* at = item.isMap() ? item.find("at") : nullptr;
        if (at)
            times[i] = readDuration(context, *at, fmt::format("{}[{}].at", path, i), 0,
                state.durationKnown ? scenario.duration : input_limits::kMaxDuration,
                state.durationKnown ? "the scenario's duration" : "");
    }
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), std::size_t { 0 });
    std::stable_sort(order.begin(), order.end(),
        [&](std::size_t a, std::size_t b) { return times[a].value_or(0) < times[b].value_or(0); });

    std::vector<int> databaseNodes; // the contiguous ranges the business databases own at the start
    if (state.databaseNodesKnown) {
        for (const BusinessDatabase& database : scenario.data.databases)
            databaseNodes.push_back(database.nodes);
    }
    NodeRoster roster(state.nodesKnown ? scenario.cluster.nodes : 0, databaseNodes);
    int databases = state.rule ? state.rule->databaseCount() : 0;
    for (std::size_t i : order) {
        const TreeNode& item = node->children[i];
        const std::string itemPath = fmt::format("{}[{}]", path, i);
        MapReader map(context, &item, itemPath,
            { "at", "add_nodes", "remove_node", "fail_node", "recover_node", "reshard", "placement", "migration" });
        if (!map.present())
            continue;
        EventConfig event;
        event.line = item.line;
        if (!map.require("at", "when it happens, e.g. at: 2h") || !times[i]) {
            for (const char* key :
                { "add_nodes", "remove_node", "fail_node", "recover_node", "reshard", "placement", "migration" })
                map.get(key);
            map.finish();
            continue;
        }
        event.at = *times[i];
        const std::string when = atText(event.at);
        // Node numbers are only checkable when the starting count is known.
        if (state.nodesKnown) {
            applyNodeChanges(context, map, scenario, roster, event, when, state);
        } else {
            for (const char* key : { "add_nodes", "remove_node", "fail_node", "recover_node" })
                map.get(key);
        }
        if (const TreeNode* value = map.get("reshard")) {
            ShardRulePtr rule;
            if (auto spec = readRule(context, *value, map.pathOf("reshard"), state, &rule)) {
                checkRuleWithDatabases(context, *value, map.pathOf("reshard"), *spec, state);
                event.reshard = std::move(*spec);
                databases = rule->databaseCount();
            } else {
                databases = 0;
            }
        }
        if (const TreeNode* value = map.get("placement"); value && state.databasesDeclared) {
            context.errorAtKey(*value, map.pathOf("placement"),
                "with data.databases each business database places its logical databases round-robin on its own "
                "nodes; a placement event cannot move them");
        } else if (value) {
            if (auto placement = readPlacement(context, *value, map.pathOf("placement"), scenario.cluster,
                    state.nodesKnown ? &roster : nullptr, databases, when))
                event.placement = std::move(*placement);
        }
        const bool moves = map.get("add_nodes") || map.get("remove_node") || map.get("reshard") || map.get("placement");
        const bool acts = moves || map.get("fail_node") || map.get("recover_node");
        if (const TreeNode* value = map.get("migration")) {
            if (!moves && !map.get("fail_node")) { // a failure moves data when its copies are rebuilt elsewhere
                context.errorAtKey(*value, itemPath,
                    "'migration' needs an event that moves data: add_nodes, remove_node, reshard, placement or "
                    "fail_node (the re-replication of its copies)");
            } else {
                MapReader migration(context, value, map.pathOf("migration"), { "bandwidth" });
                if (const TreeNode* bandwidth = migration.get("bandwidth")) {
                    if (auto rate = readByteRate(context, *bandwidth, migration.pathOf("bandwidth"), 1, 1e15))
                        event.migration.bandwidth = *rate;
                }
                migration.finish();
            }
        }
        if (!acts)
            context.error(item, itemPath,
                "an event needs at least one of add_nodes, remove_node, fail_node, recover_node, reshard, placement");
        map.finish();
        out.push_back(std::move(event));
    }
}

void readExpect(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario,
    std::vector<ExpectConfig>& out, const ReadState& state)
{
    if (!node || node->isNull())
        return;
    const std::string path = "expect";
    if (!node->isSequence()) {
        context.error(*node, path,
            "expected a list like [{ metric: imbalance.max_over_mean, at_most: 3 }], got " + node->describe());
        return;
    }
    if (node->children.size() > input_limits::kMaxExpects) {
        context.error(*node, path,
            fmt::format(
                "lists {} assertions; at most {} are supported", node->children.size(), input_limits::kMaxExpects));
        return;
    }
    const std::vector<std::string> metrics = metricNames();
    const double end = state.durationKnown ? scenario.duration : input_limits::kMaxDuration;
    const char* endName = state.durationKnown ? "the scenario's duration" : "";
    for (std::size_t i = 0; i < node->children.size(); ++i) {
        const TreeNode& item = node->children[i];
        MapReader map(context, &item, fmt::format("{}[{}]", path, i),
            { "metric", "at_most", "at_least", "equals", "from", "to" });
        if (!map.present())
            continue;
        ExpectConfig expect;
        expect.line = item.line;
        expect.origin = context.originText(item.origin);
        if (const TreeNode* value = map.require("metric", "e.g. metric: imbalance.max_over_mean")) {
            if (auto name = readText(context, *value, map.pathOf("metric"))) {
                std::string op;
                std::string field;
                const bool opMetric = splitOperationMetric(*name, op, field);
                const bool opKnown = opMetric
                    && std::any_of(scenario.workload.mix.begin(), scenario.workload.mix.end(),
                        [&](const OperationConfig& entry) { return entry.name == op; });
                if (findMetric(*name) || opKnown) {
                    expect.metric = *name;
                } else if (opMetric) {
                    std::vector<std::string> ops;
                    for (const OperationConfig& entry : scenario.workload.mix)
                        ops.push_back(entry.name);
                    context.error(*value, map.pathOf("metric"),
                        fmt::format("no operation named '{}' in workload.mix{}", op, didYouMean(op, ops)));
                } else {
                    std::string message = fmt::format("unknown metric {}", value->describe());
                    std::string suggestion = didYouMean(*name, metrics);
                    if (suggestion.empty()) {
                        message += "; known metrics: ";
                        for (std::size_t m = 0; m < metrics.size(); ++m)
                            message += (m ? ", " : "") + metrics[m];
                    }
                    context.error(*value, map.pathOf("metric"), message + suggestion);
                }
            }
        }
        auto bound = [&](const char* key, std::optional<double>& field) {
            const TreeNode* value = map.get(key);
            if (!value)
                return;
            const std::string fieldPath = map.pathOf(key);
            if (value->isScalar() && value->scalar.find('%') != std::string::npos) {
                field = readFraction(context, *value, fieldPath, -1e18, 1e18);
                return;
            }
            // Thresholds may be negative or fractional; `1M` reads as a count.
            if (auto number = units::parseNumber(value->scalar); value->isScalar() && number.ok())
                field = readNumber(context, *value, fieldPath, -1e18, 1e18);
            else if (auto count = units::parseCount(value->scalar);
                     value->isScalar() && !count.ok() && count.error().starts_with("expected"))
                // Neither a number nor a count: say what a threshold is rather than what a count is (.nan, .inf).
                context.error(*value, fieldPath,
                    fmt::format("expected a finite number like 0.99, a percentage like 5% or a count like 1M, got {}",
                        value->describe()));
            else
                field = readCount(context, *value, fieldPath, INT64_MIN, INT64_MAX);
        };
        bound("at_most", expect.atMost);
        bound("at_least", expect.atLeast);
        bound("equals", expect.equals);
        const TreeNode* equals = map.get("equals");
        if (!map.get("at_most") && !map.get("at_least") && !equals) {
            context.error(item, map.path(), "an assertion needs at_most, at_least or equals");
        } else if (equals && (map.get("at_most") || map.get("at_least"))) {
            context.errorAtKey(*equals, map.path(), "'equals' cannot be combined with at_most or at_least");
        } else if (expect.atMost && expect.atLeast && *expect.atLeast > *expect.atMost) {
            context.error(*map.get("at_least"), map.pathOf("at_least"),
                fmt::format(
                    "must not exceed at_most, {} (got {})", formatNumber(*expect.atMost), map.get("at_least")->scalar));
        }
        if (const TreeNode* value = map.get("from"))
            expect.from = readDuration(context, *value, map.pathOf("from"), 0, end, endName);
        if (const TreeNode* value = map.get("to")) {
            expect.to = readDuration(context, *value, map.pathOf("to"), 0, end, endName);
            if (expect.from && expect.to && *expect.to <= *expect.from)
                context.error(*value, map.pathOf("to"), "must be after 'from'");
        }
        map.finish();
        out.push_back(std::move(expect));
    }
}

} // namespace shardsim::scenario
