// `hash-mod:n=N,hash=H` — hash the key, then modulo N. With hash=java this is ShardingSphere's HASH_MOD:
// `Math.abs((long) value.hashCode()) % sharding-count`; the cast to long keeps Integer.MIN_VALUE positive.

#include <fmt/format.h>

#include "rules/arithmetic/key_math.h"
#include "rules/rule_makers.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules {

namespace {

    // The boxed Java type whose hashCode ShardingSphere sees for a key of this type.
    std::string_view javaTypeName(KeyType type)
    {
        switch (type) {
        case KeyType::Int32:
            return "Integer";
        case KeyType::Int64:
        case KeyType::UInt64:
            return "Long";
        case KeyType::String:
            return "String";
        case KeyType::Bytes:
            return "byte[] (Arrays.hashCode)";
        }
        return "Object";
    }

    class HashModRule final : public ShardRule {
    public:
        HashModRule(int shards, hashes::HashFunction function)
            : m_shards(shards)
            , m_function(function)
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            RouteResult result;
            if (m_function == hashes::HashFunction::Java) {
                const int32_t hash = hashes::javaHashCode(key);
                const int64_t magnitude = hash < 0 ? -static_cast<int64_t>(hash) : hash;
                result.index = static_cast<int>(magnitude % m_shards);
                result.hash = std::to_string(hash);
                if (explain) {
                    explain->push_back(
                        fmt::format("Java {}.hashCode({}) = {}", javaTypeName(key.type), key.display(), hash));
                    explain->push_back(fmt::format(
                        "Math.abs((long) {}) % {} = {} % {} = {}", hash, m_shards, magnitude, m_shards, result.index));
                }
            } else {
                const uint64_t hash = hashes::hashKey(m_function, key);
                result.index = static_cast<int>(hash % static_cast<uint64_t>(m_shards));
                result.hash = std::to_string(hash);
                if (explain) {
                    explain->push_back(fmt::format(
                        "{}({}) = {} (unsigned 64-bit)", hashes::hashFunctionName(m_function), key.display(), hash));
                    explain->push_back(fmt::format("{} mod {} = {}", hash, m_shards, result.index));
                }
            }
            if (explain)
                explain->push_back(fmt::format("remainder {} is {}", result.index, shardName(result.index)));
            return result;
        }

        int shardCount() const override { return m_shards; }
        std::string shardName(int index) const override { return plainShardName(index); }
        std::string spec() const override
        {
            return fmt::format("hash-mod:n={},hash={}", m_shards, hashes::hashFunctionName(m_function));
        }

    private:
        int m_shards;
        hashes::HashFunction m_function;
    };

} // namespace

ShardRulePtr makeHashModRule(RuleParams& params, const RuleContext&)
{
    const auto shards = params.integer("n", std::nullopt, 1, 10'000'000);
    const auto hashName = params.choice("hash", "java", { "java", "murmur3", "xxhash64", "fnv1a64", "crc32" });
    if (!params.finish().empty())
        return nullptr;
    const auto function = hashes::parseHashFunction(hashName);
    if (!function) {
        params.addError(function.error());
        return nullptr;
    }
    return std::make_shared<HashModRule>(static_cast<int>(shards), *function);
}

} // namespace shardsim::rules
