#pragma once
// The `data` section: the tables, their size, growth, keys and how they are tied together.

#include <cstdint>
#include <string>
#include <vector>

namespace shardsim {

enum class ColumnKind {
    Plain, // no index: a query by it scans every shard
    Indexed, // secondary index, not unique
    Unique, // unique secondary key such as login_name (a lookup candidate)
    Time, // grows with insert time (created_at): range rules by time, ORDER BY time
};

struct ColumnSpec {
    std::string name;
    ColumnKind kind = ColumnKind::Plain; // written `plain | indexed | unique | time`
    int64_t values = 0; // distinct values (plain and indexed columns); 0: not stated
};

enum class IdScheme {
    Sequential, // auto-increment: 1, 2, 3, ... (default)
    Snowflake, // 41 bits ms time, 10 bits worker, 12 bits sequence
    Segment, // blocks of ids fetched from a sequence table
    Uuid, // random 128-bit
    Step, // Flickr-style: server k of n hands out k, k+n, k+2n, ...
};

struct IdConfig {
    IdScheme scheme = IdScheme::Sequential; // default sequential
    int64_t block = 1000; // segment: ids fetched per round trip; default 1000
    int step = 2; // step: number of id servers (the step); default 2
    int workers = 1; // snowflake: workers generating ids at once; default 1, at most 1024
};

// A column moved out of the core table by a vertical split.
struct SplitColumn {
    std::string name;
    double size = 0; // bytes per row
    std::vector<std::string> readBy; // operations of workload.mix that read it; default none
    int line = 0; // where it was written, for later messages
    int column = 0;
    int origin = -1;
};

// Vertical split of a wide table: the listed (cold or wide) columns move to an extension table keyed like the
// core table and stored with it (bound to it); the core table keeps the rest of row_size.
struct SplitConfig {
    std::string table; // the extension table; default "<name>_ext"
    std::vector<SplitColumn> columns; // at least one; their sizes add up to less than row_size

    bool empty() const { return columns.empty(); }
    double bytes() const
    {
        double total = 0;
        for (const SplitColumn& column : columns)
            total += column.size;
        return total;
    }
};

struct TableConfig {
    std::string name; // required, unique among the tables
    std::string key = "id"; // primary key column; default "id"
    std::string shardKey; // column the rule routes by; default: `key`
    int64_t rows = 0; // rows at the start; required, 0..10^15
    double rowSize = 256; // bytes per row; default 256B
    IdConfig ids; // how new primary keys are made; default sequential
    double growth = 0; // rows inserted per second; written `2M/day`; default 0
    std::vector<ColumnSpec> columns; // columns besides key and shard key, in file order; default none
    std::string boundTo; // parent table whose shards hold this table's rows (ER binding); default none
    bool broadcast = false; // a full copy in every database (global table); default false
    SplitConfig split; // vertical split into a core and an extension table; default none
    int database = 0; // index into DataConfig::databases (written `database: order_db`); 0 without databases

    const std::string& effectiveShardKey() const { return shardKey.empty() ? key : shardKey; }
    // True for the key, the shard key and every declared column.
    bool hasColumn(const std::string& column) const;
};

// A business database of a vertical split by domain (order, payment, member, ...): its tables live on nodes of
// its own, sharded there by `sharding.rule`.
struct BusinessDatabase {
    std::string name; // unique among the databases
    int nodes = 0; // nodes it owns at the start, at least 1: the next `nodes` of the cluster, in file order
    int line = 0; // where it was written, for later messages
};

struct DataConfig {
    // In file order; database 0 owns node-1..node-n0, database 1 the next n1 nodes, ... Their nodes add up to
    // cluster.nodes. Empty without a split by domain (the default): every table on every node.
    std::vector<BusinessDatabase> databases;
    std::vector<TableConfig> tables; // at least one

    const TableConfig* findTable(const std::string& name) const;
};

} // namespace shardsim
