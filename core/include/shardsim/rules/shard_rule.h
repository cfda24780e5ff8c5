#pragma once
// A shard rule maps a typed key to one logical shard (0-based index). Rules are immutable after
// construction and safe to call from many threads.

#include <memory>
#include <optional>
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
};

using ShardRulePtr = std::shared_ptr<const ShardRule>;

} // namespace shardsim
