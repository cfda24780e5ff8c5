// Redis Cluster: CRC16 hash slots with hash tags, assigned to masters as `redis-cli --cluster create` does.

#include "rules/systems/redis_cluster.h"

#include <array>
#include <charconv>
#include <cmath>
#include <fmt/format.h>

#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "rules/systems/system_formulas.h"

namespace shardsim::rules::systems {

namespace {

    // crc16.c's table (CCITT polynomial 0x1021, MSB first), computed from the polynomial: byte b's remainder.
    constexpr std::array<uint16_t, 256> kCrc16Table = [] {
        std::array<uint16_t, 256> table {};
        for (int byte = 0; byte < 256; ++byte) {
            auto crc = static_cast<uint16_t>(byte << 8);
            for (int bit = 0; bit < 8; ++bit)
                crc = static_cast<uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
            table[static_cast<size_t>(byte)] = crc;
        }
        return table;
    }();

} // namespace

uint16_t redisCrc16(std::string_view bytes)
{
    // A byte at a time through the table, as crc16.c does: MSB first, no final XOR. The sampled engine routes every
    // drawn key of a Redis Cluster rule through here.
    uint16_t crc = 0;
    for (char c : bytes)
        crc = static_cast<uint16_t>((crc << 8) ^ kCrc16Table[((crc >> 8) ^ static_cast<uint8_t>(c)) & 0xFF]);
    return crc;
}

std::string_view redisHashTag(std::string_view key)
{
    const size_t open = key.find('{');
    if (open == std::string_view::npos)
        return key;
    const size_t close = key.find('}', open + 1);
    if (close == std::string_view::npos || close == open + 1)
        return key;
    return key.substr(open + 1, close - open - 1);
}

int redisKeySlot(std::string_view key) { return redisCrc16(redisHashTag(key)) & (kRedisClusterSlots - 1); }

std::vector<RedisSlotRange> redisCliSlotRanges(int masters)
{
    std::vector<RedisSlotRange> ranges;
    if (masters <= 0)
        return ranges;
    // Single precision on purpose, as clusterManagerCommandCreate declares both: the float cursor's rounding
    // decides where uneven splits fall.
    const float slotsPerNode = static_cast<float>(kRedisClusterSlots) / static_cast<float>(masters);
    float cursor = 0.0f;
    long first = 0;
    for (int i = 0; i < masters; ++i) {
        long last = std::lround(cursor + slotsPerNode - 1);
        if (last > kRedisClusterSlots || i == masters - 1)
            last = kRedisClusterSlots - 1;
        if (last < first)
            last = first;
        ranges.push_back({ static_cast<int>(first), static_cast<int>(last) });
        first = last + 1;
        cursor += slotsPerNode;
    }
    return ranges;
}

namespace {

    class RedisClusterRule final : public ShardRule {
    public:
        explicit RedisClusterRule(int masters)
            : m_ranges(redisCliSlotRanges(masters))
            , m_masterOfSlot(kRedisClusterSlots, 0)
        {
            for (size_t m = 0; m < m_ranges.size(); ++m) {
                for (int slot = m_ranges[m].first; slot <= m_ranges[m].last && slot < kRedisClusterSlots; ++slot)
                    m_masterOfSlot[static_cast<size_t>(slot)] = static_cast<int32_t>(m);
                m_fractions.push_back(
                    static_cast<double>(m_ranges[m].last - m_ranges[m].first + 1) / kRedisClusterSlots);
            }
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const std::string text = key.text(); // Redis keys are byte strings; an integer arrives as its decimal text
            const std::string_view hashed = redisHashTag(text);
            const uint16_t crc = redisCrc16(hashed);
            const int slot = crc & (kRedisClusterSlots - 1);
            const int master = m_masterOfSlot[static_cast<size_t>(slot)];
            if (explain) {
                if (hashed.size() == text.size())
                    explain->push_back(fmt::format(
                        "key \"{}\" has no hash tag: CRC16 of the whole key ({} bytes)", key.display(), text.size()));
                else
                    explain->push_back(fmt::format("key \"{}\" has the hash tag {{{}}}: CRC16 of its {} bytes only",
                        key.display(), hashed, hashed.size()));
                explain->push_back(
                    fmt::format("CRC16/XMODEM = 0x{:04X}; & 16383 -> slot {} (CLUSTER KEYSLOT)", crc, slot));
                const RedisSlotRange& range = m_ranges[static_cast<size_t>(master)];
                explain->push_back(fmt::format("slot {} is in Master[{}] -> Slots {} - {} (redis-cli --cluster create, "
                                               "{} masters)",
                    slot, master, range.first, range.last, m_ranges.size()));
            }
            RouteResult result;
            result.index = master;
            result.hash = std::to_string(slot);
            return result;
        }

        int shardCount() const override { return static_cast<int>(m_ranges.size()); }
        std::string shardName(int index) const override { return fmt::format("master-{}", index); }
        std::string spec() const override { return fmt::format("redis-cluster:nodes={}", m_ranges.size()); }

        int shardOfInteger(int64_t key) const override
        {
            char text[24];
            const auto end = std::to_chars(text, text + sizeof(text), key).ptr;
            const int slot = redisKeySlot(std::string_view(text, static_cast<size_t>(end - text)));
            return m_masterOfSlot[static_cast<size_t>(slot)];
        }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addHashedRangeShares(*this, lo, hi, mass, shares, m_fractions);
        }

    private:
        std::vector<RedisSlotRange> m_ranges; // master i's slots
        std::vector<int32_t> m_masterOfSlot; // 16384 entries
        std::vector<double> m_fractions; // each master's part of the slots
    };

} // namespace

} // namespace shardsim::rules::systems

namespace shardsim::rules {

ShardRulePtr makeRedisClusterRule(RuleParams& params, const RuleContext&)
{
    // redis-cli itself refuses fewer than 3 masters; 1 and 2 are allowed here (CLUSTER ADDSLOTSRANGE can build
    // them) and split by the same formula. Every master needs at least one slot.
    const auto nodes = params.integer("nodes", std::nullopt, 1, systems::kRedisClusterSlots);
    if (!params.finish().empty())
        return nullptr;
    return std::make_shared<systems::RedisClusterRule>(static_cast<int>(nodes));
}

} // namespace shardsim::rules
