// `hash-mod:n=N,hash=H` — hash the key, then modulo N. With hash=java this is ShardingSphere's HASH_MOD:
// `Math.abs((long) value.hashCode()) % sharding-count`; the cast to long keeps Integer.MIN_VALUE positive.

#include <algorithm>
#include <fmt/format.h>

#include "rules/arithmetic/key_math.h"
#include "rules/integer_hashes.h"
#include "rules/range_shares.h"
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

        int shardOfInteger(int64_t key) const override
        {
            if (m_function == hashes::HashFunction::Java) {
                const int32_t hash = javaLongHash(key);
                const int64_t magnitude = hash < 0 ? -static_cast<int64_t>(hash) : hash;
                return static_cast<int>(magnitude % m_shards);
            }
            return static_cast<int>(hashOfInteger(m_function, key) % static_cast<uint64_t>(m_shards));
        }

        void shardsOfIntegers(std::span<const int64_t> keys, std::span<int32_t> shards) const override
        {
            if (m_function != hashes::HashFunction::Murmur3)
                return ShardRule::shardsOfIntegers(keys, shards);
            const auto n = static_cast<uint64_t>(m_shards);
            for (size_t i = 0; i < keys.size(); ++i)
                shards[i] = static_cast<int32_t>(murmur3OfInteger(keys[i]) % n);
        }

        // java counts [-2^31, 2^31) by residues (every key a simulated table holds); the rest probes.
        bool countsRangesExactly() const override { return m_function == hashes::HashFunction::Java; }

        // java: Long.hashCode(v) is v itself for 0 <= v < 2^31 and ~v = -v - 1 (so |hash| = -v - 1) for
        // -2^31 <= v < 0, so there the rule is a residue of a contiguous range and counted exactly; keys beyond are
        // probed. The 64-bit hashes spread a long range evenly over the N remainders (crc32's 32 bits too, up to
        // N / 2^32).
        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            if (m_function != hashes::HashFunction::Java)
                return addEvenHashedRangeShares(*this, lo, hi, mass, shares);
            const WideInt length = rangeLength(lo, hi);
            if (length == 0)
                return 0;
            const double perKey = mass / static_cast<double>(length);
            constexpr int64_t kIdentity = int64_t(1) << 31; // Long.hashCode is linear on [-2^31, 2^31)
            const auto residues = shares.first(static_cast<size_t>(m_shards));
            double refused = 0;
            const int64_t positiveFrom = std::max<int64_t>(lo, 0);
            const int64_t positiveTo = std::min<int64_t>(hi, kIdentity - 1);
            if (positiveFrom <= positiveTo)
                addResidueShares(positiveFrom, positiveTo, m_shards, perKey, residues);
            const int64_t negativeFrom = std::max<int64_t>(lo, -kIdentity);
            const int64_t negativeTo = std::min<int64_t>(hi, -1);
            if (negativeFrom <= negativeTo)
                addResidueShares(-WideInt(negativeTo) - 1, -WideInt(negativeFrom) - 1, m_shards, perKey, residues);
            const auto probe = [&](int64_t a, int64_t b) {
                if (a <= b)
                    refused
                        += addSampledRangeShares(*this, a, b, perKey * static_cast<double>(rangeLength(a, b)), shares);
            };
            probe(lo, std::min<int64_t>(hi, -kIdentity - 1));
            probe(std::max<int64_t>(lo, kIdentity), hi);
            return refused;
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
