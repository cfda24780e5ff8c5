// `ring:nodes=N,vnodes=V[,hash=H]` — Karger et al.'s consistent hashing (STOC 1997) with V virtual nodes
// per shard. Adding a shard takes over only the arcs in front of its points, about 1/(N+1) of the keys;
// the spread of shard sizes shrinks like 1/sqrt(V).

#include <fmt/format.h>

#include "rules/consistent/hash_ring.h"
#include "rules/consistent/member_names.h"
#include "rules/integer_hashes.h"
#include "rules/range_shares.h"
#include "rules/rule_makers.h"

namespace shardsim::rules {

namespace {

    class RingRule final : public ShardRule {
    public:
        RingRule(int nodes, int vnodes, hashes::HashFunction function)
            : m_ring(nodes, vnodes, function)
            , m_fractions(m_ring.memberFractions())
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const uint64_t hash = hashes::hashKey(m_ring.function(), key);
            const size_t at = m_ring.successor(hash);
            const HashRing::Point& point = m_ring.points()[at];
            RouteResult result;
            result.index = point.member;
            result.hash = std::to_string(hash);
            if (explain) {
                explain->push_back(fmt::format("{}({}) = {} on the 64-bit ring ({} points: {} per shard)",
                    hashes::hashFunctionName(m_ring.function()), key.display(), hash, m_ring.points().size(),
                    m_ring.pointsPerMember()));
                const bool wrapped = point.position < hash;
                explain->push_back(fmt::format("first point clockwise{}: {} at {}",
                    wrapped ? " (past the top of the ring, wrapping to the lowest point)" : "",
                    HashRing::pointLabel(point.member, point.replica), point.position));
                explain->push_back(fmt::format("that point belongs to {}", shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return m_ring.memberCount(); }
        std::string shardName(int index) const override { return memberShardName(index); }
        std::string spec() const override
        {
            return fmt::format("ring:nodes={},vnodes={},hash={}", m_ring.memberCount(), m_ring.pointsPerMember(),
                hashes::hashFunctionName(m_ring.function()));
        }

        int shardOfInteger(int64_t key) const override
        {
            return m_ring.points()[m_ring.successor(hashOfInteger(m_ring.function(), key))].member;
        }

        // The arcs' share of the circle holds for the 64-bit hashes; java and crc32 fill only 32 bits of it, so
        // those rings are probed key by key.
        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            if (!HashRing::fillsCircle(m_ring.function()))
                return ShardRule::addRangeShares(lo, hi, mass, shares);
            return addHashedRangeShares(*this, lo, hi, mass, shares, m_fractions);
        }

    private:
        HashRing m_ring;
        std::vector<double> m_fractions; // each shard's part of the circle
    };

} // namespace

ShardRulePtr makeRingRule(RuleParams& params, const RuleContext&)
{
    const auto nodes = params.integer("nodes", std::nullopt, 1, kMaxMembers);
    const auto vnodes = params.integer("vnodes", 100, 1, 100'000);
    const auto hashName = params.choice("hash", "murmur3", { "murmur3", "xxhash64", "fnv1a64", "crc32", "java" });
    if (!params.finish().empty())
        return nullptr;
    if (nodes * vnodes > kMaxRingPoints) {
        params.addError(fmt::format("ring with nodes={} and vnodes={} has {} points; at most {} are supported", nodes,
            vnodes, nodes * vnodes, kMaxRingPoints));
        return nullptr;
    }
    const auto function = hashes::parseHashFunction(hashName);
    if (!function) {
        params.addError(function.error());
        return nullptr;
    }
    return std::make_shared<RingRule>(static_cast<int>(nodes), static_cast<int>(vnodes), *function);
}

} // namespace shardsim::rules
