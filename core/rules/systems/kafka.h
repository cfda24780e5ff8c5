#pragma once
// Internal: Kafka's default partitioner for keyed records, separate from the rule so the tests can check it
// against Kafka's own vectors. docs/rules-real-systems.md cites the sources.

#include <cstdint>
#include <string>
#include <string_view>

#include "shardsim/rules/key.h"

namespace shardsim::rules::systems {

// org.apache.kafka.common.utils.Utils.murmur2: MurmurHash2 (32-bit) with seed 0x9747b28c, as a signed int.
int32_t kafkaMurmur2(std::string_view bytes);
// The bytes Kafka's serializers write: IntegerSerializer 4 and LongSerializer 8 bytes big-endian (a uint64 as
// the Long with the same bits), StringSerializer UTF-8, ByteArraySerializer as is.
std::string kafkaKeyBytes(const Key& key);
// BuiltInPartitioner.partitionForKey: Utils.toPositive(murmur2) % partitions.
int kafkaPartition(int32_t murmur2, int partitions);

} // namespace shardsim::rules::systems
