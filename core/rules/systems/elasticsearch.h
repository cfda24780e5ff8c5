#pragma once
// Internal: Elasticsearch's document routing, separate from the rule so the tests can check it against
// Elasticsearch's own vectors. docs/rules-real-systems.md cites the sources.

#include <cstdint>
#include <span>
#include <string_view>

namespace shardsim::rules::systems {

// Murmur3HashFunction.hash(String): murmur3 x86_32, seed 0, over the string's UTF-16 code units written
// little-endian (two bytes a unit). `utf8` is decoded as Java's `new String(bytes, UTF_8)` decodes it.
int32_t elasticsearchHash(std::string_view utf8);
// MetadataCreateIndexService.calculateNumRoutingShards for indices created on 7.0 or later: shards * 2^k with
// k = max(1, 10 - ceil(log2(shards))), the most splits by 2 that stay within 1024 shards, and at least one.
int elasticsearchDefaultRoutingShards(int shards);

// How a hash becomes a shard.
struct ElasticsearchRouting {
    int shards = 1;
    int routingShards = 1; // 7.x: floorMod(hash, routingShards) / (routingShards / shards)
    bool modShards = false; // 9.4: floorMod(hash, shards); routingShards is not used
    int partitionSize = 1; // index.routing_partition_size; 1 = not partitioned
};

// IndexRouting.shardId(id, routing): the routing value's hash (the _id's without routing), plus
// floorMod(hash(_id), partitionSize) on a partitioned index, with Java int overflow, then to a shard.
int elasticsearchShard(const ElasticsearchRouting& routing, std::string_view id, std::string_view routingValue);
int elasticsearchShardOfHash(const ElasticsearchRouting& routing, int32_t hash);
// IndexRouting.collectSearchShards(routing): the shards of hash(routing) + j for j = 0 .. partitionSize - 1, as
// OperationRouting.searchShards collects them into a set. Writes the distinct shards to `shards` (size >=
// min(partitionSize, shards)) in the order they are first reached and returns how many.
int elasticsearchSearchShards(
    const ElasticsearchRouting& routing, std::string_view routingValue, std::span<int> shards);

} // namespace shardsim::rules::systems
