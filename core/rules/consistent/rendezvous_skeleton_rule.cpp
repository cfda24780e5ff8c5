// `rendezvous-skeleton:nodes=N[,fanout=F]` — highest random weight hashing over a virtual hierarchy, the
// skeleton-based HRW of Wang & Ravishankar (2009): the shards are the leaves of an F-ary tree, and a key walks down
// from the root choosing one child per level by weighted HRW, so a route scores about F·log_F(N) children instead of
// N shards.
//
// Block (l, b) of the tree holds the shards b·F^l .. (b+1)·F^l − 1 that exist (level 0 is the shards themselves);
// its weight w is how many of them exist. The root is the block at the lowest level that holds every shard. A key
// with hash h = murmur3(keyBytes(key)) gives child block (l, b) the score
//     u = fmix64(h + 0x9E3779B97F4A7C15 · (l · 2^40 + b)),  U = ((u >> 11) + 0.5) / 2^53,  score = w / −ln(U)
// (Schindelhauer & Schomaker's logarithmic weighted HRW: a child wins with probability w / Σw, so every shard
// receives 1/N of the keys). The highest score wins; equal scores go to the lower block. Children of equal weight
// compare by u alone, so only the one partly filled child of a level needs logarithms.
//
// Unlike `rendezvous`, adding a shard can also move keys between old shards: it raises the weight of each block on
// its path, and a key that turns to such a block may land on any of its shards. docs/rules.md gives the exact
// expected fraction; it is 1/(N+1) when N is a multiple of F and at most about levels/(N+1) otherwise.

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <vector>

#include "rules/consistent/member_names.h"
#include "rules/integer_hashes.h"
#include "rules/murmur3_parts.h"
#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules {

namespace {

    constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

    using murmur3::fmix64;

    uint64_t blockDraw(uint64_t hash, int level, int64_t block)
    {
        const uint64_t label = (static_cast<uint64_t>(level) << 40) + static_cast<uint64_t>(block);
        return fmix64(hash + kGolden * label);
    }

    // −ln(U) / w: the smaller, the higher the weighted score w / −ln(U).
    double weightedRank(uint64_t draw, int64_t weight)
    {
        const double uniform = (static_cast<double>(draw >> 11) + 0.5) / 9007199254740992.0; // 2^53
        return -std::log(uniform) / static_cast<double>(weight);
    }

    class RendezvousSkeletonRule final : public ShardRule {
    public:
        RendezvousSkeletonRule(int nodes, int fanout)
            : m_nodes(nodes)
            , m_fanout(fanout)
        {
            m_blockSize.push_back(1);
            while (m_blockSize.back() < nodes)
                m_blockSize.push_back(m_blockSize.back() * fanout);
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const uint64_t hash = hashes::hashKey(hashes::HashFunction::Murmur3, key);
            RouteResult result;
            result.hash = std::to_string(hash);
            if (explain) {
                explain->push_back(fmt::format("murmur3({}) = {}; {} shards in a tree of fan-out {}, {} levels deep",
                    key.display(), hash, m_nodes, m_fanout, levels()));
            }
            result.index = descend(hash, explain);
            return result;
        }

        int shardCount() const override { return m_nodes; }
        std::string shardName(int index) const override { return memberShardName(index); }
        std::string spec() const override
        {
            return fmt::format("rendezvous-skeleton:nodes={},fanout={}", m_nodes, m_fanout);
        }

        int shardOfInteger(int64_t key) const override { return descend(murmur3OfInteger(key), nullptr); }

        // One fmix64 per child scored: about F per level, a third of a murmur3 each.
        double keyRoutingCost() const override
        {
            return std::max(1.0, static_cast<double>(m_fanout * levels()) / 3.0);
        }

        // Every shard wins a key with probability 1/N.
        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addEvenHashedRangeShares(*this, lo, hi, mass, shares);
        }

    private:
        int levels() const { return static_cast<int>(m_blockSize.size()) - 1; }

        // Shards in block (level, block): all of them but in the last block, which holds the rest.
        int64_t weight(int level, int64_t block) const
        {
            const int64_t size = m_blockSize[static_cast<size_t>(level)];
            return std::clamp<int64_t>(m_nodes - block * size, 0, size);
        }

        int descend(uint64_t hash, Explanation* explain) const
        {
            int64_t block = 0;
            for (int level = levels(); level > 0; --level) {
                const int child = level - 1;
                const int64_t first = block * m_fanout;
                int64_t best = -1;
                uint64_t bestDraw = 0;
                int64_t partial = -1;
                for (int64_t c = first; c < first + m_fanout; ++c) {
                    const int64_t w = weight(child, c);
                    if (w == 0)
                        break;
                    if (w < m_blockSize[static_cast<size_t>(child)]) {
                        partial = c;
                        break;
                    }
                    const uint64_t draw = blockDraw(hash, child, c);
                    if (best < 0 || draw > bestDraw) {
                        best = c;
                        bestDraw = draw;
                    }
                }
                const int64_t previous = block;
                if (partial >= 0
                    && (best < 0
                        || weightedRank(blockDraw(hash, child, partial), weight(child, partial))
                            < weightedRank(bestDraw, m_blockSize[static_cast<size_t>(child)])))
                    block = partial;
                else
                    block = best;
                if (explain)
                    explain->push_back(describeStep(level, previous, block));
            }
            return static_cast<int>(block);
        }

        std::string blockName(int level, int64_t block) const
        {
            if (level == 0)
                return shardName(static_cast<int>(block));
            const int64_t size = m_blockSize[static_cast<size_t>(level)];
            return fmt::format("shards {}..{}", block * size, block * size + weight(level, block) - 1);
        }

        std::string describeStep(int level, int64_t parent, int64_t chosen) const
        {
            const int64_t first = parent * m_fanout;
            int64_t children = 0;
            while (children < m_fanout && weight(level - 1, first + children) > 0)
                ++children;
            return fmt::format("level {}: of the {} blocks under {}, {} (weight {}) has the highest weighted score",
                level, children, blockName(level, parent), blockName(level - 1, chosen), weight(level - 1, chosen));
        }

        int m_nodes;
        int m_fanout;
        std::vector<int64_t> m_blockSize; // F^l for l = 0 .. levels; the last is the first power of F >= N
    };

} // namespace

ShardRulePtr makeRendezvousSkeletonRule(RuleParams& params, const RuleContext&)
{
    const auto nodes = params.integer("nodes", std::nullopt, 1, kMaxMembers);
    const auto fanout = params.integer("fanout", 16, 2, 256);
    if (!params.finish().empty())
        return nullptr;
    return std::make_shared<RendezvousSkeletonRule>(static_cast<int>(nodes), static_cast<int>(fanout));
}

} // namespace shardsim::rules
