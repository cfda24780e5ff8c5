// `mod:n=N` — the integer key modulo N, the textbook rule and ShardingSphere's MOD algorithm, except that
// the remainder is floored so negative keys land on a shard instead of on a negative suffix.

#include <fmt/format.h>

#include "rules/arithmetic/key_math.h"
#include "rules/range_shares.h"
#include "rules/rule_makers.h"

namespace shardsim::rules {

namespace {

    class ModRule final : public ShardRule {
    public:
        explicit ModRule(int shards)
            : m_shards(shards)
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const auto value = wideValue(key);
            if (!value)
                return fail(fmt::format("mod needs an integer key; use hash-mod for {} keys such as '{}'",
                    keyTypeName(key.type), key.display()));
            RouteResult result;
            result.index = static_cast<int>(floorMod(*value, m_shards));
            if (explain) {
                explain->push_back(fmt::format("{} mod {} = {}", key.display(), m_shards, result.index));
                if (*value < 0)
                    explain->push_back("the remainder is floored, so a negative key still lands in 0.."
                        + std::to_string(m_shards - 1) + " (C's and Java's % would give a negative one)");
                explain->push_back(fmt::format("remainder {} is {}", result.index, shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return m_shards; }
        std::string shardName(int index) const override { return plainShardName(index); }
        std::string spec() const override { return fmt::format("mod:n={}", m_shards); }

        int shardOfInteger(int64_t key) const override
        {
            const int64_t remainder = key % m_shards;
            return static_cast<int>(remainder < 0 ? remainder + m_shards : remainder);
        }

        // Exact: every residue of a full cycle of N keys once, then one run of consecutive residues.
        bool countsRangesExactly() const override { return true; }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            const WideInt length = rangeLength(lo, hi);
            if (length > 0)
                addResidueShares(lo, hi, m_shards, mass / static_cast<double>(length), shares.first(shardCount()));
            return 0;
        }

    private:
        int m_shards;
    };

} // namespace

ShardRulePtr makeModRule(RuleParams& params, const RuleContext&)
{
    const auto shards = params.integer("n", std::nullopt, 1, 10'000'000);
    if (!params.finish().empty())
        return nullptr;
    return std::make_shared<ModRule>(static_cast<int>(shards));
}

} // namespace shardsim::rules
