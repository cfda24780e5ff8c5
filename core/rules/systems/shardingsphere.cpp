// Apache ShardingSphere's auto-table algorithms over numbers: MOD, HASH_MOD, VOLUME_RANGE and BOUNDARY_RANGE.
// Tables are named as ShardingSphere names auto-tables, the logical table and the algorithm's suffix: t_order_0.

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fmt/format.h>
#include <limits>

#include "rules/arithmetic/key_math.h"
#include "rules/integer_hashes.h"
#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "rules/systems/middleware_formulas.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules::systems {

Result<int64_t> bigIntegerMod(std::string_view text, int64_t modulus)
{
    size_t pos = 0;
    const bool negative = !text.empty() && text[0] == '-';
    if (!text.empty() && (text[0] == '-' || text[0] == '+'))
        pos = 1;
    if (pos == text.size())
        return fail(fmt::format("'{}' is not a number (Java's BigInteger refuses it)", text));
    int64_t remainder = 0; // < modulus <= INT32_MAX, so remainder * 10 + 9 fits
    for (; pos < text.size(); ++pos) {
        const char c = text[pos];
        if (c < '0' || c > '9')
            return fail(fmt::format("'{}' is not a decimal number (Java's BigInteger refuses it)", text));
        remainder = (remainder * 10 + (c - '0')) % modulus;
    }
    // BigInteger.mod, unlike %, is never negative.
    return negative && remainder != 0 ? modulus - remainder : remainder;
}

Result<int64_t> javaParseLong(std::string_view text)
{
    std::string_view digits = text;
    if (!digits.empty() && digits[0] == '+')
        digits.remove_prefix(1);
    int64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || digits[0] == '+') {
        return fail(fmt::format("'{}' is not a long (Java's Long.parseLong refuses it: an optional sign and "
                                "decimal digits from -9223372036854775808 to 9223372036854775807)",
            text));
    }
    return value;
}

namespace {

    std::string autoTableName(int index) { return fmt::format("t_order_{}", index); }

    class ShardingSphereModRule final : public ShardRule {
    public:
        explicit ShardingSphereModRule(int count)
            : m_count(count)
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            RouteResult result;
            std::string how;
            if (key.isInteger()) {
                // BigInteger.valueOf(((Number) value).longValue()): a uint64 keeps its low 64 bits.
                const int64_t value = key.type == KeyType::UInt64 ? static_cast<int64_t>(key.u) : key.i;
                result.index = static_cast<int>(floorMod(value, m_count));
                how = fmt::format("BigInteger.valueOf({}).mod({}) = {}", value, m_count, result.index);
            } else if (key.type == KeyType::String) {
                auto remainder = bigIntegerMod(key.bytes, m_count);
                if (!remainder)
                    return fail("shardingsphere-mod: " + remainder.error());
                result.index = static_cast<int>(*remainder);
                how = fmt::format("new BigInteger(\"{}\").mod({}) = {}", key.bytes, m_count, result.index);
            } else {
                return fail(fmt::format(
                    "shardingsphere-mod needs a number or a numeric string; got the bytes {}", key.display()));
            }
            if (explain) {
                explain->push_back(how);
                explain->push_back(fmt::format("suffix {} is {}", result.index, shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return m_count; }
        std::string shardName(int index) const override { return autoTableName(index); }
        std::string spec() const override { return fmt::format("shardingsphere-mod:count={}", m_count); }
        int shardOfInteger(int64_t key) const override { return static_cast<int>(floorMod(key, m_count)); }

        bool countsRangesExactly() const override { return true; }
        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            const WideInt length = rangeLength(lo, hi);
            if (length > 0)
                addResidueShares(lo, hi, m_count, mass / static_cast<double>(length), shares);
            return 0;
        }

    private:
        int m_count;
    };

    class ShardingSphereHashModRule final : public ShardRule {
    public:
        explicit ShardingSphereHashModRule(int count)
            : m_count(count)
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            if (key.type == KeyType::Bytes)
                return fail(fmt::format("shardingsphere-hash-mod cannot take the bytes {}: a Java byte[] has an "
                                        "identity hashCode that changes from run to run",
                    key.display()));
            const int32_t hash = hashes::javaHashCode(key);
            const int64_t magnitude = std::abs(static_cast<int64_t>(hash));
            RouteResult result;
            result.index = static_cast<int>(magnitude % m_count);
            result.hash = std::to_string(hash);
            if (explain) {
                explain->push_back(fmt::format("{}.hashCode() = {}", javaValue(key), hash));
                explain->push_back(fmt::format(
                    "Math.abs((long) {}) % {} = {} % {} = {}", hash, m_count, magnitude, m_count, result.index));
                explain->push_back(fmt::format("suffix {} is {}", result.index, shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return m_count; }
        std::string shardName(int index) const override { return autoTableName(index); }
        std::string spec() const override { return fmt::format("shardingsphere-hash-mod:count={}", m_count); }

        int shardOfInteger(int64_t key) const override
        {
            return static_cast<int>(std::abs(static_cast<int64_t>(javaLongHash(key))) % m_count);
        }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addEvenHashedRangeShares(*this, lo, hi, mass, shares);
        }

    private:
        static std::string javaValue(const Key& key)
        {
            switch (key.type) {
            case KeyType::Int32:
                return fmt::format("Integer {}", key.i);
            case KeyType::Int64:
                return fmt::format("Long {}", key.i);
            case KeyType::UInt64:
                return fmt::format("Long {} (the uint64's 64 bits)", static_cast<int64_t>(key.u));
            default:
                return fmt::format("String \"{}\"", key.bytes);
            }
        }

        int m_count;
    };

    // VOLUME_RANGE and BOUNDARY_RANGE: table 0 takes every value below the first start, table i the values from
    // start i-1 up to start i, the last table every value from the last start on. Equal starts (a bound given
    // twice) leave an empty table between them, as in ShardingSphere.
    class ShardingSphereRangeRule final : public ShardRule {
    public:
        ShardingSphereRangeRule(std::string name, std::string spec, std::vector<int64_t> starts)
            : m_name(std::move(name))
            , m_spec(std::move(spec))
            , m_starts(std::move(starts))
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            auto value = longValue(key);
            if (!value)
                return fail(fmt::format("{}: {}", m_name, value.error()));
            RouteResult result;
            result.index = shardOfInteger(*value);
            if (explain) {
                const size_t i = static_cast<size_t>(result.index);
                if (i == 0)
                    explain->push_back(fmt::format("{} < {}: Range.lessThan({})", *value, m_starts[0], m_starts[0]));
                else if (i == m_starts.size())
                    explain->push_back(
                        fmt::format("{} >= {}: Range.atLeast({})", *value, m_starts.back(), m_starts.back()));
                else
                    explain->push_back(fmt::format("{} <= {} < {}: Range.closedOpen({}, {})", m_starts[i - 1], *value,
                        m_starts[i], m_starts[i - 1], m_starts[i]));
                explain->push_back(fmt::format("partition {} is {}", result.index, shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return static_cast<int>(m_starts.size()) + 1; }
        std::string shardName(int index) const override { return autoTableName(index); }
        std::string spec() const override { return m_spec; }

        int shardOfInteger(int64_t key) const override
        {
            return static_cast<int>(std::upper_bound(m_starts.begin(), m_starts.end(), key) - m_starts.begin());
        }

        bool countsRangesExactly() const override { return true; }
        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            const WideInt length = rangeLength(lo, hi);
            if (length == 0)
                return 0;
            const double perKey = mass / static_cast<double>(length);
            for (WideInt from = lo;;) {
                const auto shard = static_cast<size_t>(shardOfInteger(static_cast<int64_t>(from)));
                const WideInt last = shard < m_starts.size() ? std::min<WideInt>(WideInt(m_starts[shard]) - 1, hi) : hi;
                shares[shard] += perKey * static_cast<double>(last - from + 1);
                if (last >= hi)
                    return 0;
                from = last + 1;
            }
        }

        std::vector<int64_t> rangeBoundaries() const override
        {
            std::vector<int64_t> bounds = m_starts;
            bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
            return bounds;
        }

    private:
        // Long.parseLong(value.toString()): numbers and numeric strings within int64.
        static Result<int64_t> longValue(const Key& key)
        {
            if (key.type == KeyType::Bytes)
                return fail(fmt::format("needs a number or a numeric string; got the bytes {}", key.display()));
            if (key.isInteger() && key.asInt64())
                return *key.asInt64();
            return javaParseLong(key.text());
        }

        std::string m_name;
        std::string m_spec;
        std::vector<int64_t> m_starts; // ascending; table i + 1 starts at m_starts[i]
    };

    constexpr int kMaxTables = 65536;

    int readCount(RuleParams& params)
    {
        return static_cast<int>(params.integer("count", std::nullopt, 1, std::numeric_limits<int32_t>::max()));
    }

} // namespace

} // namespace shardsim::rules::systems

namespace shardsim::rules {

ShardRulePtr makeShardingSphereModRule(RuleParams& params, const RuleContext&)
{
    const int count = systems::readCount(params);
    if (!params.finish().empty())
        return nullptr;
    return std::make_shared<systems::ShardingSphereModRule>(count);
}

ShardRulePtr makeShardingSphereHashModRule(RuleParams& params, const RuleContext&)
{
    const int count = systems::readCount(params);
    if (!params.finish().empty())
        return nullptr;
    return std::make_shared<systems::ShardingSphereHashModRule>(count);
}

ShardRulePtr makeShardingSphereVolumeRangeRule(RuleParams& params, const RuleContext&)
{
    constexpr int64_t kLimit = int64_t { 1 } << 52; // keeps lower + i * volume exact and inside int64
    const int64_t lower = params.integer("lower", std::nullopt, -kLimit, kLimit);
    const int64_t upper = params.integer("upper", std::nullopt, -kLimit, kLimit);
    const int64_t volume = params.integer("volume", std::nullopt, 1, kLimit);
    if (!params.finish().empty())
        return nullptr;
    if (upper - lower < volume) {
        params.addError(fmt::format("shardingsphere-volume-range: upper - lower ({} - {}) is smaller than volume {} "
                                    "(ShardingSphere: \"Range can not be smaller than volume.\")",
            upper, lower, volume));
        return nullptr;
    }
    const int64_t partitions = (upper - lower + volume - 1) / volume; // LongMath.divide(..., CEILING)
    if (partitions + 2 > systems::kMaxTables) {
        params.addError(fmt::format("shardingsphere-volume-range makes {} tables; at most {} are supported",
            partitions + 2, systems::kMaxTables));
        return nullptr;
    }
    std::vector<int64_t> starts;
    for (int64_t i = 0; i < partitions; ++i)
        starts.push_back(lower + i * volume);
    starts.push_back(upper);
    return std::make_shared<systems::ShardingSphereRangeRule>("shardingsphere-volume-range",
        fmt::format("shardingsphere-volume-range:lower={},upper={},volume={}", lower, upper, volume),
        std::move(starts));
}

ShardRulePtr makeShardingSphereBoundaryRangeRule(RuleParams& params, const RuleContext&)
{
    const auto texts = params.list("bounds", true);
    if (!params.finish().empty())
        return nullptr;
    if (texts.size() + 1 > static_cast<size_t>(systems::kMaxTables)) {
        params.addError(fmt::format("shardingsphere-boundary-range has {} bounds; at most {} are supported",
            texts.size(), systems::kMaxTables - 1));
        return nullptr;
    }
    std::vector<int64_t> bounds;
    for (const std::string& text : texts) {
        auto bound = systems::javaParseLong(text);
        if (!bound) {
            // ShardingSphere drops such a bound silently; a typo would then merge two tables unnoticed.
            params.addError(fmt::format("bound of shardingsphere-boundary-range: {}", bound.error()));
            continue;
        }
        bounds.push_back(*bound);
    }
    if (!params.finish().empty())
        return nullptr;
    std::sort(bounds.begin(), bounds.end()); // sharding-ranges are sorted, duplicates kept
    std::string spec = "shardingsphere-boundary-range:bounds=";
    for (size_t i = 0; i < bounds.size(); ++i)
        spec += fmt::format("{}{}", i ? "|" : "", bounds[i]);
    return std::make_shared<systems::ShardingSphereRangeRule>(
        "shardingsphere-boundary-range", std::move(spec), std::move(bounds));
}

} // namespace shardsim::rules
