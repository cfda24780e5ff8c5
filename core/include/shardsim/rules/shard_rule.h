#pragma once
// A shard rule maps a typed key to one logical shard (0-based index). Rules are immutable after
// construction and safe to call from many threads.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/rules/key.h"

namespace shardsim {

struct RouteResult {
    int index = 0; // 0-based logical shard
    // The hash the rule computed, formatted as its system prints it: lowercase hex for Vitess keyspace
    // ids, signed decimal for Cassandra tokens and MongoDB hashes, unsigned decimal otherwise.
    std::optional<std::string> hash;
    std::optional<int> db; // db-table and range-mod: the (physical, after folding) database, 1-based
    std::optional<int> table; // db-table and range-mod: the table inside the database, 0-based
};

// Steps of a routing decision in words ("murmur3(9527) = ...", "9527 / 10 % 8 + 1 = 1"), for --explain.
using Explanation = std::vector<std::string>;

class ShardRule {
public:
    virtual ~ShardRule() = default;

    // Fails only for keys the rule cannot take (a string for `mod`, an unknown region for `geo`).
    virtual Result<RouteResult> route(const Key& key, Explanation* explain = nullptr) const = 0;

    virtual int shardCount() const = 0;
    // Name of a logical shard: "db1.t_7", "-80", "shard-3".
    virtual std::string shardName(int index) const = 0;

    // Logical databases group shards for placement: db-table puts many tables in one database.
    // By default every shard is its own database.
    virtual int databaseCount() const { return shardCount(); }
    virtual int databaseOf(int shardIndex) const { return shardIndex; }

    // The canonical inline spec, e.g. "db-table:dbs=8,tables=10".
    virtual std::string spec() const = 0;

    // ---- For the simulator (docs/engine-model.md) ----------------------------------------------------

    // The shard of the int64 key `key`, or -1 when the rule refuses it: route(Key::int64(key)).index without
    // the formatted hash, the explanation and the Result, for the sampled engine's inner loop. An override
    // must agree with route() on every key.
    virtual int shardOfInteger(int64_t key) const;
    // shards[i] = shardOfInteger(keys[i]) for a batch (shards.size() >= keys.size()): one virtual call for many keys,
    // so a rule's loop can keep several hashes in flight.
    virtual void shardsOfIntegers(std::span<const int64_t> keys, std::span<int32_t> shards) const;

    // Adds `mass` to `shares` (one entry per shard), spread in proportion to how many of the int64 keys lo..hi
    // each shard holds, and returns the part of `mass` that falls on keys the rule refuses (a key beyond
    // range-mod's databases, one missing from a directory). An empty range (hi < lo) adds nothing.
    // Arithmetic rules count keys exactly (residues, intersected ranges). Hashed rules route a short range key
    // by key and give a long one the expected fraction of each shard (its part of the hash space), which is
    // what a range of keys with uniformly spread hashes receives on average. The default routes every key of
    // a range of at most kRangeShareKeys keys, else that many evenly spaced keys, each carrying its part.
    virtual double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const;
    // Whether addRangeShares counts every range's keys exactly (residues, intersected ranges), so the simulator never
    // needs to count them one by one (engine/range_share_counter.h). False for hashed rules, whose addRangeShares
    // gives a long range its expected fractions rather than the keys' real assignment.
    virtual bool countsRangesExactly() const { return false; }
    // What shardOfInteger costs relative to one 64-bit hash and a lookup (1): rendezvous hashes the key once per
    // shard. The simulator counts that many times fewer keys one by one.
    virtual double keyRoutingCost() const { return 1; }

    // Keys at which the shard (or, for range-mod, the database) changes for an ordered rule, ascending: range's
    // bounds. Empty for rules whose shards are not contiguous key ranges. The simulator splits key segments there
    // and draws them on the heat map.
    virtual std::vector<int64_t> rangeBoundaries() const { return {}; }

    // ---- Routed searches (docs/queries-model.md §2) ------------------------------------------------------

    // The most shards a search by one routing value visits: 1, except where the rule spreads one routing value's
    // rows over several shards (Elasticsearch's index.routing_partition_size).
    virtual int searchSpread() const { return 1; }
    // Writes the distinct shards a search by routing value `key` visits to `shards` (size >= searchSpread()) and
    // returns how many; 0 when the rule refuses the key. By default the key's own shard.
    virtual int searchShardsOfInteger(int64_t key, std::span<int> shards) const;
    // Adds `mass` of searches by routing values whose hashes are spread evenly: to visited[s] the part that visits
    // shard s, to histogram[d] (size > searchSpread()) the part that visits d shards. By default one shard each,
    // evenly spread.
    virtual void addSpreadSearches(double mass, std::span<double> visited, std::span<double> histogram) const;

    static constexpr int64_t kRangeShareKeys = 4096;
};

using ShardRulePtr = std::shared_ptr<const ShardRule>;

} // namespace shardsim
