// Kafka's default partitioner for keyed records: murmur2 of the serialized key, made positive, mod partitions.

#include "rules/systems/kafka.h"

#include <fmt/format.h>

#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "rules/systems/system_formulas.h"

namespace shardsim::rules::systems {

int32_t kafkaMurmur2(std::string_view bytes)
{
    // Java int arithmetic: wrap-around multiplication and unsigned shifts (>>>), done in uint32.
    constexpr uint32_t kSeed = 0x9747b28c;
    constexpr uint32_t m = 0x5bd1e995;
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    const size_t length = bytes.size();
    uint32_t h = kSeed ^ static_cast<uint32_t>(length);
    for (size_t i = 0; i + 4 <= length; i += 4) {
        uint32_t k = uint32_t(data[i]) | uint32_t(data[i + 1]) << 8 | uint32_t(data[i + 2]) << 16
            | uint32_t(data[i + 3]) << 24;
        k *= m;
        k ^= k >> 24;
        k *= m;
        h *= m;
        h ^= k;
    }
    const size_t tail = length & ~size_t { 3 };
    switch (length % 4) {
    case 3:
        h ^= uint32_t(data[tail + 2]) << 16;
        [[fallthrough]];
    case 2:
        h ^= uint32_t(data[tail + 1]) << 8;
        [[fallthrough]];
    case 1:
        h ^= data[tail];
        h *= m;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return static_cast<int32_t>(h);
}

std::string kafkaKeyBytes(const Key& key)
{
    const auto bigEndian = [](uint64_t bits, int bytes) {
        std::string out;
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8)
            out += static_cast<char>((bits >> shift) & 0xFF);
        return out;
    };
    switch (key.type) {
    case KeyType::Int32:
        return bigEndian(static_cast<uint32_t>(static_cast<int32_t>(key.i)), 4);
    case KeyType::Int64:
        return bigEndian(static_cast<uint64_t>(key.i), 8);
    case KeyType::UInt64:
        return bigEndian(key.u, 8);
    case KeyType::String:
    case KeyType::Bytes:
        return key.bytes;
    }
    return {};
}

int kafkaPartition(int32_t murmur2, int partitions)
{
    // Utils.toPositive clears the sign bit (it is not Math.abs: -1 becomes 0x7fffffff).
    return static_cast<int>((static_cast<uint32_t>(murmur2) & 0x7fffffffu) % static_cast<uint32_t>(partitions));
}

namespace {

    std::string_view serializerName(KeyType type)
    {
        switch (type) {
        case KeyType::Int32:
            return "IntegerSerializer (4 bytes big-endian)";
        case KeyType::Int64:
            return "LongSerializer (8 bytes big-endian)";
        case KeyType::UInt64:
            return "LongSerializer (the same 64 bits, big-endian)";
        case KeyType::String:
            return "StringSerializer (UTF-8)";
        case KeyType::Bytes:
            return "ByteArraySerializer";
        }
        return "?";
    }

    class KafkaRule final : public ShardRule {
    public:
        KafkaRule(int partitions, const KafkaProducerConfig& producer)
            : m_partitions(partitions)
            , m_producer(producer)
        {
        }

        const KafkaProducerConfig& producer() const { return m_producer; }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const std::string bytes = kafkaKeyBytes(key);
            const int32_t hash = kafkaMurmur2(bytes);
            const int partition = kafkaPartition(hash, m_partitions);
            if (explain) {
                explain->push_back(fmt::format("key {} through the {}: {} ({} bytes)", key.display(),
                    serializerName(key.type), bytes.empty() ? "no bytes" : toHex(bytes), bytes.size()));
                explain->push_back(fmt::format("Utils.murmur2 (seed 0x9747b28c) -> {}", hash));
                explain->push_back(fmt::format("toPositive: {} & 0x7fffffff = {}; % {} partitions -> {}", hash,
                    static_cast<uint32_t>(hash) & 0x7fffffffu, m_partitions, shardName(partition)));
                explain->push_back(fmt::format("records without a key take the sticky partitioner instead (KIP-794): "
                                               "{} bytes to one partition, then the next chosen {}",
                    m_producer.batchSize, stickyChoice()));
            }
            RouteResult result;
            result.index = partition;
            result.hash = std::to_string(hash);
            return result;
        }

        int shardCount() const override { return m_partitions; }
        std::string shardName(int index) const override { return fmt::format("partition-{}", index); }
        std::string spec() const override
        {
            // Only the settings that differ from Kafka's defaults, so the spec reads as it was written.
            const KafkaProducerConfig defaults;
            std::string text = fmt::format("kafka:partitions={}", m_partitions);
            if (m_producer.batchSize != defaults.batchSize)
                text += fmt::format(",batch_size={}", m_producer.batchSize);
            if (m_producer.adaptive != defaults.adaptive)
                text += fmt::format(",adaptive={}", m_producer.adaptive);
            if (m_producer.availabilityTimeoutMs != defaults.availabilityTimeoutMs)
                text += fmt::format(",availability_timeout={}", m_producer.availabilityTimeoutMs);
            return text;
        }

        int shardOfInteger(int64_t key) const override
        {
            char bytes[8];
            auto bits = static_cast<uint64_t>(key);
            for (int i = 7; i >= 0; --i, bits >>= 8)
                bytes[i] = static_cast<char>(bits & 0xFF);
            return kafkaPartition(kafkaMurmur2(std::string_view(bytes, sizeof(bytes))), m_partitions);
        }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addEvenHashedRangeShares(*this, lo, hi, mass, shares);
        }

    private:
        std::string stickyChoice() const
        {
            std::string choice = m_producer.adaptive ? "at random, weighted by max queue + 1 - the partition's queue"
                                                     : "uniformly at random";
            if (m_producer.availabilityTimeoutMs > 0)
                choice += fmt::format(", skipping partitions whose leader has not been ready for {} ms",
                    m_producer.availabilityTimeoutMs);
            return choice;
        }

        int m_partitions;
        KafkaProducerConfig m_producer;
    };

} // namespace

const KafkaProducerConfig* kafkaProducerConfig(const ShardRule& rule)
{
    const auto* kafka = dynamic_cast<const KafkaRule*>(&rule);
    return kafka ? &kafka->producer() : nullptr;
}

} // namespace shardsim::rules::systems

namespace shardsim::rules {

ShardRulePtr makeKafkaRule(RuleParams& params, const RuleContext&)
{
    const auto partitions = params.integer("partitions", std::nullopt, 1, 1'000'000);
    systems::KafkaProducerConfig producer;
    // Kafka's own bounds: batch.size is a non-negative int (0 disables batching: a record is a batch of its own),
    // the availability timeout a non-negative long of milliseconds.
    producer.batchSize = params.integer("batch_size", producer.batchSize, 0, INT32_MAX);
    producer.adaptive = params.choice("adaptive", "true", { "true", "false" }) == "true";
    producer.availabilityTimeoutMs
        = params.integer("availability_timeout", producer.availabilityTimeoutMs, 0, int64_t(1) << 40);
    if (!params.finish().empty())
        return nullptr;
    return std::make_shared<systems::KafkaRule>(static_cast<int>(partitions), producer);
}

} // namespace shardsim::rules
