#pragma once
// Internal: Kafka's default partitioner for keyed records, separate from the rule so the tests can check it
// against Kafka's own vectors. docs/rules-real-systems.md cites the sources.

#include <cstdint>
#include <string>
#include <string_view>

#include "shardsim/rules/key.h"
#include "shardsim/rules/shard_rule.h"

namespace shardsim::rules::systems {

// org.apache.kafka.common.utils.Utils.murmur2: MurmurHash2 (32-bit) with seed 0x9747b28c, as a signed int.
int32_t kafkaMurmur2(std::string_view bytes);
// The bytes Kafka's serializers write: IntegerSerializer 4 and LongSerializer 8 bytes big-endian (a uint64 as
// the Long with the same bits), StringSerializer UTF-8, ByteArraySerializer as is.
std::string kafkaKeyBytes(const Key& key);
// BuiltInPartitioner.partitionForKey: Utils.toPositive(murmur2) % partitions.
int kafkaPartition(int32_t murmur2, int partitions);

// The producer settings of the sticky partitioner that places records without a key (Kafka 3.3+, KIP-794), with
// Kafka's defaults; the engine reads them from the rule (engine/sticky_partitioner.h).
struct KafkaProducerConfig {
    int64_t batchSize = 16'384; // bytes, batch.size: produced to one partition before switching
    bool adaptive = true; // partitioner.adaptive.partitioning.enable: weigh partitions by their queues
    int64_t availabilityTimeoutMs = 0; // partitioner.availability.timeout.ms; 0: never skip a partition
};

// The producer settings of a kafka rule; null for any other rule.
const KafkaProducerConfig* kafkaProducerConfig(const ShardRule& rule);

} // namespace shardsim::rules::systems
