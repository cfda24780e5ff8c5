#include "queries/query_shape.h"

#include <algorithm>

#include <fmt/format.h>

namespace shardsim::queries {

namespace {

    constexpr double kMappingRowSize = 64; // bytes: a column value up to ~48 B, the 8-byte key, row overhead
    constexpr double kKeyBytes = 8; // the key an extension row repeats to find its core row

    LookupKind lookupOf(const ScenarioConfig& config, const std::string& column)
    {
        const auto found = config.sharding.lookup.find(column);
        return found == config.sharding.lookup.end() ? LookupKind::None : found->second;
    }

    int indexOf(const ScenarioConfig& config, const TableConfig* table)
    {
        return table ? static_cast<int>(table - config.data.tables.data()) : -1;
    }

} // namespace

std::string mappingTableName(const std::string& table, const std::string& column)
{
    return fmt::format("{}_{}_map", table, column);
}

void addMappingTables(ScenarioConfig& config)
{
    std::vector<TableConfig> added;
    for (const TableConfig& table : config.data.tables) {
        if (table.broadcast)
            continue;
        for (const auto& [column, kind] : config.sharding.lookup) {
            if (kind != LookupKind::MappingTable || column == table.effectiveShardKey() || !table.hasColumn(column))
                continue;
            const std::string name = mappingTableName(table.name, column);
            if (config.data.findTable(name))
                continue;
            TableConfig map;
            map.name = name;
            map.key = column;
            map.rows = table.rows;
            map.database = table.database; // the lookup is served by the table's own business database
            map.growth = table.growth;
            map.rowSize = kMappingRowSize;
            // Column values such as login names hash like random keys: inserts spread over every shard.
            map.ids.scheme = IdScheme::Uuid;
            added.push_back(std::move(map));
        }
    }
    for (TableConfig& table : added)
        config.data.tables.push_back(std::move(table));
}

void applySplits(ScenarioConfig& config)
{
    std::vector<TableConfig> added;
    for (TableConfig& table : config.data.tables) {
        if (table.split.empty() || config.data.findTable(table.split.table))
            continue;
        TableConfig extension;
        extension.name = table.split.table;
        extension.key = table.key;
        extension.shardKey = table.shardKey;
        extension.rows = table.rows;
        extension.database = table.database;
        extension.growth = table.growth;
        extension.ids = table.ids;
        extension.boundTo = table.name;
        extension.rowSize = table.split.bytes() + kKeyBytes;
        for (const SplitColumn& column : table.split.columns)
            extension.columns.push_back({ column.name, ColumnKind::Plain });
        table.rowSize -= table.split.bytes();
        added.push_back(std::move(extension));
    }
    for (TableConfig& table : added)
        config.data.tables.push_back(std::move(table));
}

Result<QueryShape> planQuery(
    const ScenarioConfig& config, const OperationConfig& op, const std::vector<int>& domainOfTable, bool rangeRule)
{
    const DataConfig& data = config.data;
    QueryShape shape;
    shape.kind = op.kind;
    shape.keys = std::max<int64_t>(1, op.keys);
    std::vector<int> tables;
    for (const std::string& name : op.tables) {
        const int index = indexOf(config, data.findTable(name));
        if (index < 0)
            return fail(fmt::format("workload.mix: operation '{}' names no known table '{}'", op.name, name));
        tables.push_back(index);
    }
    if (tables.empty())
        tables.push_back(0);
    // The first sharded table leads: its key domain is where the call's keys come from.
    int lead = tables.front();
    for (int t : tables) {
        if (domainOfTable[static_cast<size_t>(t)] >= 0) {
            lead = t;
            break;
        }
    }
    shape.leadTable = lead;
    const TableConfig& table = data.tables[static_cast<size_t>(lead)];
    const int domain = domainOfTable[static_cast<size_t>(lead)];
    const bool write = op.kind == OperationKind::Transaction || op.kind == OperationKind::Insert;

    if (op.kind == OperationKind::Page || op.kind == OperationKind::Scan) {
        shape.pageRows = true;
        shape.limit = op.limit;
        if (op.kind == OperationKind::Page) {
            shape.offset = op.offset;
            if (op.maxOffset > op.offset)
                shape.offsetSteps = (op.maxOffset - op.offset) / std::max<int64_t>(1, op.limit) + 1;
        }
    }
    shape.partials = op.kind == OperationKind::Aggregate;
    if (op.kind == OperationKind::Point || op.kind == OperationKind::Insert || op.kind == OperationKind::Transaction
        || op.kind == OperationKind::Join)
        shape.rowsPerKey = 1;

    if (domain < 0) {
        // Every table of the call is broadcast: a full copy in every database.
        shape.reach = write ? Reach::BroadcastWrite : Reach::BroadcastRead;
        shape.why = write
            ? fmt::format("{} is a broadcast table: a write goes to its copy in every database", table.name)
            : fmt::format("{} is a broadcast table: a read is served by one copy, in the caller's "
                          "region when there is one",
                table.name);
        return shape;
    }

    // The column the condition names; pages, scans, aggregates and joins without `by` have no condition on a key.
    std::string by = op.by;
    if (by.empty() && (op.kind == OperationKind::Point))
        by = table.key;
    if (by.empty() && (op.kind == OperationKind::Transaction || op.kind == OperationKind::Insert))
        by = table.effectiveShardKey();
    const bool byShardKey = by == table.effectiveShardKey();
    const LookupKind lookup = byShardKey || by.empty() ? LookupKind::None : lookupOf(config, by);

    if (op.kind == OperationKind::Insert) {
        shape.reach = Reach::NextKey;
        shape.why = fmt::format("the new row of {} goes where its id scheme puts the next key", table.name);
    } else if (by.empty()) {
        shape.reach = Reach::EveryShard;
        shape.why = op.kind == OperationKind::Page && !op.orderBy.empty()
            ? fmt::format("ORDER BY {} LIMIT offset, limit names no shard key: every shard returns offset + limit "
                          "rows and the router merges them",
                op.orderBy)
            : fmt::format("the condition does not name {}'s shard key {}: every shard is asked", table.name,
                table.effectiveShardKey());
    } else if (byShardKey) {
        if (op.kind == OperationKind::Scan && !rangeRule) {
            shape.reach = Reach::EveryShard;
            shape.why
                = fmt::format("a range of {} is spread over every shard by a hashing rule: every shard is asked", by);
        } else {
            shape.reach = Reach::Keys;
            shape.routingSearch
                = (op.kind == OperationKind::Page || op.kind == OperationKind::Aggregate) && shape.keys == 1;
            shape.why = fmt::format("{} is {}'s shard key: each key routes to one shard", by, table.name);
        }
    } else if (lookup == LookupKind::Gene) {
        shape.reach = Reach::Keys;
        shape.why = fmt::format("the gene of {} is embedded in {}: it routes like the shard key, with no lookup", by,
            table.effectiveShardKey());
    } else if (lookup == LookupKind::MappingTable) {
        shape.reach = Reach::Keys;
        shape.mappingTable = indexOf(config, data.findTable(mappingTableName(table.name, by)));
        if (shape.mappingTable < 0)
            return fail(
                fmt::format("workload.mix: operation '{}': no mapping table for {}.{}", op.name, table.name, by));
        shape.why = fmt::format("{} is not the shard key: one lookup in the mapping table {} finds {}, then one shard",
            by, mappingTableName(table.name, by), table.effectiveShardKey());
    } else {
        shape.reach = Reach::EveryShard;
        shape.why = fmt::format("{} is not {}'s shard key {} and has no lookup: every shard is asked", by, table.name,
            table.effectiveShardKey());
    }

    // The other tables: bound to the lead (same key domain) join and commit locally; broadcast tables are local
    // for reads and written everywhere; the rest live by keys of their own.
    for (int t : tables) {
        if (t == lead)
            continue;
        const int other = domainOfTable[static_cast<size_t>(t)];
        if (other == domain) {
            shape.rowsPerKey += op.kind == OperationKind::Join || op.kind == OperationKind::Transaction ? 1 : 0;
        } else if (other < 0) {
            if (write)
                ++shape.broadcastWrites;
            else if (op.kind == OperationKind::Join)
                shape.rowsPerKey += 1; // the copy in the same database
        } else if (op.kind == OperationKind::Join) {
            shape.scatteredSides.push_back(t);
        } else {
            shape.otherTables.push_back(t);
        }
    }
    if (op.kind == OperationKind::Join && !shape.scatteredSides.empty()) {
        shape.reach = Reach::EveryShard;
        shape.why = fmt::format("{} is neither bound to {} nor broadcast: its side of the join is asked on every shard",
            data.tables[static_cast<size_t>(shape.scatteredSides.front())].name, table.name);
    }
    shape.twoPhase = op.kind == OperationKind::Transaction;
    // Split columns this operation reads: a second read, of the extension table, on every touched shard.
    const bool readsSplit
        = std::any_of(table.split.columns.begin(), table.split.columns.end(), [&](const SplitColumn& column) {
              return std::find(column.readBy.begin(), column.readBy.end(), op.name) != column.readBy.end();
          });
    if (readsSplit && op.kind != OperationKind::Insert) {
        shape.extensionReads = 1;
        shape.rowsPerKey += 1;
        shape.why += fmt::format(
            "; it reads split columns, so each shard also reads the extension table {}", table.split.table);
    }
    return shape;
}

} // namespace shardsim::queries
