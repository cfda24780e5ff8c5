// `rendezvous:nodes=N` — highest random weight hashing, Thaler & Ravishankar (1998). Every shard scores
// the key and the highest score wins, so removing a shard moves only its own keys and adding one takes
// only the keys it now outscores. Costs N hashes per key.
//
// The score of shard i is murmur3(keyBytes(key) ++ i as 4 little-endian bytes): h1 of MurmurHash3_x64_128,
// seed 0, read as unsigned. The suffix has a fixed length, so no two (key, shard) pairs hash the same
// bytes. Equal scores go to the lower shard index.

#include <fmt/format.h>

#include "rules/consistent/member_names.h"
#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules {

namespace {

    class RendezvousRule final : public ShardRule {
    public:
        explicit RendezvousRule(int nodes)
            : m_nodes(nodes)
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            std::string data = hashes::keyBytes(key);
            const size_t keySize = data.size();
            data.resize(keySize + 4);
            int best = -1;
            int second = -1;
            uint64_t bestScore = 0;
            uint64_t secondScore = 0;
            for (int node = 0; node < m_nodes; ++node) {
                const auto id = static_cast<uint32_t>(node);
                for (size_t byte = 0; byte < 4; ++byte)
                    data[keySize + byte] = static_cast<char>((id >> (8 * byte)) & 0xff);
                const uint64_t score = hashes::hashBytes(hashes::HashFunction::Murmur3, data);
                if (best < 0 || score > bestScore) {
                    second = best;
                    secondScore = bestScore;
                    best = node;
                    bestScore = score;
                } else if (second < 0 || score > secondScore) {
                    second = node;
                    secondScore = score;
                }
            }
            RouteResult result;
            result.index = best;
            result.hash = std::to_string(bestScore);
            if (explain) {
                explain->push_back(
                    fmt::format("score of each of the {} shards: murmur3(key bytes of {} ++ shard number as 4 bytes)",
                        m_nodes, key.display()));
                explain->push_back(fmt::format("highest score {} from {}", bestScore, shardName(best)));
                if (second >= 0)
                    explain->push_back(fmt::format("runner-up {} with {}: the key would move there only if {} left",
                        shardName(second), secondScore, shardName(best)));
            }
            return result;
        }

        int shardCount() const override { return m_nodes; }
        std::string shardName(int index) const override { return memberShardName(index); }
        std::string spec() const override { return fmt::format("rendezvous:nodes={}", m_nodes); }

        int shardOfInteger(int64_t key) const override
        {
            // keyBytes of an int64 (8 little-endian bytes) followed by the shard number (4), as route() hashes them.
            char data[12];
            auto bits = static_cast<uint64_t>(key);
            for (size_t byte = 0; byte < 8; ++byte, bits >>= 8)
                data[byte] = static_cast<char>(bits & 0xff);
            int best = 0;
            uint64_t bestScore = 0;
            for (int node = 0; node < m_nodes; ++node) {
                const auto id = static_cast<uint32_t>(node);
                for (size_t byte = 0; byte < 4; ++byte)
                    data[8 + byte] = static_cast<char>((id >> (8 * byte)) & 0xff);
                const uint64_t score = hashes::hashBytes(hashes::HashFunction::Murmur3, std::string_view(data, 12));
                if (node == 0 || score > bestScore) {
                    best = node;
                    bestScore = score;
                }
            }
            return best;
        }

        double keyRoutingCost() const override { return m_nodes; }

        // The highest of N independent uniform scores is each shard's with probability 1/N.
        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addEvenHashedRangeShares(*this, lo, hi, mass, shares);
        }

    private:
        int m_nodes;
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
