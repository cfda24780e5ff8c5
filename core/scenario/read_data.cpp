// The `data` section: tables, their ids, columns and bindings.

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "section_readers.h"
#include "shardsim/common/suggest.h"
#include "shardsim/common/units.h"
#include "shardsim/scenario/config_names.h"
#include "shardsim/scenario/input_limits.h"

namespace shardsim::scenario {

namespace {

    const std::vector<std::string> kColumnKinds = { "plain", "indexed", "unique", "time" };

    void readIds(ReadContext& context, const TreeNode& node, const std::string& path, IdConfig& out)
    {
        if (!node.isMap()) {
            if (auto scheme = readChoice(context, node, path, kIdSchemeNames.list(), "id scheme"))
                out.scheme = static_cast<IdScheme>(*scheme);
            return;
        }
        MapReader map(context, &node, path, { "scheme", "block", "step", "workers" });
        const TreeNode* schemeNode = map.require("scheme");
        if (!schemeNode)
            return;
        auto scheme = readChoice(context, *schemeNode, map.pathOf("scheme"), kIdSchemeNames.list(), "id scheme");
        if (!scheme)
            return;
        out.scheme = static_cast<IdScheme>(*scheme);
        switch (out.scheme) {
        case IdScheme::Segment:
            if (const TreeNode* value = map.get("block")) {
                if (auto block = readCount(context, *value, map.pathOf("block"), 1, 1'000'000'000))
                    out.block = *block;
            }
            break;
        case IdScheme::Step:
            if (const TreeNode* value = map.get("step")) {
                if (auto step = readCount(context, *value, map.pathOf("step"), 1, 1024))
                    out.step = static_cast<int>(*step);
            }
            break;
        case IdScheme::Snowflake:
            if (const TreeNode* value = map.get("workers")) {
                // 10 bits of datacenter + worker.
                if (auto workers = readCount(context, *value, map.pathOf("workers"), 1, 1024))
                    out.workers = static_cast<int>(*workers);
            }
            break;
        default:
            break;
        }
        map.finish("id scheme '" + std::string(kIdSchemeNames.name(static_cast<IdScheme>(*scheme))) + "'");
    }

    std::optional<ColumnSpec> readColumnKind(ReadContext& context, const TreeNode& node, const std::string& path)
    {
        auto kind = readChoice(context, node, path, kColumnKinds, "column kind");
        return kind ? std::optional<ColumnSpec>(ColumnSpec { {}, static_cast<ColumnKind>(*kind) }) : std::nullopt;
    }

    // `status: { kind: indexed, values: 5 }`: a column and how many distinct values it holds.
    std::optional<ColumnSpec> readColumnMap(
        ReadContext& context, const TreeNode& node, const std::string& path, const TableConfig& table)
    {
        MapReader map(context, &node, path, { "kind", "values" });
        ColumnSpec out;
        bool ok = true;
        if (const TreeNode* value = map.get("kind")) {
            auto column = readColumnKind(context, *value, map.pathOf("kind"));
            ok = column.has_value();
            if (column)
                out.kind = column->kind;
        }
        if (const TreeNode* value = map.get("values")) {
            auto values = readCount(
                context, *value, map.pathOf("values"), 1, input_limits::kMaxRows, "the limit of 10^15 rows per table");
            ok = ok && values.has_value();
            if (values)
                out.values = *values;
            // A key, a unique column and a time column hold a value per row: fewer values would contradict them.
            if (values && (node.key == table.key || node.key == table.effectiveShardKey())) {
                context.error(*value, map.pathOf("values"),
                    fmt::format("'{}' is the table's {}: it has one value per row; values applies to plain and "
                                "indexed columns",
                        node.key, node.key == table.key ? "key" : "shard key"));
                ok = false;
            } else if (values && (out.kind == ColumnKind::Unique || out.kind == ColumnKind::Time)) {
                context.error(*value, map.pathOf("values"),
                    fmt::format("a {} column has one value per row; values applies to plain and indexed columns",
                        kColumnKinds[static_cast<size_t>(out.kind)]));
                ok = false;
            }
        }
        map.finish();
        return ok ? std::optional<ColumnSpec>(out) : std::nullopt;
    }

    void readColumns(ReadContext& context, const TreeNode& node, const std::string& path, TableConfig& out)
    {
        if (node.isSequence()) {
            // `columns: [login_name, created_at]`: plain columns.
            for (std::size_t i = 0; i < node.children.size(); ++i) {
                if (auto name = readName(context, node.children[i], fmt::format("{}[{}]", path, i)))
                    out.columns.push_back({ *name, ColumnKind::Plain });
            }
        } else if (node.isMap()) {
            for (const auto& entry : node.children) {
                TreeNode keyNode;
                keyNode.kind = TreeNode::Kind::Scalar;
                keyNode.scalar = entry.key;
                keyNode.line = entry.keyLine;
                keyNode.column = entry.keyColumn;
                keyNode.origin = entry.origin;
                auto name = readName(context, keyNode, path);
                auto column = entry.isMap() ? readColumnMap(context, entry, path + "." + entry.key, out)
                                            : readColumnKind(context, entry, path + "." + entry.key);
                if (name && column) {
                    column->name = *name;
                    out.columns.push_back(std::move(*column));
                }
            }
        } else {
            context.error(node, path,
                "expected a mapping of column to kind like { login_name: unique, status: { values: 5 } }, got "
                    + node.describe());
            return;
        }
        if (out.columns.size() > input_limits::kMaxColumns)
            context.error(node, path,
                fmt::format("has {} columns; at most {} are supported", out.columns.size(), input_limits::kMaxColumns));
    }

    void readSplit(ReadContext& context, const TreeNode& node, const std::string& path, TableConfig& out)
    {
        MapReader map(context, &node, path, { "table", "columns" });
        if (!map.present())
            return;
        if (const TreeNode* value = map.get("table")) {
            if (auto name = readName(context, *value, map.pathOf("table")))
                out.split.table = *name;
        }
        const TreeNode* columns
            = map.require("columns", "the columns that move, e.g. columns: { profile: { size: 300B, read_by: [get_profile] } }");
        map.finish();
        if (!columns)
            return;
        const std::string columnsPath = map.pathOf("columns");
        if (!columns->isMap() || columns->children.empty()) {
            context.error(*columns, columnsPath,
                "expected a mapping of column to { size, read_by } like { profile: { size: 300B } }, got "
                    + columns->describe());
            return;
        }
        for (const TreeNode& entry : columns->children) {
            const std::string entryPath = columnsPath + "." + entry.key;
            SplitColumn column;
            column.name = entry.key;
            column.line = entry.keyLine;
            column.column = entry.keyColumn;
            column.origin = entry.origin;
            MapReader fields(context, &entry, entryPath, { "size", "read_by" });
            if (!fields.present())
                continue;
            if (const TreeNode* value = fields.require("size", "bytes per row, e.g. size: 300B")) {
                if (auto size = readSize(context, *value, fields.pathOf("size"), 1, input_limits::kMaxRowSize))
                    column.size = *size;
            }
            if (const TreeNode* value = fields.get("read_by")) {
                if (!value->isSequence()) {
                    context.error(*value, fields.pathOf("read_by"),
                        "expected a list of operations like [get_profile], got " + value->describe());
                } else {
                    for (std::size_t i = 0; i < value->children.size(); ++i) {
                        if (auto op = readName(
                                context, value->children[i], fmt::format("{}[{}]", fields.pathOf("read_by"), i)))
                            column.readBy.push_back(*op);
                    }
                }
            }
            fields.finish();
            out.split.columns.push_back(std::move(column));
        }
        if (out.split.table.empty())
            out.split.table = out.name + "_ext";
        if (out.split.bytes() >= out.rowSize)
            context.error(*columns, columnsPath,
                fmt::format("the split columns take {:g} B of the row's {:g} B (row_size); they must leave the core "
                            "table some bytes",
                    out.split.bytes(), out.rowSize));
    }

    // Where a table's size was given, to say which value takes it past a limit.
    struct SizePlaces {
        const TreeNode* rows = nullptr;
        const TreeNode* rowSize = nullptr;
        const TreeNode* growth = nullptr;
    };

    // Rows and bytes at the end of the run, within input_limits::kMaxRows and kMaxBytes: every count and size
    // derived from them (storage per node, rows to move) then stays an exact, finite number.
    void checkTableSize(
        ReadContext& context, const SizePlaces& sizes, const MapReader& map, const TableConfig& table, const ReadState& state)
    {
        const double duration = state.durationKnown ? state.duration : 0;
        const double rowsAtEnd = double(table.rows) + table.growth * duration;
        if (rowsAtEnd > double(input_limits::kMaxRows)) {
            context.error(*sizes.growth, map.pathOf("growth"),
                fmt::format("{} over {} takes the table to {} rows; more than the limit of 10^15 rows per table",
                    sizes.growth->scalar, units::formatDuration(duration), formatNumber(rowsAtEnd)));
            return;
        }
        const double bytes = rowsAtEnd * table.rowSize;
        if (bytes > input_limits::kMaxBytes) {
            const TreeNode* at = sizes.rowSize ? sizes.rowSize : sizes.rows;
            context.error(*at, map.pathOf(sizes.rowSize ? "row_size" : "rows"),
                fmt::format("{} rows{} of {} are {}; more than the limit of {} per table", formatNumber(rowsAtEnd),
                    table.growth > 0 ? " at the end of the run" : "", units::formatSize(table.rowSize),
                    units::formatSize(bytes), units::formatSize(input_limits::kMaxBytes)));
        }
    }

    struct TablePlaces {
        const TreeNode* name = nullptr;
        const TreeNode* boundTo = nullptr;
        const TreeNode* broadcast = nullptr;
        const TreeNode* database = nullptr; // set when it resolved to a business database
    };

    void readTable(ReadContext& context, const TreeNode& node, const std::string& path,
        const std::vector<BusinessDatabase>& databases, const ReadState& state, TableConfig& out, TablePlaces& places)
    {
        MapReader map(context, &node, path,
            { "name", "key", "shard_key", "rows", "row_size", "ids", "growth", "columns", "bound_to", "broadcast",
                "split", "database" });
        if (const TreeNode* value = map.require("name")) {
            if (auto name = readName(context, *value, map.pathOf("name"))) {
                out.name = *name;
                places.name = value;
            }
        }
        if (const TreeNode* value = map.get("key")) {
            if (auto key = readName(context, *value, map.pathOf("key")))
                out.key = *key;
        }
        if (const TreeNode* value = map.get("shard_key")) {
            if (auto key = readName(context, *value, map.pathOf("shard_key")))
                out.shardKey = *key;
        }
        const std::size_t errorsBefore = context.errorCount();
        SizePlaces sizes;
        if ((sizes.rows = map.require("rows", "the rows at the start, e.g. rows: 50M"))) {
            // An empty table has no key to read: every read of it would land on the shard of key 0.
            if (auto rows = readCount(context, *sizes.rows, map.pathOf("rows"), 1, input_limits::kMaxRows,
                    "the limit of 10^15 rows per table"))
                out.rows = *rows;
        }
        if ((sizes.rowSize = map.get("row_size"))) {
            if (auto size = readSize(context, *sizes.rowSize, map.pathOf("row_size"), 1, input_limits::kMaxRowSize))
                out.rowSize = *size;
        }
        if (const TreeNode* value = map.get("ids"))
            readIds(context, *value, map.pathOf("ids"), out.ids);
        if ((sizes.growth = map.get("growth"))) {
            if (auto growth = readRate(context, *sizes.growth, map.pathOf("growth"), 0, input_limits::kMaxRate))
                out.growth = *growth;
        }
        if (sizes.rows && context.errorCount() == errorsBefore)
            checkTableSize(context, sizes, map, out, state);
        if (const TreeNode* value = map.get("columns"))
            readColumns(context, *value, map.pathOf("columns"), out);
        if (const TreeNode* value = map.get("bound_to")) {
            if (auto parent = readName(context, *value, map.pathOf("bound_to"))) {
                out.boundTo = *parent;
                places.boundTo = value;
            }
        }
        if (const TreeNode* value = map.get("broadcast")) {
            if (auto broadcast = readBool(context, *value, map.pathOf("broadcast"))) {
                out.broadcast = *broadcast;
                places.broadcast = value;
            }
        }
        if (const TreeNode* value = map.get("split")) {
            if (out.broadcast)
                context.errorAtKey(*value, path, "a broadcast table cannot be split");
            else
                readSplit(context, *value, map.pathOf("split"), out);
        }
        const TreeNode* database = state.databasesDeclared
            ? map.require("database",
                  "with data.databases every table belongs to one business database, e.g. database: order_db")
            : map.get("database");
        if (database) {
            if (auto index = readDatabaseRef(context, *database, map.pathOf("database"), databases, state)) {
                out.database = *index;
                places.database = database;
            }
        }
        map.finish();
    }

    // bound_to must name another table, must not loop, and contradicts broadcast.
    void checkBindings(ReadContext& context, const std::vector<TableConfig>& tables,
        const std::vector<TablePlaces>& places, const std::string& path)
    {
        std::map<std::string, std::size_t> byName;
        std::vector<std::string> names;
        for (std::size_t i = 0; i < tables.size(); ++i) {
            if (!places[i].name)
                continue;
            if (auto [where, inserted] = byName.emplace(tables[i].name, i); !inserted) {
                const TreeNode* first = places[where->second].name;
                context.error(*places[i].name, fmt::format("{}[{}].name", path, i),
                    fmt::format("duplicate table name '{}' (first at line {})", tables[i].name, first->line));
            } else {
                names.push_back(tables[i].name);
            }
        }
        for (std::size_t i = 0; i < tables.size(); ++i) {
            const TreeNode* bound = places[i].boundTo;
            if (!bound)
                continue;
            const std::string fieldPath = fmt::format("{}[{}].bound_to", path, i);
            const auto parent = byName.find(tables[i].boundTo);
            if (parent == byName.end()) {
                context.error(*bound, fieldPath,
                    fmt::format("no table named '{}'{}", tables[i].boundTo, didYouMean(tables[i].boundTo, names)));
                continue;
            }
            if (tables[i].broadcast) {
                context.error(
                    *bound, fieldPath, "a broadcast table is copied everywhere and cannot be bound_to a parent");
                continue;
            }
            if (tables[parent->second].broadcast) {
                context.error(*bound, fieldPath,
                    fmt::format("'{}' is a broadcast table; bind to a sharded table", tables[i].boundTo));
                continue;
            }
            // Follow the chain; a walk longer than the table count has looped.
            std::size_t at = parent->second;
            for (std::size_t steps = 0; steps <= tables.size(); ++steps) {
                if (at == i) {
                    context.error(*bound, fieldPath,
                        fmt::format("bound_to '{}' leads back to '{}': bindings must not form a cycle",
                            tables[i].boundTo, tables[i].name));
                    break;
                }
                if (tables[at].boundTo.empty())
                    break;
                auto next = byName.find(tables[at].boundTo);
                if (next == byName.end())
                    break;
                at = next->second;
            }
        }
    }

    // The engine keeps a table's rows with its parent's: the bound_to parent, else the first other sharded table of
    // its business database whose key is its shard key (orders by uid in order_db are not kept with member_db's
    // users: they are sharded by uid on order_db's nodes). A bound table must be in its parent's database.
    std::optional<std::size_t> rowParent(const std::vector<TableConfig>& tables, std::size_t table)
    {
        const TableConfig& child = tables[table];
        if (child.broadcast)
            return std::nullopt;
        for (std::size_t t = 0; t < tables.size(); ++t) {
            if (t == table)
                continue;
            const bool parent = child.boundTo.empty()
                ? child.effectiveShardKey() != child.key && tables[t].key == child.effectiveShardKey()
                    && tables[t].database == child.database
                : tables[t].name == child.boundTo;
            // A broadcast parent has a copy everywhere; binding to one is reported by checkBindings.
            if (parent && !tables[t].broadcast)
                return t;
            if (parent && !child.boundTo.empty())
                return std::nullopt;
        }
        return std::nullopt;
    }

    void checkDatabases(ReadContext& context, const DataConfig& data, const std::vector<TablePlaces>& places,
        const TreeNode& databasesNode, const std::string& path)
    {
        const auto& tables = data.tables;
        std::vector<bool> used(data.databases.size(), false);
        for (std::size_t i = 0; i < tables.size(); ++i) {
            if (!places[i].database)
                continue;
            used[static_cast<std::size_t>(tables[i].database)] = true;
            const auto parent = rowParent(tables, i);
            if (!parent || !places[*parent].database || tables[*parent].database == tables[i].database)
                continue;
            const TableConfig& child = tables[i];
            const TableConfig& owner = tables[*parent];
            context.error(*places[i].database, fmt::format("{}[{}].database", path, i),
                fmt::format("{} is bound_to {}, so its rows live with {}'s: {} is in {} but {} in {}; put both in "
                            "one business database",
                    child.name, owner.name, owner.name, child.name, data.databases[static_cast<std::size_t>(child.database)].name,
                    owner.name, data.databases[static_cast<std::size_t>(owner.database)].name));
        }
        const bool everyTable
            = std::all_of(places.begin(), places.end(), [](const TablePlaces& p) { return p.database != nullptr; });
        for (std::size_t d = 0; d < data.databases.size() && everyTable; ++d) {
            if (used[d])
                continue;
            const TreeNode& item = databasesNode.children[d];
            const TreeNode* name = item.find("name");
            context.error(name ? *name : item, fmt::format("data.databases[{}].name", d),
                fmt::format("no table is in {}: every business database holds at least one table (give one "
                            "database: {})",
                    data.databases[d].name, data.databases[d].name));
        }
    }

} // namespace

void readData(
    ReadContext& context, const TreeNode* node, const ClusterConfig& cluster, DataConfig& out, ReadState& state)
{
    MapReader map(context, node, "data", { "databases", "tables" });
    const TreeNode* databases = map.get("databases");
    if (databases)
        readDatabases(context, *databases, cluster, out.databases, state);
    const TreeNode* tables = map.require("tables", "at least one table");
    map.finish();
    if (!tables)
        return;
    const std::string path = map.pathOf("tables");
    if (!tables->isSequence() || tables->children.empty()) {
        context.error(*tables, path,
            "expected a list of at least one table like [{ name: t_user, rows: 50M }], got " + tables->describe());
        return;
    }
    if (tables->children.size() > input_limits::kMaxTables) {
        context.error(*tables, path,
            fmt::format(
                "lists {} tables; at most {} are supported", tables->children.size(), input_limits::kMaxTables));
        return;
    }
    std::vector<TablePlaces> places(tables->children.size());
    out.tables.resize(tables->children.size());
    for (std::size_t i = 0; i < tables->children.size(); ++i)
        readTable(context, tables->children[i], fmt::format("{}[{}]", path, i), out.databases, state, out.tables[i],
            places[i]);
    checkBindings(context, out.tables, places, path);
    if (!state.databasesDeclared || !state.databaseNamesKnown)
        return;
    checkDatabases(context, out, places, *databases, path);
    state.tableDatabasesKnown
        = std::all_of(places.begin(), places.end(), [](const TablePlaces& p) { return p.database != nullptr; });
}

} // namespace shardsim::scenario
