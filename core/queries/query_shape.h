#pragma once
// What one call of a `workload.mix` operation asks of the shards, resolved once from the scenario: which key
// spaces it draws keys from, whether it must ask every shard, the lookups it needs first, and the rows each shard
// request returns. Both engines and `shardsim-cli explain` read the same shape, so they cannot disagree on the
// rules; docs/queries-model.md gives every rule with its source.

#include <cstdint>
#include <string>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::queries {

// How a call finds the shards of its data.
enum class Reach {
    Keys, // `keys` keys drawn from the key distribution, each on its key's shard (the shard key, or a gene column)
    EveryShard, // scatter: the condition does not name the shard key, so every shard is asked
    NextKey, // insert: the shard of the key the id scheme hands out next (monotone ids), else like Keys
    BroadcastRead, // a broadcast table read: one copy, in the caller's region when there is one
    BroadcastWrite, // a broadcast table write: every database's copy
};

struct QueryShape {
    OperationKind kind = OperationKind::Point;
    Reach reach = Reach::Keys;
    int leadTable = 0; // the table whose key domain the call's keys come from (its first sharded table)
    int64_t keys = 1; // independent keys per call (point, transaction, insert)
    // Tables of the call outside the first one's key domain (transactions and joins): their rows are found by the
    // same logical key in their own key space, so each key draws one more key per such table.
    std::vector<int> otherTables; // table indices
    // Join sides that are neither bound to the first table nor broadcast: they are asked on every shard.
    std::vector<int> scatteredSides; // table indices
    // A page or an aggregate by the shard key: a search by one routing value. It asks the shards the rule spreads
    // that value over (ShardRule::searchShardsOfInteger): one, except on Elasticsearch's partitioned index.
    bool routingSearch = false;
    int mappingTable = -1; // lookup: the mapping table asked once per key before the data shard; -1 for none
    bool twoPhase = false; // a write that commits with 2PC when it touches more than one shard
    int broadcastWrites = 0; // broadcast tables the call also writes (every database's copy)
    // Vertical split: the call reads split columns, so every touched data shard also serves a read of the
    // extension table (colocated with the core rows): one more request per touched shard, one more row per key.
    int extensionReads = 0;
    // Rows. Every asked data shard returns `shardRows` (pages and scans: offset + limit, the offset drawn per call
    // from offset, offset + limit, ... offset + (offsetSteps - 1) x limit; aggregates: one partial), and each key
    // adds rowsPerKey rows on its own shard (point, transaction, insert, join: one per table).
    int64_t rowsPerKey = 0;
    int64_t limit = 0; // page, scan
    int64_t offset = 0; // page: the smallest offset
    int64_t offsetSteps = 1; // page: how many offsets are drawn from (1: fixed)
    bool pageRows = false; // every asked shard returns offset + limit rows
    bool partials = false; // aggregate: one partial row per asked shard, merged by the router
    std::string why; // why the call reaches what it reaches, in words (explain prints it)

    double meanOffset() const
    {
        return static_cast<double>(offset) + static_cast<double>(limit) * static_cast<double>(offsetSteps - 1) / 2.0;
    }
    // Rows every asked data shard returns, on average over the drawn offsets.
    double meanShardRows() const { return pageRows ? meanOffset() + static_cast<double>(limit) : partials ? 1.0 : 0.0; }
};

// The name of the mapping table kept for `lookup: { column: mapping-table }` on `table`.
std::string mappingTableName(const std::string& table, const std::string& column);

// Adds a mapping table (column -> key) for every table with a column that `sharding.lookup` serves by
// mapping-table: a real table with the parent's rows and growth, sharded by the column, so that it has storage
// and takes the lookups' load. Idempotent.
void addMappingTables(ScenarioConfig& config);

// Turns every `split` into two tables: the core table keeps row_size minus the split columns' bytes, and an
// extension table (the split columns plus the 8-byte key) is bound to it with the same rows and growth.
// Idempotent.
void applySplits(ScenarioConfig& config);

// `domainOfTable[t]`: the key domain table t's rows are spread over (-1: broadcast), as RunPlan resolves it.
// `rangeRule`: the rule keeps keys in ranges, so a scan by the shard key stays on the shard its range starts in.
Result<QueryShape> planQuery(
    const ScenarioConfig& config, const OperationConfig& op, const std::vector<int>& domainOfTable, bool rangeRule);

} // namespace shardsim::queries
