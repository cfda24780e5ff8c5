// MongoDB's hashed shard key ({field: "hashed"}) with the initial split of an empty collection.

#include <algorithm>
#include <fmt/format.h>
#include <limits>
#include <nettle/md5.h>

#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "rules/systems/system_formulas.h"

namespace shardsim::rules::systems {

namespace {

    // canonicalizeBSONType in bsontypes.h: every number type sorts and hashes as 10, strings as 15,
    // BinData as 30.
    constexpr int32_t kCanonicalNumber = 10;
    constexpr int32_t kCanonicalString = 15;
    constexpr int32_t kCanonicalBinData = 30;
    constexpr uint8_t kBinDataGeneral = 0;

    template <typename Int> void appendLittleEndian(std::string& out, Int value)
    {
        auto bits = static_cast<std::make_unsigned_t<Int>>(value);
        for (size_t i = 0; i < sizeof(Int); ++i) {
            out += static_cast<char>(bits & 0xFF);
            bits >>= 8;
        }
    }

    // The bytes BSONElementHasher feeds to MD5 after the seed: the canonical type as a little-endian
    // int32, then the value. Numbers are squashed to a little-endian int64 (safeNumberLongForHash, which is
    // the value itself for integers); other types contribute their BSON value bytes.
    Result<std::string> hashInput(const Key& key)
    {
        std::string out;
        switch (key.type) {
        case KeyType::Int32:
        case KeyType::Int64:
            appendLittleEndian(out, kCanonicalNumber);
            appendLittleEndian(out, key.i);
            break;
        case KeyType::UInt64:
            if (key.u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
                return fail(fmt::format("mongo-hashed cannot take the uint64 {}: BSON integers are signed 64-bit "
                                        "(NumberLong tops out at 9223372036854775807)",
                    key.u));
            appendLittleEndian(out, kCanonicalNumber);
            appendLittleEndian(out, static_cast<int64_t>(key.u));
            break;
        case KeyType::String:
            // BSON string value: int32 length including the terminating NUL, the UTF-8 bytes, the NUL.
            appendLittleEndian(out, kCanonicalString);
            appendLittleEndian(out, static_cast<int32_t>(key.bytes.size() + 1));
            out += key.bytes;
            out += '\0';
            break;
        case KeyType::Bytes:
            // BSON binary value: int32 length of the data, the subtype byte, the data.
            appendLittleEndian(out, kCanonicalBinData);
            appendLittleEndian(out, static_cast<int32_t>(key.bytes.size()));
            out += static_cast<char>(kBinDataGeneral);
            out += key.bytes;
            break;
        }
        return out;
    }

    int64_t md5FirstLongLittleEndian(std::string_view input)
    {
        md5_ctx ctx;
        md5_init(&ctx);
        // The seed (0, the only one MongoDB uses) goes in first as a little-endian int32.
        const uint8_t seed[4] = { 0, 0, 0, 0 };
        md5_update(&ctx, sizeof(seed), seed);
        md5_update(&ctx, input.size(), reinterpret_cast<const uint8_t*>(input.data()));
        uint8_t digest[MD5_DIGEST_SIZE];
        md5_digest(&ctx, sizeof(digest), digest);
        uint64_t value = 0;
        for (int i = 7; i >= 0; --i)
            value = (value << 8) | digest[i];
        return static_cast<int64_t>(value);
    }

} // namespace

Result<int64_t> mongoHash64(const Key& key)
{
    auto input = hashInput(key);
    if (!input)
        return fail(input.error());
    return md5FirstLongLittleEndian(*input);
}

std::vector<int64_t> mongoHashedSplitPoints(int chunks)
{
    std::vector<int64_t> points;
    if (chunks <= 1)
        return points;
    // Intervals of (LLONG_MAX / chunks) * 2, laid out symmetrically around 0: an even count puts a split
    // point at 0, an odd one centres a chunk on 0.
    const int64_t interval = (std::numeric_limits<int64_t>::max() / chunks) * 2;
    int64_t current = 0;
    if (chunks % 2 == 0) {
        points.push_back(current);
        current += interval;
    } else {
        current += interval / 2;
    }
    for (int i = 0; i < (chunks - 1) / 2; ++i) {
        points.push_back(current);
        points.push_back(-current);
        current += interval;
    }
    std::sort(points.begin(), points.end());
    return points;
}

namespace {

    class MongoHashedRule final : public ShardRule {
    public:
        explicit MongoHashedRule(int chunks)
            : m_chunks(chunks)
            , m_splitPoints(mongoHashedSplitPoints(chunks))
        {
            // Chunk i spans [split[i-1], split[i]) of the signed 64-bit hashes, from MinKey to MaxKey.
            const auto lowest = static_cast<uint64_t>(std::numeric_limits<int64_t>::min());
            for (int i = 0; i < chunks; ++i) {
                const uint64_t from
                    = i == 0 ? lowest : static_cast<uint64_t>(m_splitPoints[static_cast<size_t>(i - 1)]);
                const uint64_t to
                    = i == chunks - 1 ? lowest : static_cast<uint64_t>(m_splitPoints[static_cast<size_t>(i)]);
                m_fractions.push_back(chunks == 1 ? 1.0 : arcFraction(from, to));
            }
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            auto hash = mongoHash64(key);
            if (!hash)
                return fail(hash.error());
            // Chunk i is [split[i-1], split[i]): count the split points at or below the hash.
            const auto found = std::upper_bound(m_splitPoints.begin(), m_splitPoints.end(), *hash);
            const int index = static_cast<int>(found - m_splitPoints.begin());
            if (explain) {
                explain->push_back(fmt::format("key {} as BSON {}", key.display(), bsonTypeName(key.type)));
                explain->push_back(
                    fmt::format("MD5(seed 0, canonical type, value) first 8 bytes little-endian -> hash {}", *hash));
                explain->push_back(fmt::format(
                    "hash {} falls in {} = [{}, {})", *hash, shardName(index), lowerBound(index), upperBound(index)));
            }
            RouteResult result;
            result.index = index;
            result.hash = std::to_string(*hash);
            return result;
        }

        int shardCount() const override { return m_chunks; }

        std::string shardName(int index) const override { return fmt::format("chunk-{}", index); }

        std::string spec() const override { return fmt::format("mongo-hashed:chunks={}", m_chunks); }

        int shardOfInteger(int64_t key) const override
        {
            const auto hash = mongoHash64(Key::int64(key));
            if (!hash)
                return -1;
            return static_cast<int>(
                std::upper_bound(m_splitPoints.begin(), m_splitPoints.end(), *hash) - m_splitPoints.begin());
        }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addHashedRangeShares(*this, lo, hi, mass, shares, m_fractions);
        }

    private:
        static std::string_view bsonTypeName(KeyType type)
        {
            switch (type) {
            case KeyType::Int32:
                return "NumberInt, hashed as a 64-bit integer";
            case KeyType::Int64:
            case KeyType::UInt64:
                return "NumberLong";
            case KeyType::String:
                return "String (int32 length with NUL, bytes, NUL)";
            case KeyType::Bytes:
                return "BinData subtype 0";
            }
            return "?";
        }

        std::string lowerBound(int index) const
        {
            return index == 0 ? "MinKey" : std::to_string(m_splitPoints[static_cast<size_t>(index - 1)]);
        }

        std::string upperBound(int index) const
        {
            return index == m_chunks - 1 ? "MaxKey" : std::to_string(m_splitPoints[static_cast<size_t>(index)]);
        }

        int m_chunks;
        std::vector<int64_t> m_splitPoints; // ascending, m_chunks - 1 of them
        std::vector<double> m_fractions; // each chunk's part of the hash space
    };

} // namespace

} // namespace shardsim::rules::systems

namespace shardsim::rules {

ShardRulePtr makeMongoHashedRule(RuleParams& params, const RuleContext&)
{
    const auto chunks = params.integer("chunks", std::nullopt, 1, 65536);
    if (!params.finish().empty())
        return nullptr;
    return std::make_shared<systems::MongoHashedRule>(static_cast<int>(chunks));
}

} // namespace shardsim::rules
