// `maglev:nodes=N[,table=M]` — Maglev hashing, Eisenbud et al., "Maglev: A Fast and Reliable Software
// Network Load Balancer" (NSDI 2016), section 3.4. A lookup table of M entries (M prime) is filled by the
// shards in turn, each taking the next free entry of its own permutation
//   permutation_i[j] = (offset_i + j * skip_i) mod M,
//   offset_i = xxhash64("shard-<i>") mod M,  skip_i = murmur3("shard-<i>") mod (M - 1) + 1,
// which gives every shard M/N entries (within one) and moves few keys between surviving shards when one
// is added or removed. A key's shard is table[murmur3(key) mod M]. The paper advises M > 100 * N.

#include <fmt/format.h>

#include "rules/consistent/maglev_table.h"
#include "rules/consistent/member_names.h"
#include "rules/integer_hashes.h"
#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules {

namespace {

    class MaglevRule final : public ShardRule {
    public:
        MaglevRule(int nodes, int64_t size)
            : m_nodes(nodes)
            , m_table(populateMaglevTable(nodes, size))
        {
            // A uniform hash lands on every entry alike, so a shard's share is its entries over M.
            m_fractions.assign(static_cast<size_t>(nodes), 0.0);
            for (int32_t shard : m_table)
                m_fractions[static_cast<size_t>(shard)] += 1.0;
            for (double& fraction : m_fractions)
                fraction /= static_cast<double>(m_table.size());
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const uint64_t hash = hashes::hashKey(hashes::HashFunction::Murmur3, key);
            const uint64_t slot = hash % m_table.size();
            RouteResult result;
            result.index = m_table[slot];
            result.hash = std::to_string(hash);
            if (explain) {
                explain->push_back(fmt::format("murmur3({}) = {}", key.display(), hash));
                explain->push_back(
                    fmt::format("{} mod {} = {}: lookup-table entry {}", hash, m_table.size(), slot, slot));
                explain->push_back(fmt::format("entry {} belongs to {} (the shards took turns claiming entries in "
                                               "their own preference order)",
                    slot, shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return m_nodes; }
        std::string shardName(int index) const override { return memberShardName(index); }
        std::string spec() const override { return fmt::format("maglev:nodes={},table={}", m_nodes, m_table.size()); }

        int shardOfInteger(int64_t key) const override { return m_table[murmur3OfInteger(key) % m_table.size()]; }

        void shardsOfIntegers(std::span<const int64_t> keys, std::span<int32_t> shards) const override
        {
            for (size_t i = 0; i < keys.size(); ++i)
                shards[i] = m_table[murmur3OfInteger(keys[i]) % m_table.size()];
        }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addHashedRangeShares(*this, lo, hi, mass, shares, m_fractions);
        }

    private:
        int m_nodes;
        std::vector<int32_t> m_table; // shard of each lookup-table entry
        std::vector<double> m_fractions; // entries of each shard over the table size
    };

} // namespace

ShardRulePtr makeMaglevRule(RuleParams& params, const RuleContext&)
{
    const auto nodes = params.integer("nodes", std::nullopt, 1, kMaxMembers);
    const auto size = params.integer("table", 65'537, 2, 20'000'000);
    if (!params.finish().empty())
        return nullptr;
    if (!isPrime(size)) {
        params.addError(fmt::format("maglev table={} must be a prime number (65537 and 655373 are)", size));
        return nullptr;
    }
    if (size < nodes) {
        params.addError(fmt::format(
            "maglev table={} must have at least one entry per shard (nodes={}); aim for 100 per shard", size, nodes));
        return nullptr;
    }
    return std::make_shared<MaglevRule>(static_cast<int>(nodes), size);
}

} // namespace shardsim::rules
