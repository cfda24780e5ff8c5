// Guava's Hashing.consistentHash: jump consistent hash as Guava computes it.

#include "rules/systems/guava.h"

#include <fmt/format.h>

#include "rules/consistent/jump_hash.h"
#include "rules/consistent/member_names.h"
#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules::systems {

namespace {

    // Java's (int) of a double: NaN is 0, values beyond int's range saturate.
    int64_t javaIntCast(double value)
    {
        if (value != value)
            return 0;
        if (value >= 2147483647.0)
            return 2147483647;
        if (value <= -2147483648.0)
            return -2147483648LL;
        return static_cast<int64_t>(value);
    }

} // namespace

int32_t guavaConsistentHash(int64_t input, int32_t buckets, std::vector<int64_t>* visited)
{
    auto state = static_cast<uint64_t>(input);
    int64_t candidate = 0;
    if (visited)
        visited->push_back(candidate);
    while (true) {
        state = 2862933555777941757ULL * state + 1;
        // (int) (state >>> 33) + 1 in Java int arithmetic: 2^31 - 1 + 1 wraps to -2^31.
        const auto next31 = static_cast<int32_t>(state >> 33);
        const int32_t plusOne = static_cast<int32_t>(static_cast<uint32_t>(next31) + 1u);
        const double nextDouble = static_cast<double>(plusOne) / 0x1.0p31;
        const int64_t next = javaIntCast(static_cast<double>(candidate + 1) / nextDouble);
        if (visited)
            visited->push_back(next);
        if (next >= 0 && next < buckets)
            candidate = next;
        else
            return static_cast<int32_t>(candidate);
    }
}

namespace {

    class GuavaRule final : public ShardRule {
    public:
        explicit GuavaRule(int buckets)
            : m_buckets(buckets)
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const uint64_t input = jumpInput(key);
            std::vector<int64_t> visited;
            const int32_t bucket
                = guavaConsistentHash(static_cast<int64_t>(input), m_buckets, explain ? &visited : nullptr);
            if (explain) {
                const auto asLong = static_cast<int64_t>(input);
                if (key.isInteger())
                    explain->push_back(fmt::format("Hashing.consistentHash({}L, {})", asLong, m_buckets));
                else
                    explain->push_back(
                        fmt::format("murmur3_128(\"{}\").padToLong() = {}; Hashing.consistentHash({}L, {})",
                            key.display(), asLong, asLong, m_buckets));
                std::string path;
                for (size_t i = 0; i + 1 < visited.size(); ++i)
                    path += (i ? " -> " : "") + std::to_string(visited[i]);
                explain->push_back(fmt::format("LinearCongruentialGenerator jumps: bucket {}", path));
                explain->push_back(
                    fmt::format("the next candidate {} is outside 0..{}, so the key stays in bucket {}: {}",
                        visited.back(), m_buckets - 1, bucket, shardName(bucket)));
            }
            RouteResult result;
            result.index = bucket;
            result.hash = std::to_string(static_cast<int64_t>(input));
            return result;
        }

        int shardCount() const override { return m_buckets; }
        std::string shardName(int index) const override { return memberShardName(index); }
        std::string spec() const override { return fmt::format("guava:buckets={}", m_buckets); }

        int shardOfInteger(int64_t key) const override { return guavaConsistentHash(key, m_buckets); }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addEvenHashedRangeShares(*this, lo, hi, mass, shares);
        }

    private:
        int m_buckets;
    };

} // namespace

} // namespace shardsim::rules::systems

namespace shardsim::rules {

ShardRulePtr makeGuavaRule(RuleParams& params, const RuleContext&)
{
    const auto buckets = params.integer("buckets", std::nullopt, 1, 10'000'000);
    if (!params.finish().empty())
        return nullptr;
    return std::make_shared<systems::GuavaRule>(static_cast<int>(buckets));
}

} // namespace shardsim::rules
