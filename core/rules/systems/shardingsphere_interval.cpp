// Apache ShardingSphere's time-based algorithms: INTERVAL (a table per `amount` units from datetime-lower, named
// by a suffix pattern) and AUTO_INTERVAL (a table per `sharding-seconds`). Keys are "yyyy-MM-dd HH:mm:ss"
// strings; an integer key is a Snowflake id whose timestamp is read, or, with key_seconds=S, the row number of a
// table filled at one row per S seconds from `lower` (how the simulator's integer keys become times).

#include <algorithm>
#include <fmt/format.h>
#include <limits>
#include <map>

#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "rules/systems/middleware_formulas.h"

namespace shardsim::rules::systems {

namespace {

    constexpr size_t kMaxWindows = 100'000;
    constexpr int64_t kMaxKeySeconds = int64_t { 1 } << 20; // with |key| < 2^40 keeps lower + key * S in int64

    // How a key becomes a LocalDateTime (seconds since 1970-01-01 00:00:00).
    class KeyTime {
    public:
        KeyTime(std::string rule, int64_t lower, int64_t keySeconds)
            : m_rule(std::move(rule))
            , m_lower(lower)
            , m_keySeconds(keySeconds)
        {
        }

        Result<int64_t> seconds(const Key& key, Explanation* explain) const
        {
            if (key.type == KeyType::String) {
                auto parsed = parseLocalDateTime(key.bytes);
                if (!parsed)
                    return fail(fmt::format("{}: {}", m_rule, parsed.error()));
                if (explain)
                    explain->push_back(fmt::format("key as LocalDateTime {}", formatLocalDateTime(*parsed)));
                return parsed;
            }
            const auto value = key.asInt64();
            if (!value)
                return fail(fmt::format("{} needs a date-time string or an integer id; got the {} {}", m_rule,
                    keyTypeName(key.type), key.display()));
            if (m_keySeconds > 0) {
                if (*value < domain().first || *value > domain().second)
                    return fail(fmt::format("{}: key {} is too far from lower for key_seconds", m_rule, *value));
                const int64_t at = m_lower + *value * m_keySeconds;
                if (explain)
                    explain->push_back(fmt::format("row {} of one every {} s from {} -> {}", *value, m_keySeconds,
                        formatLocalDateTime(m_lower), formatLocalDateTime(at)));
                return at;
            }
            if (*value < 0)
                return fail(fmt::format("{}: {} is no Snowflake id (ids are never negative)", m_rule, *value));
            const int64_t at = snowflakeSeconds(*value);
            if (explain)
                explain->push_back(fmt::format("Snowflake id {}: {} >> 22 = {} ms after 2016-11-01 00:00:00 -> {}",
                    *value, *value, *value >> 22, formatLocalDateTime(at)));
            return at;
        }

        // The integer keys that have a time at all: row numbers within 2^40 of lower, or Snowflake ids >= 0.
        std::pair<int64_t, int64_t> domain() const
        {
            if (m_keySeconds > 0)
                return { -(int64_t { 1 } << 40) + 1, (int64_t { 1 } << 40) - 1 };
            return { 0, std::numeric_limits<int64_t>::max() };
        }

        // The first integer key whose time is at or after `at`, for the simulator's range boundaries.
        int64_t firstKeyAt(int64_t at) const
        {
            if (m_keySeconds > 0) {
                const int64_t offset = at - m_lower;
                return offset / m_keySeconds + (offset % m_keySeconds > 0 ? 1 : 0);
            }
            const int64_t millis = at * 1000 - kShardingSphereSnowflakeEpochMs;
            if (millis <= 0)
                return 0;
            return millis >= (int64_t { 1 } << 41) ? std::numeric_limits<int64_t>::max() : millis << 22;
        }

    private:
        std::string m_rule;
        int64_t m_lower;
        int64_t m_keySeconds; // 0: integer keys are Snowflake ids
    };

    // Keys where a time rule's table (or refusal) may change: the domain's ends and `changes`, ascending, unique.
    std::vector<int64_t> withDomain(const KeyTime& keyTime, std::vector<int64_t> changes)
    {
        const auto [first, last] = keyTime.domain();
        changes.push_back(first);
        if (last < std::numeric_limits<int64_t>::max())
            changes.push_back(last + 1);
        std::sort(changes.begin(), changes.end());
        changes.erase(std::unique(changes.begin(), changes.end()), changes.end());
        return changes;
    }

    // Exact shares for a rule whose table is the same for all keys between consecutive `bounds`: the range is cut
    // at the bounds inside it and each piece routed once.
    double addPiecewiseShares(const ShardRule& rule, const std::vector<int64_t>& bounds, int64_t lo, int64_t hi,
        double mass, std::span<double> shares)
    {
        const WideInt length = rangeLength(lo, hi);
        if (length == 0)
            return 0;
        const double perKey = mass / static_cast<double>(length);
        double refused = 0;
        for (int64_t from = lo;;) {
            const auto next = std::upper_bound(bounds.begin(), bounds.end(), from);
            const int64_t last = next == bounds.end() ? hi : std::min(*next - 1, hi);
            const double piece = perKey * static_cast<double>(WideInt(last) - from + 1);
            const int shard = rule.shardOfInteger(from);
            if (shard < 0)
                refused += piece;
            else
                shares[static_cast<size_t>(shard)] += piece;
            if (last >= hi)
                return refused;
            from = last + 1;
        }
    }

    struct Step {
        std::string unit; // a ChronoUnit name
        int64_t amount = 1;
        int64_t seconds = 0; // fixed-length units; 0 for MONTHS and YEARS
        int64_t months = 0;
    };

    int64_t advance(int64_t at, const Step& step)
    {
        return step.months > 0 ? plusMonths(at, step.months) : at + step.seconds;
    }

    class IntervalRule final : public ShardRule {
    public:
        IntervalRule(std::string spec, KeyTime keyTime, std::vector<int64_t> starts, int64_t end,
            const DateTimePattern& suffix, Step step)
            : m_spec(std::move(spec))
            , m_keyTime(std::move(keyTime))
            , m_starts(std::move(starts))
            , m_end(end)
            , m_suffix(suffix)
            , m_step(std::move(step))
        {
            // Tables are the distinct suffixes: a suffix coarser than the step (yyyyMM with DAYS) puts many
            // intervals in one table, as ShardingSphere's endsWith match on the table names does.
            std::map<std::string, int> tables;
            for (int64_t start : m_starts) {
                const std::string name = m_suffix.format(start);
                const auto [found, added] = tables.emplace(name, static_cast<int>(m_names.size()));
                if (added)
                    m_names.push_back("t_order_" + name);
                m_table.push_back(found->second);
            }
            std::vector<int64_t> changes = { m_keyTime.firstKeyAt(m_starts.front()), m_keyTime.firstKeyAt(m_end) };
            for (size_t w = 1; w < m_starts.size(); ++w) {
                if (m_table[w] != m_table[w - 1])
                    changes.push_back(m_keyTime.firstKeyAt(m_starts[w]));
            }
            m_bounds = withDomain(m_keyTime, std::move(changes));
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            auto at = m_keyTime.seconds(key, explain);
            if (!at)
                return fail(at.error());
            const int window = windowOf(*at);
            if (window < 0) {
                const bool before = *at < m_starts.front();
                return fail(fmt::format("shardingsphere-interval: {} is {} the tables ({} to {}); ShardingSphere "
                                        "finds no table for it",
                    formatLocalDateTime(*at), before ? "before" : "after", formatLocalDateTime(m_starts.front()),
                    formatLocalDateTime(m_end)));
            }
            const auto w = static_cast<size_t>(window);
            RouteResult result;
            result.index = m_table[w];
            if (explain) {
                const int64_t next = w + 1 < m_starts.size() ? m_starts[w + 1] : m_end;
                explain->push_back(fmt::format("{} is in [{}, {}), interval {} of {} {} from {}",
                    formatLocalDateTime(*at), formatLocalDateTime(m_starts[w]), formatLocalDateTime(next), w,
                    m_step.amount, m_step.unit, formatLocalDateTime(m_starts.front())));
                explain->push_back(fmt::format("suffix pattern {} formats {} as {}", m_suffix.text(),
                    formatLocalDateTime(m_starts[w]), m_suffix.format(m_starts[w])));
            }
            return result;
        }

        int shardCount() const override { return static_cast<int>(m_names.size()); }
        std::string shardName(int index) const override { return m_names[static_cast<size_t>(index)]; }
        std::string spec() const override { return m_spec; }

        int shardOfInteger(int64_t key) const override
        {
            const auto at = m_keyTime.seconds(Key::int64(key), nullptr);
            const int window = at ? windowOf(*at) : -1;
            return window < 0 ? -1 : m_table[static_cast<size_t>(window)];
        }

        std::vector<int64_t> rangeBoundaries() const override { return m_bounds; }
        bool countsRangesExactly() const override { return true; }
        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addPiecewiseShares(*this, m_bounds, lo, hi, mass, shares);
        }

    private:
        int windowOf(int64_t at) const
        {
            if (at < m_starts.front() || at >= m_end)
                return -1;
            return static_cast<int>(std::upper_bound(m_starts.begin(), m_starts.end(), at) - m_starts.begin()) - 1;
        }

        std::string m_spec;
        KeyTime m_keyTime;
        std::vector<int64_t> m_starts; // interval starts, ascending; the first is datetime-lower
        int64_t m_end; // end of the last interval
        DateTimePattern m_suffix;
        Step m_step;
        std::vector<int> m_table; // per interval, its table
        std::vector<std::string> m_names;
        std::vector<int64_t> m_bounds; // integer keys where the table may change
    };

    class AutoIntervalRule final : public ShardRule {
    public:
        AutoIntervalRule(std::string spec, KeyTime keyTime, int64_t lower, int64_t shardingSeconds, int tables)
            : m_spec(std::move(spec))
            , m_keyTime(std::move(keyTime))
            , m_lower(lower)
            , m_seconds(shardingSeconds)
            , m_tables(tables)
        {
            // The table grows with the key: binary-search the first key of each table.
            const auto [first, last] = m_keyTime.domain();
            std::vector<int64_t> changes;
            for (int table = 1; table < m_tables; ++table) {
                if (shardOfInteger(last) < table)
                    break;
                int64_t low = first;
                int64_t high = last;
                while (low < high) {
                    const int64_t mid = low + (high - low) / 2;
                    if (shardOfInteger(mid) >= table)
                        high = mid;
                    else
                        low = mid + 1;
                }
                changes.push_back(low);
            }
            m_bounds = withDomain(m_keyTime, std::move(changes));
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            auto at = m_keyTime.seconds(key, explain);
            if (!at)
                return fail(at.error());
            RouteResult result;
            result.index = autoIntervalTable(*at - m_lower, m_seconds, m_tables);
            if (explain) {
                explain->push_back(
                    fmt::format("{} s after {}; {} / {} = {:.4f}", *at - m_lower, formatLocalDateTime(m_lower),
                        *at - m_lower, m_seconds, static_cast<double>(*at - m_lower) / static_cast<double>(m_seconds)));
                explain->push_back(fmt::format("ceil of it to two decimals, within [0, {}]: table {} is {}",
                    m_tables - 1, result.index, shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return m_tables; }
        std::string shardName(int index) const override { return fmt::format("t_order_{}", index); }
        std::string spec() const override { return m_spec; }

        int shardOfInteger(int64_t key) const override
        {
            const auto at = m_keyTime.seconds(Key::int64(key), nullptr);
            return at ? autoIntervalTable(*at - m_lower, m_seconds, m_tables) : -1;
        }

        std::vector<int64_t> rangeBoundaries() const override { return m_bounds; }
        bool countsRangesExactly() const override { return true; }
        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addPiecewiseShares(*this, m_bounds, lo, hi, mass, shares);
        }

    private:
        std::string m_spec;
        KeyTime m_keyTime;
        int64_t m_lower;
        int64_t m_seconds;
        int m_tables;
        std::vector<int64_t> m_bounds; // integer keys where the table may change
    };

    Result<Step> readStep(std::string unitName, int64_t amount)
    {
        std::transform(unitName.begin(), unitName.end(), unitName.begin(),
            [](char c) { return static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c); });
        static const std::pair<const char*, int64_t> kFixed[]
            = { { "SECONDS", 1 }, { "MINUTES", 60 }, { "HOURS", 3600 }, { "DAYS", 86400 }, { "WEEKS", 604800 } };
        Step step { unitName, amount, 0, 0 };
        for (const auto& [name, seconds] : kFixed) {
            if (unitName == name)
                step.seconds = seconds * amount;
        }
        if (unitName == "MONTHS")
            step.months = amount;
        if (unitName == "YEARS")
            step.months = amount * 12;
        if (step.seconds == 0 && step.months == 0)
            return fail(fmt::format("unit '{}' of shardingsphere-interval is not one of SECONDS, MINUTES, HOURS, "
                                    "DAYS, WEEKS, MONTHS, YEARS",
                unitName));
        return step;
    }

    std::optional<int64_t> readDateTime(RuleParams& params, const std::string& name)
    {
        const std::string text = params.text(name, std::nullopt);
        if (text.empty())
            return std::nullopt;
        auto parsed = parseLocalDateTime(text);
        if (!parsed || text.size() != 19) {
            params.addError(fmt::format("parameter '{}' of rule '{}': {}", name, params.ruleName(),
                parsed ? fmt::format("'{}' has more than yyyy-MM-dd HH:mm:ss", text) : parsed.error()));
            return std::nullopt;
        }
        return *parsed;
    }

    int64_t readKeySeconds(RuleParams& params) { return params.integer("key_seconds", 0, 1, kMaxKeySeconds); }

} // namespace

} // namespace shardsim::rules::systems

namespace shardsim::rules {

ShardRulePtr makeShardingSphereIntervalRule(RuleParams& params, const RuleContext&)
{
    using namespace systems;
    const auto lower = readDateTime(params, "lower");
    const auto upper = readDateTime(params, "upper");
    const std::string unitName = params.text("unit", std::string("DAYS"));
    const int64_t amount = params.integer("amount", 1, 1, 1'000'000);
    const std::string suffixText = params.text("suffix", std::nullopt);
    const int64_t keySeconds = readKeySeconds(params);
    if (!params.finish().empty() || !lower || !upper)
        return nullptr;
    auto suffix = DateTimePattern::parse(suffixText);
    auto step = readStep(unitName, amount);
    if (!suffix || !step) {
        params.addError(!suffix ? suffix.error() : step.error());
        return nullptr;
    }
    // Intervals start at lower and follow each other while their start is not after upper.
    std::vector<int64_t> starts;
    int64_t at = *lower;
    for (; at <= *upper; at = advance(at, *step)) {
        if (starts.size() == kMaxWindows) {
            params.addError(fmt::format("shardingsphere-interval makes more than {} intervals; use a larger "
                                        "amount or unit",
                kMaxWindows));
            return nullptr;
        }
        starts.push_back(at);
    }
    if (starts.empty()) {
        params.addError("shardingsphere-interval: upper is before lower, so there is no table");
        return nullptr;
    }
    const std::string spec = fmt::format("shardingsphere-interval:lower={},upper={},unit={},amount={},suffix={}{}",
        formatLocalDateTime(*lower), formatLocalDateTime(*upper), step->unit, amount, suffix->text(),
        keySeconds > 0 ? fmt::format(",key_seconds={}", keySeconds) : "");
    return std::make_shared<IntervalRule>(
        spec, KeyTime("shardingsphere-interval", *lower, keySeconds), std::move(starts), at, *suffix, *step);
}

ShardRulePtr makeShardingSphereAutoIntervalRule(RuleParams& params, const RuleContext&)
{
    using namespace systems;
    const auto lower = readDateTime(params, "lower");
    const auto upper = readDateTime(params, "upper");
    const int64_t seconds = params.integer("seconds", std::nullopt, 1, std::numeric_limits<int64_t>::max());
    const int64_t keySeconds = readKeySeconds(params);
    if (!params.finish().empty() || !lower || !upper)
        return nullptr;
    // (long) Duration seconds / sharding-seconds, truncated, plus the two open-ended tables.
    const int64_t tables = (*upper - *lower) / seconds + 2;
    if (tables < 1 || tables > 65536) {
        params.addError(
            fmt::format("shardingsphere-auto-interval makes {} tables; between 1 and 65536 are supported", tables));
        return nullptr;
    }
    const std::string spec
        = fmt::format("shardingsphere-auto-interval:lower={},upper={},seconds={}{}", formatLocalDateTime(*lower),
            formatLocalDateTime(*upper), seconds, keySeconds > 0 ? fmt::format(",key_seconds={}", keySeconds) : "");
    return std::make_shared<AutoIntervalRule>(
        spec, KeyTime("shardingsphere-auto-interval", *lower, keySeconds), *lower, seconds, static_cast<int>(tables));
}

} // namespace shardsim::rules
