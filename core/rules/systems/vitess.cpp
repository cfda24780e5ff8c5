// Vitess's functional vindexes (hash, xxhash, numeric) over an evenly split keyspace.

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <limits>
#include <nettle/des.h>

#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "rules/systems/system_formulas.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules::systems {

std::string toHex(std::string_view bytes)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char c : bytes) {
        const auto b = static_cast<uint8_t>(c);
        out += kDigits[b >> 4];
        out += kDigits[b & 0x0F];
    }
    return out;
}

std::string_view keyspaceIdBytes(const KeyspaceId& id)
{
    return std::string_view(reinterpret_cast<const char*>(id.data()), id.size());
}

KeyspaceId bigEndian(uint64_t value)
{
    KeyspaceId out {};
    for (int i = 7; i >= 0; --i) {
        out[static_cast<size_t>(i)] = static_cast<uint8_t>(value & 0xFF);
        value >>= 8;
    }
    return out;
}

KeyspaceId vitessDesHash(uint64_t id)
{
    // The all-zero key is one of DES's weak keys; des_set_key says so in its return value but still sets
    // up the schedule, which is what Vitess (Go's crypto/des) uses too.
    static const des_ctx cipher = [] {
        des_ctx ctx {};
        const uint8_t zeroKey[DES_KEY_SIZE] = {};
        static_cast<void>(des_set_key(&ctx, zeroKey));
        return ctx;
    }();
    const KeyspaceId plain = bigEndian(id);
    KeyspaceId out {};
    des_encrypt(&cipher, DES_BLOCK_SIZE, out.data(), plain.data());
    return out;
}

KeyspaceId vitessXxhash(std::string_view valueBytes)
{
    // binary.LittleEndian.PutUint64 in vindexes/xxhash.go: the low byte of the hash comes first.
    uint64_t hash = hashes::xxhash64(valueBytes, 0);
    KeyspaceId out {};
    for (auto& b : out) {
        b = static_cast<uint8_t>(hash & 0xFF);
        hash >>= 8;
    }
    return out;
}

int compareBytes(std::string_view a, std::string_view b)
{
    const size_t common = std::min(a.size(), b.size());
    for (size_t i = 0; i < common; ++i) {
        const auto x = static_cast<uint8_t>(a[i]);
        const auto y = static_cast<uint8_t>(b[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    if (a.size() == b.size())
        return 0;
    return a.size() < b.size() ? -1 : 1;
}

Result<std::vector<VitessShard>> vitessShardRanges(int shards)
{
    if (shards <= 0)
        return fail("shards must be greater than zero");
    if (shards > 65536)
        return fail("Vitess generates at most 65536 evenly split shards");
    const int width = shards <= 256 ? 1 : 2; // boundary bytes: "%02x" up to 256 shards, else "%04x"
    const int maxShards = width == 1 ? 256 : 65536;

    const auto boundaryBytes = [width](int value) {
        std::string bytes;
        if (width == 2)
            bytes += static_cast<char>((value >> 8) & 0xFF);
        bytes += static_cast<char>(value & 0xFF);
        return bytes;
    };

    // Boundary i is floor(i * maxShards / shards): the remainder of an uneven split is spread over the
    // shards rather than piled onto the last. Exact integers, because Vitess's earlier float version,
    // int(float64(i) * size), can land one short of the end (49 shards gave a last shard "fa-ff").
    std::vector<VitessShard> out;
    out.reserve(static_cast<size_t>(shards));
    int start = 0;
    for (int i = 1; i <= shards; ++i) {
        const int end = static_cast<int>(static_cast<int64_t>(i) * maxShards / shards);
        VitessShard shard;
        if (start != 0)
            shard.start = boundaryBytes(start);
        if (end != maxShards)
            shard.end = boundaryBytes(end);
        shard.name = toHex(shard.start) + "-" + toHex(shard.end);
        out.push_back(std::move(shard));
        start = end;
    }
    return out;
}

namespace {

    enum class Vindex { Hash, Xxhash, Numeric };

    std::string_view ruleName(Vindex vindex)
    {
        switch (vindex) {
        case Vindex::Hash:
            return "vitess-hash";
        case Vindex::Xxhash:
            return "vitess-xxhash";
        case Vindex::Numeric:
            return "vitess-numeric";
        }
        return "?";
    }

    std::string boundText(std::string_view bytes, std::string_view open)
    {
        return bytes.empty() ? std::string(open) : toHex(bytes);
    }

    class VitessRule final : public ShardRule {
    public:
        VitessRule(Vindex vindex, std::vector<VitessShard> shards)
            : m_vindex(vindex)
            , m_shards(std::move(shards))
        {
            // Shard starts as 64-bit keyspace ids: the boundary bytes followed by zeros, which compare as
            // bytes.Compare compares the shorter boundary with an 8-byte id.
            for (const VitessShard& shard : m_shards) {
                uint64_t start = 0;
                for (size_t i = 0; i < 8; ++i)
                    start = (start << 8) | (i < shard.start.size() ? static_cast<uint8_t>(shard.start[i]) : 0);
                m_starts.push_back(start);
            }
            for (size_t i = 0; i < m_starts.size(); ++i)
                m_fractions.push_back(i + 1 < m_starts.size()
                        ? arcFraction(m_starts[i], m_starts[i + 1])
                        : (m_starts.size() == 1 ? 1.0 : arcFraction(m_starts[i], 0)));
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            auto id = keyspaceId(key, explain);
            if (!id)
                return fail(id.error());
            const std::string_view idBytes = keyspaceIdBytes(*id);
            const int index = shardOf(idBytes);
            const VitessShard& shard = m_shards[static_cast<size_t>(index)];
            if (explain) {
                explain->push_back(fmt::format("keyspace id {} falls in shard {} = [{}, {})", toHex(idBytes),
                    shard.name, boundText(shard.start, "min"), boundText(shard.end, "max")));
            }
            RouteResult result;
            result.index = index;
            result.hash = toHex(idBytes);
            return result;
        }

        int shardCount() const override { return static_cast<int>(m_shards.size()); }

        std::string shardName(int index) const override
        {
            if (index < 0 || index >= shardCount())
                return fmt::format("?{}", index);
            return m_shards[static_cast<size_t>(index)].name;
        }

        std::string spec() const override { return fmt::format("{}:shards={}", ruleName(m_vindex), m_shards.size()); }

        int shardOfInteger(int64_t key) const override
        {
            uint64_t id = 0;
            switch (m_vindex) {
            case Vindex::Hash: {
                const KeyspaceId bytes = vitessDesHash(static_cast<uint64_t>(key));
                for (uint8_t b : bytes)
                    id = (id << 8) | b;
                break;
            }
            case Vindex::Xxhash: {
                // The decimal text of the key; the hash stored little-endian reads back big-endian as its byte swap.
                char text[24];
                const auto end = std::to_chars(text, text + sizeof(text), key).ptr;
                id = __builtin_bswap64(hashes::xxhash64(std::string_view(text, static_cast<size_t>(end - text)), 0));
                break;
            }
            case Vindex::Numeric:
                if (key < 0)
                    return -1;
                id = static_cast<uint64_t>(key);
                break;
            }
            return static_cast<int>(std::upper_bound(m_starts.begin(), m_starts.end(), id) - m_starts.begin()) - 1;
        }

        bool countsRangesExactly() const override { return m_vindex == Vindex::Numeric; }

        // hash and xxhash: a shard's share is its keyspace-id range over 2^64. numeric: the id is the key, so the
        // shards are key ranges, counted exactly; negative keys are refused.
        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            if (m_vindex != Vindex::Numeric)
                return addHashedRangeShares(*this, lo, hi, mass, shares, m_fractions);
            const WideInt length = rangeLength(lo, hi);
            if (length == 0)
                return 0;
            const double perKey = mass / static_cast<double>(length);
            double refused = lo < 0 ? perKey * static_cast<double>(rangeLength(lo, std::min<int64_t>(hi, -1))) : 0;
            if (hi < 0)
                return refused;
            WideInt from = std::max<int64_t>(lo, 0);
            for (size_t shard = static_cast<size_t>(shardOfInteger(static_cast<int64_t>(from)));; ++shard) {
                const WideInt last
                    = shard + 1 < m_starts.size() ? std::min<WideInt>(WideInt(m_starts[shard + 1]) - 1, hi) : hi;
                shares[shard] += perKey * static_cast<double>(last - from + 1);
                if (last >= hi)
                    return refused;
                from = last + 1;
            }
        }

        // numeric: the keys where shards start (those within int64).
        std::vector<int64_t> rangeBoundaries() const override
        {
            std::vector<int64_t> bounds;
            if (m_vindex != Vindex::Numeric)
                return bounds;
            for (size_t i = 1; i < m_starts.size(); ++i) {
                if (m_starts[i] <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
                    bounds.push_back(static_cast<int64_t>(m_starts[i]));
            }
            return bounds;
        }

    private:
        Result<KeyspaceId> keyspaceId(const Key& key, Explanation* explain) const
        {
            switch (m_vindex) {
            case Vindex::Hash: {
                if (!key.isInteger())
                    return fail(fmt::format("vitess-hash needs an integer key (the hash vindex encrypts a 64-bit "
                                            "number); got the {} '{}'",
                        keyTypeName(key.type), key.display()));
                // Signed ids are reinterpreted as uint64 without a range check, as hash.go does.
                const uint64_t id = key.type == KeyType::UInt64 ? key.u : static_cast<uint64_t>(key.i);
                const KeyspaceId plain = bigEndian(id);
                const KeyspaceId out = vitessDesHash(id);
                if (explain) {
                    explain->push_back(
                        fmt::format("key {} as 8-byte big-endian: {}", key.display(), toHex(keyspaceIdBytes(plain))));
                    explain->push_back(fmt::format("DES(zero key) -> keyspace id {}", toHex(keyspaceIdBytes(out))));
                }
                return out;
            }
            case Vindex::Xxhash: {
                const std::string bytes = key.text();
                const uint64_t hash = hashes::xxhash64(bytes, 0);
                const KeyspaceId out = vitessXxhash(bytes);
                if (explain) {
                    const std::string shown = key.type == KeyType::Bytes ? "0x" + toHex(bytes) : "\"" + bytes + "\"";
                    explain->push_back(
                        fmt::format("key {} as Vitess value bytes: {} ({} bytes)", key.display(), shown, bytes.size()));
                    explain->push_back(fmt::format("xxHash64(seed 0) = {:016x}", hash));
                    explain->push_back(
                        fmt::format("stored little-endian -> keyspace id {}", toHex(keyspaceIdBytes(out))));
                }
                return out;
            }
            case Vindex::Numeric: {
                if (!key.isInteger())
                    return fail(fmt::format("vitess-numeric needs an integer key (the numeric vindex uses the "
                                            "number as the keyspace id); got the {} '{}'",
                        keyTypeName(key.type), key.display()));
                if (key.type != KeyType::UInt64 && key.i < 0)
                    return fail(fmt::format(
                        "vitess-numeric cannot take {}: Vitess refuses to convert a negative number to unsigned",
                        key.i));
                const uint64_t id = key.type == KeyType::UInt64 ? key.u : static_cast<uint64_t>(key.i);
                const KeyspaceId out = bigEndian(id);
                if (explain) {
                    explain->push_back(fmt::format(
                        "key {} as 8-byte big-endian = keyspace id {}", key.display(), toHex(keyspaceIdBytes(out))));
                }
                return out;
            }
            }
            return fail("unknown vindex");
        }

        // Shards are contiguous and sorted, so the shard is the number of interior boundaries <= the id.
        int shardOf(std::string_view id) const
        {
            const auto first = m_shards.begin() + 1;
            const auto found = std::partition_point(
                first, m_shards.end(), [id](const VitessShard& shard) { return compareBytes(shard.start, id) <= 0; });
            return static_cast<int>(found - first);
        }

        Vindex m_vindex;
        std::vector<VitessShard> m_shards;
        std::vector<uint64_t> m_starts; // first keyspace id of each shard, ascending, the first 0
        std::vector<double> m_fractions; // each shard's part of the keyspace
    };

    ShardRulePtr makeVitessRule(Vindex vindex, RuleParams& params)
    {
        const auto shards = params.integer("shards", std::nullopt, 1, 65536);
        if (!params.finish().empty())
            return nullptr;
        auto ranges = vitessShardRanges(static_cast<int>(shards));
        if (!ranges) {
            params.addError(ranges.error());
            return nullptr;
        }
        return std::make_shared<VitessRule>(vindex, std::move(*ranges));
    }

} // namespace

} // namespace shardsim::rules::systems

namespace shardsim::rules {

ShardRulePtr makeVitessHashRule(RuleParams& params, const RuleContext&)
{
    return systems::makeVitessRule(systems::Vindex::Hash, params);
}

ShardRulePtr makeVitessXxhashRule(RuleParams& params, const RuleContext&)
{
    return systems::makeVitessRule(systems::Vindex::Xxhash, params);
}

ShardRulePtr makeVitessNumericRule(RuleParams& params, const RuleContext&)
{
    return systems::makeVitessRule(systems::Vindex::Numeric, params);
}

} // namespace shardsim::rules
