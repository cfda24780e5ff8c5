#pragma once
// Rows and bytes per logical shard and per node as the tables grow.
//
// A table's rows are spread over the shards like its keys: a root table's rows are its keys 1..rows; a table
// bound to a parent (or sharded by the parent's key) has its rows spread evenly over the parent's keys; a
// broadcast table has a full copy in every database. Every copy of a database counts on its node.
//
// Inserted rows (`growth`) go where their keys go. Monotone ids (sequential, snowflake, segment, step) put new
// keys after the newest, so a range rule's last shard takes every insert; uuid keys are random, so inserts
// spread like the existing keys; a bound table's new rows spread over the parent's keys. Where inserts go is
// recomputed only when the keys inserted next leave the window it was computed for (1/1000 of the key count,
// and never across one of the rule's range boundaries), so a tick costs O(nodes).

#include <span>
#include <vector>

#include "engine/cluster_layout.h"
#include "engine/range_share_counter.h"
#include "engine/run_plan.h"
#include "shardsim/rules/shard_rule.h"

namespace shardsim::engine {

class StorageModel {
public:
    // `geoShares`: for a geo rule, each shard's share of every sharded table's rows (the regions' shares); empty
    // otherwise.
    // `counter` counts the rule's keys per shard (hashed rules: their real assignment, not the expected fractions).
    // `start`: the time the model starts at, with every table's rows at that time spread over its keys then (a layout
    // that replaces another mid-run without replaying the inserts before it).
    StorageModel(const RunPlan& plan, const ClusterLayout& cluster, RangeShareCounter& counter,
        std::vector<double> geoShares, double start = 0);

    // Adds the rows inserted during [t0, t1).
    void advance(double t0, double t1);

    std::span<const double> nodeRows() const { return m_nodeRows; }
    std::span<const double> nodeBytes() const { return m_nodeBytes; }

    // Rows of `table` on each of the rule's shards (within its business database) at time t >= the last advance;
    // empty for a broadcast table. A root table with monotone ids under a hashed rule whose keys are counted (all, or
    // as many as the bound needs) gets its keys' counts; otherwise the inserts of the current window are spread by
    // its shares.
    std::vector<double> shardRows(size_t table, double t) const;
    // Rows of `table` whose keys the rule refuses (they have no shard), at time t.
    double refusedRows(size_t table, double t) const;
    // The standard error of a shard's rows of a sharded table at t, relative to them (RangeShareCounter::
    // shareStandardError over the keys the rows are spread over; inserts past the counted keys are given fractions
    // too, so the whole range is judged at once); 0 for broadcast tables and geo rules.
    double shareStandardError(size_t table, double t) const;

private:
    struct TableState {
        std::vector<double> checkpointRows; // per shard, at checkpointTime
        double checkpointRefused = 0;
        double checkpointTime = 0;
        std::vector<double> insertShares; // per shard: fraction of inserted rows; refusedInsert the rest
        double refusedInsert = 0;
        uint64_t windowFirst = 1; // keys the insert shares were computed for (monotone ids)
        uint64_t windowLast = 0;
        uint64_t basisKeys = 0; // key count the shares were computed for (uuid, bound tables)
        std::vector<double> nodeRate; // rows/s added on each node, copies included
    };

    // Whether `table`'s rows at time t are its keys 1..rows, counted where the rule puts them (all of them, or as many
    // as the bound needs: countsEnough).
    bool countsKeysAt(size_t table, double t) const;
    bool countsEnough(uint64_t keys) const;
    // Whether the inserts of [t0, t1) still go where `state` says; if not, recompute at t0.
    void refreshInserts(size_t table, double t0, double t1);
    // Each shard's share of rows whose keys are spread evenly over first..last (geo rule: the regions' shares);
    // `window`: the keys of a window of monotone inserts, counted only where that is cheap.
    void spreadUniform(
        uint64_t first, uint64_t last, std::vector<double>& shares, double& refused, bool window = false) const;
    void sumNodeRates();
    // Rows/s on each node when `growth` rows/s go to the rule's shards of business database `group` by
    // `shardShares` (empty: a broadcast table, a copy in each of the group's databases).
    std::vector<double> nodeRateOf(const std::vector<double>& shardShares, double growth, int group) const;

    const RunPlan* m_plan;
    const ClusterLayout* m_cluster;
    RangeShareCounter* m_counter;
    const ShardRule* m_rule;
    std::vector<double> m_geoShares;
    std::vector<uint64_t> m_boundaries; // the rule's range boundaries as keys >= 1
    std::vector<TableState> m_tables;
    std::vector<std::vector<double>> m_copiesOnNode; // [group][node]: database copies, for broadcast tables
    std::vector<double> m_nodeRows;
    std::vector<double> m_nodeBytes;
    std::vector<double> m_nodeRowRate; // rows/s over all tables
    std::vector<double> m_nodeByteRate; // bytes/s over all tables
};

} // namespace shardsim::engine
