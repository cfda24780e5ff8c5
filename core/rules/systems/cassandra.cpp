// Cassandra's Murmur3Partitioner on a ring of evenly spaced single-token nodes.

#include <algorithm>
#include <fmt/format.h>
#include <limits>

#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "rules/systems/system_formulas.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules::systems {

namespace {

    template <typename Int> void appendBigEndian(std::string& out, Int value)
    {
        const auto bits = static_cast<std::make_unsigned_t<Int>>(value);
        for (int shift = static_cast<int>(sizeof(Int) * 8) - 8; shift >= 0; shift -= 8)
            out += static_cast<char>((bits >> shift) & 0xFF);
    }

} // namespace

std::string cassandraKeyBytes(const Key& key)
{
    std::string out;
    switch (key.type) {
    case KeyType::Int32:
        appendBigEndian(out, static_cast<int32_t>(key.i));
        break;
    case KeyType::Int64:
        appendBigEndian(out, key.i);
        break;
    case KeyType::UInt64:
        appendBigEndian(out, key.u);
        break;
    case KeyType::String:
    case KeyType::Bytes:
        out = key.bytes;
        break;
    }
    return out;
}

int64_t cassandraMurmur3(std::string_view bytes)
{
    return static_cast<int64_t>(hashes::murmur3x64_128(bytes, 0, hashes::MurmurTail::SignExtended).h1);
}

int64_t cassandraToken(std::string_view keyBytes)
{
    const int64_t hash = cassandraMurmur3(keyBytes);
    return hash == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : hash;
}

std::vector<int64_t> cassandraBalancedTokens(int nodes)
{
    std::vector<int64_t> tokens;
    if (nodes <= 0)
        return tokens;
    // floor(2^64 / nodes) without 2^64 itself: floor((M + 1) / n) with M = 2^64 - 1 is floor(M / n), plus one
    // when n divides M + 1. With one node the step is never used.
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
    const auto n = static_cast<uint64_t>(nodes);
    const uint64_t step = nodes == 1 ? 0 : kMax / n + (kMax % n == n - 1 ? 1 : 0);
    tokens.reserve(static_cast<size_t>(nodes));
    for (int i = 0; i < nodes; ++i) {
        const uint64_t offset = static_cast<uint64_t>(i) * step; // < 2^64 since i < nodes
        // -2^63 + offset, computed on the unsigned bits to avoid signed overflow.
        tokens.push_back(static_cast<int64_t>(offset + (uint64_t { 1 } << 63)));
    }
    return tokens;
}

namespace {

    class CassandraMurmur3Rule final : public ShardRule {
    public:
        explicit CassandraMurmur3Rule(int nodes)
            : m_tokens(cassandraBalancedTokens(nodes))
        {
            // Node i owns the tokens after node i-1's up to its own; node 0 also the wrap-around past the last.
            m_fractions.assign(m_tokens.size(), 1.0);
            double others = 0;
            for (size_t i = 1; i < m_tokens.size(); ++i) {
                m_fractions[i]
                    = arcFraction(static_cast<uint64_t>(m_tokens[i - 1]), static_cast<uint64_t>(m_tokens[i]));
                others += m_fractions[i];
            }
            m_fractions[0] = 1.0 - others;
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const std::string bytes = cassandraKeyBytes(key);
            if (bytes.empty()) {
                return fail(fmt::format(
                    "murmur3: Cassandra refuses an empty partition key (\"Key may not be empty\"); got the empty {}",
                    keyTypeName(key.type)));
            }
            const int64_t hash = cassandraMurmur3(bytes);
            const int64_t token = cassandraToken(bytes);
            // The owner is the first node whose token is >= the key's token; past the last, the ring wraps.
            const auto found = std::lower_bound(m_tokens.begin(), m_tokens.end(), token);
            const int index = found == m_tokens.end() ? 0 : static_cast<int>(found - m_tokens.begin());
            if (explain) {
                explain->push_back(fmt::format(
                    "key {} as Cassandra {}: {}", key.display(), serialisationName(key.type), toHex(bytes)));
                explain->push_back(
                    fmt::format("MurmurHash3_x64_128 (Cassandra, seed 0) first long -> token {}", token));
                if (hash != token)
                    explain->push_back(
                        "Long.MIN_VALUE is the partitioner's minimum token, so it becomes Long.MAX_VALUE");
                const size_t owner = static_cast<size_t>(index);
                const int64_t previous = m_tokens[(owner + m_tokens.size() - 1) % m_tokens.size()];
                explain->push_back(
                    fmt::format("token {} is in ({}, {}] owned by {}{}", token, previous, m_tokens[owner],
                        shardName(index), found == m_tokens.end() ? " (past the last token, the ring wraps)" : ""));
            }
            RouteResult result;
            result.index = index;
            result.hash = std::to_string(token);
            return result;
        }

        int shardCount() const override { return static_cast<int>(m_tokens.size()); }

        // ccm's node names: node1 holds the lowest token.
        std::string shardName(int index) const override { return fmt::format("node{}", index + 1); }

        std::string spec() const override { return fmt::format("murmur3:nodes={}", m_tokens.size()); }

        int shardOfInteger(int64_t key) const override
        {
            // A bigint partition key: 8 bytes, big-endian.
            char bytes[8];
            auto bits = static_cast<uint64_t>(key);
            for (int i = 7; i >= 0; --i, bits >>= 8)
                bytes[i] = static_cast<char>(bits & 0xFF);
            const int64_t token = cassandraToken(std::string_view(bytes, sizeof(bytes)));
            const auto found = std::lower_bound(m_tokens.begin(), m_tokens.end(), token);
            return found == m_tokens.end() ? 0 : static_cast<int>(found - m_tokens.begin());
        }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addHashedRangeShares(*this, lo, hi, mass, shares, m_fractions);
        }

    private:
        static std::string_view serialisationName(KeyType type)
        {
            switch (type) {
            case KeyType::Int32:
                return "int (4-byte big-endian)";
            case KeyType::Int64:
                return "bigint (8-byte big-endian)";
            case KeyType::UInt64:
                return "bigint (the same 64 bits, big-endian)";
            case KeyType::String:
                return "text (UTF-8)";
            case KeyType::Bytes:
                return "blob";
            }
            return "?";
        }

        std::vector<int64_t> m_tokens; // ascending; node i holds m_tokens[i]
        std::vector<double> m_fractions; // each node's part of the token ring
    };

} // namespace

} // namespace shardsim::rules::systems

namespace shardsim::rules {

ShardRulePtr makeCassandraMurmur3Rule(RuleParams& params, const RuleContext&)
{
    const auto nodes = params.integer("nodes", std::nullopt, 1, 65536);
    if (!params.finish().empty())
        return nullptr;
    return std::make_shared<systems::CassandraMurmur3Rule>(static_cast<int>(nodes));
}

} // namespace shardsim::rules
