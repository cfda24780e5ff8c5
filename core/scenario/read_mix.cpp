// workload.mix: the operations, their tables and the column each one filters by.

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "section_readers.h"
#include "shardsim/common/suggest.h"
#include "shardsim/scenario/config_names.h"
#include "shardsim/scenario/input_limits.h"

namespace shardsim::scenario {

namespace {

    // The fields each kind reads besides op, kind and weight.
    std::vector<std::string> fieldsOf(OperationKind kind)
    {
        switch (kind) {
        case OperationKind::Point:
            return { "table", "by", "keys" };
        case OperationKind::Page:
            return { "table", "by", "order_by", "limit", "offset", "max_offset" };
        case OperationKind::Transaction:
            return { "table", "tables", "by", "keys" };
        case OperationKind::Scan:
            return { "table", "by", "order_by", "limit" };
        case OperationKind::Aggregate:
            return { "table", "by" };
        case OperationKind::Join:
            return { "tables", "by" };
        case OperationKind::Insert:
            return { "table", "keys" };
        }
        return {};
    }

    std::vector<std::string> tableNames(const ScenarioConfig& scenario)
    {
        std::vector<std::string> names;
        for (const auto& table : scenario.data.tables)
            names.push_back(table.name);
        return names;
    }

    // Reads `table:` or `tables:` into names with the node of each, checking they exist.
    void readTables(ReadContext& context, MapReader& map, OperationKind kind, const ScenarioConfig& scenario,
        OperationConfig& out, std::vector<const TreeNode*>& places)
    {
        const bool listAllowed = kind == OperationKind::Transaction || kind == OperationKind::Join;
        const TreeNode* single = kind == OperationKind::Join ? nullptr : map.get("table");
        const TreeNode* list = listAllowed ? map.get("tables") : nullptr;
        if (single && list) {
            context.errorAtKey(*list, map.path(), "give either 'table' or 'tables', not both");
            return;
        }
        if (!single && !list) {
            reportMissing(context, *map.node(), map.path(), kind == OperationKind::Join ? "tables" : "table",
                listAllowed ? "the tables it touches" : "the table it reads");
            return;
        }
        std::vector<std::pair<const TreeNode*, std::string>> items;
        if (single) {
            items.emplace_back(single, map.pathOf("table"));
        } else if (!list->isSequence() || list->children.empty()) {
            context.error(*list, map.pathOf("tables"),
                "expected a list of tables like [t_user, t_order], got " + list->describe());
            return;
        } else {
            for (std::size_t i = 0; i < list->children.size(); ++i)
                items.emplace_back(&list->children[i], fmt::format("{}[{}]", map.pathOf("tables"), i));
        }
        if (kind == OperationKind::Join && items.size() < 2) {
            context.error(*list, map.pathOf("tables"), "a join needs at least two tables");
            return;
        }
        const std::vector<std::string> known = tableNames(scenario);
        for (const auto& [node, path] : items) {
            auto name = readName(context, *node, path);
            if (!name)
                continue;
            if (!scenario.data.tables.empty() && !scenario.data.findTable(*name)) {
                context.error(*node, path, fmt::format("no table named '{}'{}", *name, didYouMean(*name, known)));
                continue;
            }
            if (std::find(out.tables.begin(), out.tables.end(), *name) != out.tables.end()) {
                context.error(*node, path, fmt::format("'{}' is listed twice", *name));
                continue;
            }
            out.tables.push_back(*name);
            places.push_back(node);
        }
    }

    // A query runs inside one business database: a join or a transaction across two is an API call of the
    // application, not a query. Broadcast tables count too: each business database copies only its own.
    void checkOneDatabase(ReadContext& context, const TreeNode& node, const std::string& path,
        const ScenarioConfig& scenario, const OperationConfig& op, const ReadState& state)
    {
        if (!state.tableDatabasesKnown || op.tables.size() < 2)
            return;
        const TableConfig* first = scenario.data.findTable(op.tables.front());
        for (const std::string& name : op.tables) {
            const TableConfig* table = scenario.data.findTable(name);
            if (!first || !table || table->database == first->database)
                continue;
            const auto& databases = scenario.data.databases;
            context.error(node, path,
                fmt::format("{} is in {} and {} in {}: a query cannot join or commit across business databases; the "
                            "application calls each database's service, so write one operation per database",
                    first->name, databases[static_cast<std::size_t>(first->database)].name, table->name,
                    databases[static_cast<std::size_t>(table->database)].name));
            return;
        }
    }

    // `by` must be a column every table of the operation knows: its key, shard key, a declared
    // column, or a column with a lookup. A join routes by its first table's column; the other sides are
    // joined on columns of their own (a broadcast region table by region id, ...).
    void checkBy(ReadContext& context, const TreeNode& node, const std::string& path, const ScenarioConfig& scenario,
        const OperationConfig& op)
    {
        if (scenario.sharding.lookup.count(op.by))
            return;
        for (const auto& name : op.tables) {
            if (op.kind == OperationKind::Join && name != op.tables.front())
                break;
            const TableConfig* table = scenario.data.findTable(name);
            if (!table || table->hasColumn(op.by))
                continue;
            std::vector<std::string> known = { table->key, table->effectiveShardKey() };
            for (const auto& column : table->columns)
                known.push_back(column.name);
            for (const auto& [column, kind] : scenario.sharding.lookup)
                known.push_back(column);
            context.error(node, path,
                fmt::format("table '{}' has no column '{}'{} (columns are its key, shard_key, columns and lookup "
                            "columns)",
                    name, op.by, didYouMean(op.by, known)));
            return;
        }
    }

    // Why an operation draws no keys its own law could choose, or empty when it does.
    std::string drawsNoKeys(const ScenarioConfig& scenario, const OperationConfig& op)
    {
        if (op.kind == OperationKind::Insert)
            return "an insert writes the next ids of its table's id scheme and draws no keys";
        const bool scatters = op.kind == OperationKind::Page || op.kind == OperationKind::Scan
            || op.kind == OperationKind::Aggregate || op.kind == OperationKind::Join;
        if (scatters && op.by.empty())
            return fmt::format(
                "a {} without 'by' asks every shard and draws no keys", kOperationKindNames.name(op.kind));
        const bool sharded = std::any_of(op.tables.begin(), op.tables.end(), [&](const std::string& name) {
            const TableConfig* table = scenario.data.findTable(name);
            return !table || !table->broadcast;
        });
        if (!op.tables.empty() && !sharded)
            return "its tables are broadcast: every call reads one whole copy and draws no keys";
        return {};
    }

    // `key_distribution:` on an operation: the law of workload.keys, for this operation's keys only.
    void readOperationKeys(ReadContext& context, const TreeNode& node, const std::string& path,
        const ScenarioConfig& scenario, const ReadState& state, OperationConfig& out)
    {
        if (const std::string why = drawsNoKeys(scenario, out); !why.empty()) {
            context.error(node, path, fmt::format("{} has no key law: {}", out.name, why));
            return;
        }
        const TreeNode* kindNode = node.isMap() ? node.find("distribution") : &node;
        if (kindNode && kindNode->isScalar() && kindNode->scalar == "trace") {
            context.error(*kindNode, node.isMap() ? path + ".distribution" : path,
                "a trace replays every operation's requests as recorded; give it as workload.keys, not on one "
                "operation");
            return;
        }
        const std::size_t errorsBefore = context.errorCount();
        KeyDistributionConfig law;
        readKeyDistribution(context, node, path, state, law);
        if (context.errorCount() == errorsBefore && !out.tables.empty())
            checkRecentWindow(context, node, path, law, scenario, out.tables.front());
        if (context.errorCount() == errorsBefore)
            out.keyLaw = law;
    }

    void readOperation(ReadContext& context, const TreeNode& node, const std::string& path, std::size_t index,
        const ScenarioConfig& scenario, const ReadState& state, OperationConfig& out)
    {
        MapReader map(context, &node, path,
            { "op", "kind", "weight", "table", "tables", "by", "order_by", "limit", "offset", "max_offset", "keys",
                "key_distribution" });
        if (!map.present())
            return;
        out.line = node.line;
        if (const TreeNode* value = map.get("op")) {
            if (auto name = readName(context, *value, map.pathOf("op")))
                out.name = *name;
        }
        const TreeNode* kindNode = map.require("kind", "point | page | transaction | scan | aggregate | join | insert");
        auto kind = kindNode
            ? readChoice(context, *kindNode, map.pathOf("kind"), kOperationKindNames.list(), "operation kind")
            : std::nullopt;
        if (!kind) {
            // Without a kind the other fields cannot be judged; still flag unknown keys.
            for (const char* key : { "weight", "table", "tables", "by", "order_by", "limit", "offset", "max_offset",
                     "keys", "key_distribution" })
                map.get(key);
            map.finish();
            return;
        }
        out.kind = static_cast<OperationKind>(*kind);
        if (out.name.empty())
            out.name = fmt::format("{}-{}", kOperationKindNames.name(out.kind), index + 1);
        if (const TreeNode* value = map.get("weight")) {
            if (auto weight = readNumber(context, *value, map.pathOf("weight"), 0, 1e9))
                out.weight = *weight;
        }
        const std::vector<std::string> fields = fieldsOf(out.kind);
        auto applies
            = [&](const char* field) { return std::find(fields.begin(), fields.end(), field) != fields.end(); };

        std::vector<const TreeNode*> tablePlaces;
        readTables(context, map, out.kind, scenario, out, tablePlaces);
        // Only a list spans tables (transaction, join); it was read above.
        const bool listed = out.kind == OperationKind::Transaction || out.kind == OperationKind::Join;
        if (const TreeNode* list = listed ? node.find("tables") : nullptr)
            checkOneDatabase(context, *list, map.pathOf("tables"), scenario, out, state);

        const TreeNode* byNode = applies("by") ? map.get("by") : nullptr;
        if (byNode) {
            if (auto by = readName(context, *byNode, map.pathOf("by"))) {
                out.by = *by;
                checkBy(context, *byNode, map.pathOf("by"), scenario, out);
            }
        } else if (!out.tables.empty()) {
            const TableConfig* first = scenario.data.findTable(out.tables.front());
            if (first && out.kind == OperationKind::Point)
                out.by = first->key;
            else if (first && out.kind == OperationKind::Transaction)
                out.by = first->effectiveShardKey();
        }
        if (applies("order_by")) {
            if (const TreeNode* value = map.get("order_by")) {
                if (auto column = readName(context, *value, map.pathOf("order_by")))
                    out.orderBy = *column;
            }
        }
        if (applies("limit")) {
            if (const TreeNode* value = map.get("limit")) {
                if (auto limit = readCount(context, *value, map.pathOf("limit"), 1, 1'000'000))
                    out.limit = *limit;
            }
        }
        const TreeNode* offsetNode = applies("offset") ? map.get("offset") : nullptr;
        if (offsetNode) {
            if (auto offset = readCount(context, *offsetNode, map.pathOf("offset"), 0, 1'000'000'000))
                out.offset = *offset;
        }
        if (applies("max_offset")) {
            if (const TreeNode* value = map.get("max_offset")) {
                if (auto maxOffset = readCount(context, *value, map.pathOf("max_offset"), 0, 1'000'000'000)) {
                    if (offsetNode && *maxOffset < out.offset)
                        context.error(*value, map.pathOf("max_offset"),
                            fmt::format("must be at least offset, {} (got {})", out.offset, value->scalar));
                    else
                        out.maxOffset = *maxOffset;
                }
            }
        }
        if (applies("keys")) {
            if (const TreeNode* value = map.get("keys")) {
                if (auto keys = readCount(context, *value, map.pathOf("keys"), 1, 1'000'000))
                    out.keys = *keys;
            }
        }
        if (const TreeNode* value = map.get("key_distribution"))
            readOperationKeys(context, *value, map.pathOf("key_distribution"), scenario, state, out);
        map.finish(fmt::format("kind '{}'", kOperationKindNames.name(out.kind)));
    }

    // A split's read_by names operations of the mix, and its extension table must not clash with a table.
    void checkSplits(ReadContext& context, const ScenarioConfig& scenario, const std::vector<OperationConfig>& mix)
    {
        std::vector<std::string> ops;
        for (const OperationConfig& op : mix)
            ops.push_back(op.name);
        const auto& tables = scenario.data.tables;
        for (std::size_t t = 0; t < tables.size(); ++t) {
            const TableConfig& table = tables[t];
            if (table.split.empty())
                continue;
            const std::string path = fmt::format("data.tables[{}].split", t);
            const SplitColumn& first = table.split.columns.front();
            if (scenario.data.findTable(table.split.table))
                context.errorAt(first.line, first.column, first.origin, path + ".table",
                    fmt::format("the extension table '{}' has the name of another table", table.split.table));
            for (const SplitColumn& column : table.split.columns) {
                for (const std::string& op : column.readBy) {
                    if (std::find(ops.begin(), ops.end(), op) == ops.end())
                        context.errorAt(column.line, column.column, column.origin,
                            fmt::format("{}.columns.{}.read_by", path, column.name),
                            fmt::format("no operation named '{}' in workload.mix{}", op, didYouMean(op, ops)));
                }
            }
        }
    }

} // namespace

void readMix(ReadContext& context, const TreeNode& node, const ScenarioConfig& scenario,
    std::vector<OperationConfig>& out, const ReadState& state)
{
    const std::string path = "workload.mix";
    if (!node.isSequence() || node.children.empty()) {
        context.error(node, path,
            "expected a list of operations like [{ op: get, kind: point, table: t_user }], got " + node.describe());
        return;
    }
    if (node.children.size() > input_limits::kMaxOperations) {
        context.error(node, path,
            fmt::format(
                "lists {} operations; at most {} are supported", node.children.size(), input_limits::kMaxOperations));
        return;
    }
    std::map<std::string, int> lines; // op name -> line of its first use
    double weights = 0;
    bool clean = true;
    for (std::size_t i = 0; i < node.children.size(); ++i) {
        const std::size_t errorsBefore = context.errorCount();
        OperationConfig op;
        const std::string opPath = fmt::format("{}[{}]", path, i);
        readOperation(context, node.children[i], opPath, i, scenario, state, op);
        clean = clean && context.errorCount() == errorsBefore;
        if (!op.name.empty()) {
            if (auto [where, inserted] = lines.emplace(op.name, node.children[i].line); !inserted) {
                const TreeNode* opNode = node.children[i].find("op");
                context.error(opNode ? *opNode : node.children[i], opPath + ".op",
                    fmt::format("duplicate operation name '{}' (first at line {})", op.name, where->second));
            }
        }
        weights += op.weight;
        out.push_back(std::move(op));
    }
    if (clean && weights <= 0)
        context.error(node, path, "the weights add up to 0; give at least one operation a weight above 0");
    checkSplits(context, scenario, out);
}

} // namespace shardsim::scenario
