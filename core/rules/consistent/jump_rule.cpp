// `jump:buckets=N` — jump consistent hash over N shards. Growing N -> N+1 moves exactly the keys that land
// in the new bucket (about 1/(N+1)) and nothing else; shards can only be added or removed at the end.
//
// The algorithm reads a 64-bit value. Integer keys are used as they are: int32 and int64 as the uint64 of
// their two's complement (so the int32 and int64 -1 are the same value), uint64 unchanged, into the C++ of Lamping
// and Veach's paper. Guava's Hashing.consistentHash runs the same algorithm in its own arithmetic and lands elsewhere
// on rare keys, so it is the separate rule `guava` (rules/systems/guava.h says where they differ). String and bytes
// keys are hashed first with murmur3 (h1 of MurmurHash3_x64_128, seed 0, over the UTF-8 or raw bytes).

#include <fmt/format.h>

#include "rules/consistent/jump_hash.h"
#include "rules/consistent/member_names.h"
#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules {

namespace {

    class JumpRule final : public ShardRule {
    public:
        explicit JumpRule(int buckets)
            : m_buckets(buckets)
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const uint64_t input = jumpInput(key);
            std::vector<int64_t> visited;
            RouteResult result;
            result.index = jumpConsistentHash(input, m_buckets, explain ? &visited : nullptr);
            result.hash = std::to_string(input);
            if (explain) {
                if (key.isInteger())
                    explain->push_back(fmt::format("64-bit input: {} (the integer key as uint64)", input));
                else
                    explain->push_back(fmt::format("64-bit input: murmur3({}) = {}", key.display(), input));
                std::string path;
                for (size_t i = 0; i + 1 < visited.size(); ++i)
                    path += (i ? " -> " : "") + std::to_string(visited[i]);
                explain->push_back(fmt::format("jumps with the LCG seeded by the input: bucket {}", path));
                explain->push_back(fmt::format("the next jump would reach {} >= {} buckets, so the key stays in "
                                               "bucket {}: {}",
                    visited.back(), m_buckets, result.index, shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return m_buckets; }
        std::string shardName(int index) const override { return memberShardName(index); }
        std::string spec() const override { return fmt::format("jump:buckets={}", m_buckets); }

        int shardOfInteger(int64_t key) const override
        {
            return jumpConsistentHash(static_cast<uint64_t>(key), m_buckets);
        }

        void shardsOfIntegers(std::span<const int64_t> keys, std::span<int32_t> shards) const override
        {
            jumpConsistentHashes(keys, m_buckets, shards);
        }

        // Every bucket takes 1/N of uniformly random inputs; consecutive integers are scrambled by the LCG.
        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addEvenHashedRangeShares(*this, lo, hi, mass, shares);
        }

    private:
        int m_buckets;
    };

} // namespace

ShardRulePtr makeJumpRule(RuleParams& params, const RuleContext&)
{
    const auto buckets = params.integer("buckets", std::nullopt, 1, 10'000'000);
    if (!params.finish().empty())
        return nullptr;
    return std::make_shared<JumpRule>(static_cast<int>(buckets));
}

} // namespace shardsim::rules
