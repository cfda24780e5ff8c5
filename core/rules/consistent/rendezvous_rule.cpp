// `rendezvous:nodes=N` — highest random weight hashing, Thaler & Ravishankar (1998). Every shard scores
// the key and the highest score wins, so removing a shard moves only its own keys and adding one takes
// only the keys it now outscores. Costs N hashes per key.
//
// The score of shard i is murmur3(keyBytes(key) ++ i as 4 little-endian bytes): h1 of MurmurHash3_x64_128,
// seed 0, read as unsigned. The suffix has a fixed length, so no two (key, shard) pairs hash the same
// bytes. Equal scores go to the lower shard index.
//
// The hash is computed in two parts (ScoreHasher): what depends on the key alone once per key, the bytes that hold
// the shard number once per shard; for 8-byte keys the shard's half is mixed when the rule is built. The scores are
// those of the definition above, bit for bit (tests/core/test_rendezvous_scaling.cpp checks them against murmur3).

#include <algorithm>
#include <fmt/format.h>
#include <string_view>
#include <vector>

#include "rules/consistent/member_names.h"
#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "rules/murmur3_parts.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules {

namespace {

    using namespace murmur3;

    // MurmurHash3_x64_128 (seed 0) of `key ++ uint32_le(shard)`, split where the shard number begins: the key's whole
    // 16-byte blocks are mixed once per key, and only the last 4 to 19 bytes, which hold the shard number, once per
    // shard. h1 is bit for bit hashes::hashBytes(Murmur3, key ++ shard), without building that string N times.
    class ScoreHasher {
    public:
        explicit ScoreHasher(std::string_view key)
            : m_length(key.size() + 4)
        {
            const auto* bytes = reinterpret_cast<const unsigned char*>(key.data());
            const size_t whole = key.size() / 16;
            for (size_t block = 0; block < whole; ++block)
                mixBlock(m_h1, m_h2, bytes + 16 * block);
            m_restSize = key.size() - 16 * whole;
            std::copy(bytes + 16 * whole, bytes + key.size(), m_rest);
        }

        uint64_t score(uint32_t shard) const
        {
            unsigned char rest[20];
            std::copy(m_rest, m_rest + m_restSize, rest);
            for (size_t byte = 0; byte < 4; ++byte)
                rest[m_restSize + byte] = static_cast<unsigned char>((shard >> (8 * byte)) & 0xff);
            uint64_t h1 = m_h1;
            uint64_t h2 = m_h2;
            const unsigned char* tail = rest;
            size_t tailSize = m_restSize + 4;
            if (tailSize >= 16) {
                mixBlock(h1, h2, rest);
                tail += 16;
                tailSize -= 16;
            }
            uint64_t k1 = 0;
            uint64_t k2 = 0;
            for (size_t i = tailSize; i > 8; --i)
                k2 ^= static_cast<uint64_t>(tail[i - 1]) << (8 * (i - 9));
            for (size_t i = std::min<size_t>(tailSize, 8); i > 0; --i)
                k1 ^= static_cast<uint64_t>(tail[i - 1]) << (8 * (i - 1));
            if (tailSize > 8)
                h2 ^= mixK2(k2);
            if (tailSize > 0)
                h1 ^= mixK1(k1);
            return finish(h1, h2, m_length).h1;
        }

    private:
        uint64_t m_h1 = 0;
        uint64_t m_h2 = 0;
        unsigned char m_rest[16] {};
        size_t m_restSize = 0;
        uint64_t m_length;
    };

    // The scores of the shards for a key and the two best of them.
    struct Ranking {
        int best = -1;
        int second = -1;
        uint64_t bestScore = 0;
        uint64_t secondScore = 0;

        void offer(int shard, uint64_t score)
        {
            // Strictly greater: equal scores go to the lower shard number.
            if (best < 0 || score > bestScore) {
                second = best;
                secondScore = bestScore;
                best = shard;
                bestScore = score;
            } else if (second < 0 || score > secondScore) {
                second = shard;
                secondScore = score;
            }
        }
    };

    class RendezvousRule final : public ShardRule {
    public:
        explicit RendezvousRule(int nodes)
            : m_nodes(nodes)
            , m_shardHalves(static_cast<size_t>(nodes))
        {
            // A key of 8 bytes (every int64 and uint64 key) and its shard number are 12 bytes: no whole block, the key
            // is the tail's k1 and the shard number its k2. h2 after the tail and the length depends on the shard
            // alone, so it is mixed here once.
            for (int node = 0; node < nodes; ++node)
                m_shardHalves[static_cast<size_t>(node)] = mixK2(static_cast<uint32_t>(node)) ^ kEightByteLength;
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const std::string data = hashes::keyBytes(key);
            const Ranking ranking = data.size() == 8
                ? rankEightBytes(readLittleEndian64(reinterpret_cast<const unsigned char*>(data.data())))
                : rankBytes(data);
            RouteResult result;
            result.index = ranking.best;
            result.hash = std::to_string(ranking.bestScore);
            if (explain) {
                explain->push_back(
                    fmt::format("score of each of the {} shards: murmur3(key bytes of {} ++ shard number as 4 bytes)",
                        m_nodes, key.display()));
                explain->push_back(
                    fmt::format("highest score {} from {}", ranking.bestScore, shardName(ranking.best)));
                if (ranking.second >= 0)
                    explain->push_back(fmt::format("runner-up {} with {}: the key would move there only if {} left",
                        shardName(ranking.second), ranking.secondScore, shardName(ranking.best)));
            }
            return result;
        }

        int shardCount() const override { return m_nodes; }
        std::string shardName(int index) const override { return memberShardName(index); }
        std::string spec() const override { return fmt::format("rendezvous:nodes={}", m_nodes); }

        // keyBytes of an int64 are its 8 little-endian bytes.
        int shardOfInteger(int64_t key) const override { return rankEightBytes(static_cast<uint64_t>(key)).best; }

        // Four keys scored side by side: each score is a chain of dependent multiplies, and four independent
        // chains keep the multiplier busy. The same winners as shardOfInteger (strictly greater, ties to the lower
        // shard number).
        void shardsOfIntegers(std::span<const int64_t> keys, std::span<int32_t> shards) const override
        {
            constexpr size_t kLanes = 4;
            size_t i = 0;
            for (; i + kLanes <= keys.size(); i += kLanes) {
                uint64_t h1[kLanes];
                uint64_t bestScore[kLanes] = {};
                int32_t best[kLanes] = { -1, -1, -1, -1 };
                for (size_t k = 0; k < kLanes; ++k)
                    h1[k] = mixK1(static_cast<uint64_t>(keys[i + k])) ^ kEightByteLength;
                for (size_t node = 0; node < m_shardHalves.size(); ++node) {
                    for (size_t k = 0; k < kLanes; ++k) {
                        const uint64_t score = scoreOfHalves(h1[k], m_shardHalves[node]);
                        const bool better = best[k] < 0 || score > bestScore[k];
                        bestScore[k] = better ? score : bestScore[k];
                        best[k] = better ? static_cast<int32_t>(node) : best[k];
                    }
                }
                for (size_t k = 0; k < kLanes; ++k)
                    shards[i + k] = best[k];
            }
            for (; i < keys.size(); ++i)
                shards[i] = shardOfInteger(keys[i]);
        }

        double keyRoutingCost() const override { return m_nodes; }

        // The highest of N independent uniform scores is each shard's with probability 1/N.
        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addEvenHashedRangeShares(*this, lo, hi, mass, shares);
        }

    private:
        static constexpr uint64_t kEightByteLength = 12; // 8 key bytes and the 4 of the shard number

        // murmur3::finish for the 12-byte case, with h1 and h2 already xor-ed with the length.
        static uint64_t scoreOfHalves(uint64_t h1, uint64_t h2)
        {
            h1 += h2;
            h2 += h1;
            return fmix64(h1) + fmix64(h2);
        }

        Ranking rankEightBytes(uint64_t bits) const
        {
            const uint64_t h1 = mixK1(bits) ^ kEightByteLength;
            Ranking ranking;
            for (size_t node = 0; node < m_shardHalves.size(); ++node)
                ranking.offer(static_cast<int>(node), scoreOfHalves(h1, m_shardHalves[node]));
            return ranking;
        }

        Ranking rankBytes(std::string_view data) const
        {
            const ScoreHasher hasher(data);
            Ranking ranking;
            for (int node = 0; node < m_nodes; ++node)
                ranking.offer(node, hasher.score(static_cast<uint32_t>(node)));
            return ranking;
        }

        int m_nodes;
        std::vector<uint64_t> m_shardHalves; // h2 of each shard's score for 8-byte keys, before the final mix

    };

} // namespace

ShardRulePtr makeRendezvousRule(RuleParams& params, const RuleContext&)
{
    // Every route scores every shard; beyond a few thousand that dominates a simulation.
    const auto nodes = params.integer("nodes", std::nullopt, 1, 10'000);
    if (!params.finish().empty())
        return nullptr;
    return std::make_shared<RendezvousRule>(static_cast<int>(nodes));
}

} // namespace shardsim::rules
