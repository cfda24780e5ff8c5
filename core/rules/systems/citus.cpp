// Citus hash-distributed tables: PostgreSQL's hash of the distribution column into N equal int32 ranges,
// placed round-robin on the workers.

#include <fmt/format.h>
#include <limits>

#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "rules/systems/citus.h"
#include "rules/systems/system_formulas.h"

namespace shardsim::rules::systems {

namespace {

    // The distribution column's type; Auto takes the key's own type (int32 -> int4, int64 -> int8, text).
    enum class ColumnType { Auto, Int4, Int8, Text };

    struct ColumnHash {
        int32_t hash = 0;
        std::string step; // how the value was hashed, for --explain
    };

    class CitusRule final : public ShardRule {
    public:
        CitusRule(int shards, ColumnType type, int workers)
            : m_ranges(citusShardRanges(shards))
            , m_type(type)
            , m_workers(workers)
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            auto hashed = columnHash(key);
            if (!hashed)
                return fail(hashed.error());
            const int shard = citusShardIndex(hashed->hash, shardCount());
            if (explain) {
                explain->push_back(hashed->step);
                const CitusShardRange& range = m_ranges[static_cast<size_t>(shard)];
                explain->push_back(fmt::format("worker_hash {} is in {} = [{}, {}] of {} equal ranges from INT32_MIN",
                    hashed->hash, shardName(shard), range.min, range.max, shardCount()));
                if (m_workers > 0)
                    explain->push_back(fmt::format("{} is placed on worker {} ({} % {} workers, round-robin)",
                        shardName(shard), shard % m_workers, shard, m_workers));
            }
            RouteResult result;
            result.index = shard;
            result.hash = std::to_string(hashed->hash);
            return result;
        }

        int shardCount() const override { return static_cast<int>(m_ranges.size()); }
        std::string shardName(int index) const override { return fmt::format("shard-{}", index); }

        // With workers, a worker is the unit of placement: shard i lives on worker i % W.
        int databaseCount() const override { return m_workers > 0 ? m_workers : shardCount(); }
        int databaseOf(int shardIndex) const override { return m_workers > 0 ? shardIndex % m_workers : shardIndex; }

        std::string spec() const override
        {
            std::string out = fmt::format("citus:shards={}", m_ranges.size());
            if (m_type != ColumnType::Auto)
                out += fmt::format(",type={}", typeName(m_type));
            if (m_workers > 0)
                out += fmt::format(",workers={}", m_workers);
            return out;
        }

        int shardOfInteger(int64_t key) const override
        {
            auto hashed = columnHash(Key::int64(key));
            return hashed ? citusShardIndex(hashed->hash, shardCount()) : -1;
        }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addEvenHashedRangeShares(*this, lo, hi, mass, shares);
        }

    private:
        static std::string_view typeName(ColumnType type)
        {
            switch (type) {
            case ColumnType::Int4:
                return "int4";
            case ColumnType::Int8:
                return "int8";
            case ColumnType::Text:
                return "text";
            case ColumnType::Auto:
                break;
            }
            return "auto";
        }

        ColumnType columnType(const Key& key) const
        {
            if (m_type != ColumnType::Auto)
                return m_type;
            switch (key.type) {
            case KeyType::Int32:
                return ColumnType::Int4;
            case KeyType::Int64:
            case KeyType::UInt64:
                return ColumnType::Int8;
            case KeyType::String:
            case KeyType::Bytes:
                return ColumnType::Text;
            }
            return ColumnType::Text;
        }

        Result<ColumnHash> columnHash(const Key& key) const
        {
            const ColumnType type = columnType(key);
            if (type == ColumnType::Text) {
                // An integer in a text column is its decimal text, as `123::text`; bytes hash like bytea.
                const std::string text = key.isInteger() ? key.display() : key.bytes;
                const int32_t hash = postgresHashText(text);
                return ColumnHash { hash,
                    fmt::format("hashtext('{}'): hash_any of its {} bytes -> {}", key.display(), text.size(), hash) };
            }
            if (!key.isInteger())
                return fail(fmt::format("citus: the distribution column is {}, so the key must be an integer; got the "
                                        "{} '{}' (use type=text for string keys)",
                    typeName(type), keyTypeName(key.type), key.display()));
            const auto value = key.asInt64();
            if (type == ColumnType::Int4) {
                if (!value || *value < std::numeric_limits<int32_t>::min()
                    || *value > std::numeric_limits<int32_t>::max())
                    return fail(fmt::format("citus: {} is out of range for type integer (int4)", key.display()));
                const int32_t hash = postgresHashInt4(static_cast<int32_t>(*value));
                return ColumnHash { hash, fmt::format("hashint4({}): hash_uint32 of the value -> {}", *value, hash) };
            }
            if (!value)
                return fail(fmt::format("citus: {} is out of range for type bigint (int8)", key.display()));
            const int32_t hash = postgresHashInt8(*value);
            return ColumnHash { hash,
                fmt::format("hashint8({}): hash_uint32 of the low half xor the high half -> {}", *value, hash) };
        }

        std::vector<CitusShardRange> m_ranges;
        ColumnType m_type;
        int m_workers; // 0: every shard is placed on its own
    };

} // namespace

} // namespace shardsim::rules::systems

namespace shardsim::rules {

ShardRulePtr makeCitusRule(RuleParams& params, const RuleContext&)
{
    using systems::ColumnType;
    // Citus's citus.shard_count tops out at 64000.
    const auto shards = params.integer("shards", std::nullopt, 1, 64000);
    const std::string type = params.choice("type", std::string("auto"), { "auto", "int4", "int8", "text" });
    const auto workers = params.integer("workers", 0, 0, 64000);
    if (!params.finish().empty())
        return nullptr;
    const ColumnType column = type == "int4" ? ColumnType::Int4
        : type == "int8"                     ? ColumnType::Int8
        : type == "text"                     ? ColumnType::Text
                                             : ColumnType::Auto;
    return std::make_shared<systems::CitusRule>(static_cast<int>(shards), column, static_cast<int>(workers));
}

} // namespace shardsim::rules
