// `bounded:nodes=N,c=C[,keys=K][,vnodes=V]` — consistent hashing with bounded loads, Mirrokni, Thorup &
// Zadimoghaddam (SODA 2018). Each shard may hold at most ceil(C * K / N) keys; a key whose ring successor
// is full walks on clockwise to the first shard with room. The maximum load is C times the average while
// a change of shards still moves few keys.
//
// The assignment depends on the order keys arrive, so it is defined on a fixed key set: the integers
// 1..K (default 1M), placed in ascending order when the rule is built, each hashed as murmur3 of the int64.
// Keys outside that set (other integers, strings, bytes) go to their plain ring successor and are not
// counted against any capacity. The ring is the one of `ring` with V points per shard (default 100).
//
// Routing a key of the set is a lookup in the assignment made at build time (2 bytes a key up to 65,536 shards: 2 MB
// for the default million), so it costs the same at 1,024 shards as at 8; only the other keys search the ring.

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "rules/consistent/hash_ring.h"
#include "rules/consistent/member_names.h"
#include "rules/integer_hashes.h"
#include "rules/range_shares.h"
#include "rules/rule_makers.h"

namespace shardsim::rules {

namespace {

    constexpr auto kBoundedHash = hashes::HashFunction::Murmur3;

    // Points of full shards are skipped in near-constant time: `next` links each dead point to the one after
    // it, with path halving, so the whole build stays O(K log P) whatever C is.
    class AlivePoints {
    public:
        explicit AlivePoints(size_t count)
            : m_next(count + 1)
        {
            for (size_t i = 0; i <= count; ++i)
                m_next[i] = i;
        }
        // The first alive point at or after `from`; `count` when none is left before the end.
        size_t from(size_t at)
        {
            while (m_next[at] != at) {
                m_next[at] = m_next[m_next[at]];
                at = m_next[at];
            }
            return at;
        }
        void remove(size_t point) { m_next[point] = point + 1; }

    private:
        std::vector<size_t> m_next;
    };

    // The shard of each balanced key: 2 bytes a key while shard numbers fit in them (up to 65,536 shards), else 4.
    // A route reads one entry at a random place, so half the bytes keep twice as many keys in cache.
    class ShardTable {
    public:
        ShardTable(size_t keys, int shards)
        {
            if (shards <= 65'536)
                m_narrow.resize(keys);
            else
                m_wide.resize(keys);
        }
        int at(size_t index) const { return m_wide.empty() ? m_narrow[index] : m_wide[index]; }
        void set(size_t index, int shard)
        {
            if (m_wide.empty())
                m_narrow[index] = static_cast<uint16_t>(shard);
            else
                m_wide[index] = shard;
        }

    private:
        std::vector<uint16_t> m_narrow;
        std::vector<int32_t> m_wide;
    };

    class BoundedRule final : public ShardRule {
    public:
        BoundedRule(int nodes, int vnodes, double factor, int64_t keys)
            : m_ring(nodes, vnodes, kBoundedHash)
            , m_factor(factor)
            , m_keys(keys)
            , m_assignment(static_cast<size_t>(keys), nodes)
        {
            // c * K / N is often an integer that floating point lands a hair above (1.1 * 1000 / 10).
            const double exact = factor * static_cast<double>(keys) / nodes;
            m_capacity = static_cast<int64_t>(std::ceil(exact * (1 - 1e-12)));
            m_capacity = std::max(m_capacity, (keys + nodes - 1) / nodes);
            assign();
            m_fractions = m_ring.memberFractions();
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const auto value = key.asInt64();
            const bool inSet = key.isInteger() && value && *value >= 1 && *value <= m_keys;
            const uint64_t hash = inSet ? murmur3OfInteger(*value) : hashes::hashKey(kBoundedHash, key);
            RouteResult result;
            result.hash = std::to_string(hash);
            if (inSet && !explain) {
                // The walk was done when the rule was built: one lookup, no ring search.
                result.index = m_assignment.at(static_cast<size_t>(*value - 1));
                return result;
            }
            const HashRing::Point& first = m_ring.points()[m_ring.successor(hash)];
            result.index = inSet ? m_assignment.at(static_cast<size_t>(*value - 1)) : first.member;
            if (!explain)
                return result;
            explain->push_back(fmt::format("murmur3({}) = {}; first ring point clockwise: {} of {}", key.display(),
                hash, HashRing::pointLabel(first.member, first.replica), shardName(first.member)));
            if (!inSet) {
                explain->push_back(fmt::format("{} is outside the balanced key set 1..{}: it takes the plain ring "
                                               "successor and counts against no capacity",
                    key.display(), m_keys));
            } else if (result.index == first.member) {
                explain->push_back(fmt::format("{} still had room (capacity ceil({} * {} / {}) = {} keys) when key {} "
                                               "was placed in ascending order",
                    shardName(first.member), m_factor, m_keys, m_ring.memberCount(), m_capacity, *value));
            } else {
                explain->push_back(fmt::format("{} was full (capacity {} keys) when key {} was placed in ascending "
                                               "order; the walk clockwise went on to {}, the first shard with room",
                    shardName(first.member), m_capacity, *value, shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return m_ring.memberCount(); }
        std::string shardName(int index) const override { return memberShardName(index); }
        std::string spec() const override
        {
            return fmt::format("bounded:nodes={},c={},keys={},vnodes={}", m_ring.memberCount(), m_factor, m_keys,
                m_ring.pointsPerMember());
        }

        int shardOfInteger(int64_t key) const override
        {
            if (key >= 1 && key <= m_keys)
                return m_assignment.at(static_cast<size_t>(key - 1));
            return m_ring.points()[m_ring.successor(murmur3OfInteger(key))].member;
        }

        // Exact over the balanced keys 1..K (their assignment is counted); the ring's arcs elsewhere.
        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            const WideInt length = rangeLength(lo, hi);
            if (length == 0)
                return 0;
            const double perKey = mass / static_cast<double>(length);
            for (int64_t k = std::max<int64_t>(lo, 1); k <= std::min(hi, m_keys); ++k)
                shares[static_cast<size_t>(m_assignment.at(static_cast<size_t>(k - 1)))] += perKey;
            const auto outside = [&](int64_t a, int64_t b) {
                if (a <= b)
                    addHashedRangeShares(
                        *this, a, b, perKey * static_cast<double>(rangeLength(a, b)), shares, m_fractions);
            };
            outside(lo, std::min<int64_t>(hi, 0));
            outside(std::max<int64_t>(lo, m_keys + 1), hi);
            return 0;
        }

    private:
        void assign()
        {
            const auto& points = m_ring.points();
            std::vector<std::vector<size_t>> pointsOf(static_cast<size_t>(m_ring.memberCount()));
            for (size_t p = 0; p < points.size(); ++p)
                pointsOf[static_cast<size_t>(points[p].member)].push_back(p);
            AlivePoints alive(points.size());
            std::vector<int64_t> load(static_cast<size_t>(m_ring.memberCount()), 0);
            for (int64_t k = 1; k <= m_keys; ++k) {
                // murmur3OfInteger(k) is hashKey(kBoundedHash, Key::int64(k)) without building its bytes.
                size_t at = alive.from(m_ring.successor(murmur3OfInteger(k)));
                // Fewer than K keys are placed and N * capacity >= K, so some shard always has room.
                if (at == points.size())
                    at = alive.from(0);
                const int member = points[at].member;
                m_assignment.set(static_cast<size_t>(k - 1), member);
                if (++load[static_cast<size_t>(member)] == m_capacity) {
                    for (size_t p : pointsOf[static_cast<size_t>(member)])
                        alive.remove(p);
                }
            }
        }

        HashRing m_ring;
        double m_factor; // c: the allowed load over the average
        int64_t m_keys; // K: the balanced key set is 1..K
        int64_t m_capacity = 0; // keys per shard, ceil(c * K / N)
        ShardTable m_assignment; // shard of key k at [k - 1]
        std::vector<double> m_fractions; // each shard's part of the ring, for keys outside 1..K
    };

} // namespace

ShardRulePtr makeBoundedRule(RuleParams& params, const RuleContext&)
{
    const auto nodes = params.integer("nodes", std::nullopt, 1, kMaxMembers);
    const auto factor = params.number("c", std::nullopt, 1.0, 100.0);
    const auto keys = params.integer("keys", 1'000'000, 1, 20'000'000);
    const auto vnodes = params.integer("vnodes", 100, 1, 100'000);
    if (!params.finish().empty())
        return nullptr;
    if (nodes * vnodes > kMaxRingPoints) {
        params.addError(fmt::format("bounded with nodes={} and vnodes={} has {} ring points; at most {} are supported",
            nodes, vnodes, nodes * vnodes, kMaxRingPoints));
        return nullptr;
    }
    return std::make_shared<BoundedRule>(static_cast<int>(nodes), static_cast<int>(vnodes), factor, keys);
}

} // namespace shardsim::rules
