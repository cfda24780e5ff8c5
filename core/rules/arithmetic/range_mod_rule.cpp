// `range-mod:span=S,mod=M,dbs=D[,overflow=error|clamp]` — a range picks the database, a modulo the table:
// database d (0-based) holds the S keys d*S .. (d+1)*S - 1 and spreads them over M tables by key mod M.
// A hot range is spread over M tables, and growth appends a database without moving history.
//
// The databases cover keys 0 .. D*S - 1 only. A key outside is an error by default, because that is the
// moment a real deployment must add a database; overflow=clamp sends it to the first or last database
// instead, the way an open-ended last range would.

#include <algorithm>
#include <fmt/format.h>

#include "rules/arithmetic/key_math.h"
#include "rules/rule_makers.h"

namespace shardsim::rules {

namespace {

    class RangeModRule final : public ShardRule {
    public:
        RangeModRule(int64_t span, int tables, int databases, bool clamp)
            : m_span(span)
            , m_tables(tables)
            , m_databases(databases)
            , m_clamp(clamp)
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const auto value = wideValue(key);
            if (!value)
                return fail(fmt::format(
                    "range-mod needs an integer key, got the {} '{}'", keyTypeName(key.type), key.display()));
            const WideInt range = floorDiv(*value, m_span);
            WideInt database = range;
            if (range < 0 || range >= m_databases) {
                if (!m_clamp)
                    return fail(fmt::format("key {} is outside range-mod's {} databases, which hold keys 0..{}; "
                                            "add databases (dbs=) or use overflow=clamp",
                        key.display(), m_databases, toString(WideInt(m_databases) * m_span - 1)));
                database = std::clamp<WideInt>(range, 0, m_databases - 1);
            }
            RouteResult result;
            const int db = static_cast<int>(database);
            const int table = static_cast<int>(floorMod(*value, m_tables));
            result.index = db * m_tables + table;
            result.db = db + 1;
            result.table = table;
            if (explain) {
                explain->push_back(fmt::format("floor({} / {}) = {}", key.display(), m_span, toString(range)));
                if (database != range)
                    explain->push_back(fmt::format("range {} has no database (0..{}); overflow=clamp uses db{}",
                        toString(range), m_databases - 1, db + 1));
                else
                    explain->push_back(fmt::format("range {} is database db{} (keys {}..{})", db, db + 1,
                        toString(WideInt(db) * m_span), toString(WideInt(db + 1) * m_span - 1)));
                explain->push_back(fmt::format("{} mod {} = {}, table t_{}", key.display(), m_tables, table, table));
            }
            return result;
        }

        int shardCount() const override { return m_databases * m_tables; }
        std::string shardName(int index) const override
        {
            return fmt::format("db{}.t_{}", index / m_tables + 1, index % m_tables);
        }
        int databaseCount() const override { return m_databases; }
        int databaseOf(int shardIndex) const override { return shardIndex / m_tables; }

        std::string spec() const override
        {
            return fmt::format("range-mod:span={},mod={},dbs={}{}", compactCount(m_span), m_tables, m_databases,
                m_clamp ? ",overflow=clamp" : "");
        }

    private:
        int64_t m_span; // keys per database
        int m_tables; // tables per database
        int m_databases;
        bool m_clamp; // keys outside the databases go to the nearest one instead of failing
    };

} // namespace

ShardRulePtr makeRangeModRule(RuleParams& params, const RuleContext&)
{
    const auto span = params.integer("span", std::nullopt, 1, 1'000'000'000'000'000'000);
    const auto tables = params.integer("mod", std::nullopt, 1, 1'000'000);
    const auto databases = params.integer("dbs", std::nullopt, 1, 1'000'000);
    const auto overflow = params.choice("overflow", "error", { "error", "clamp" });
    if (!params.finish().empty())
        return nullptr;
    constexpr int64_t kMaxShards = 10'000'000;
    if (tables * databases > kMaxShards) {
        params.addError(fmt::format("range-mod with dbs={} and mod={} has {} tables; at most {} are supported",
            databases, tables, tables * databases, kMaxShards));
        return nullptr;
    }
    return std::make_shared<RangeModRule>(
        span, static_cast<int>(tables), static_cast<int>(databases), overflow == "clamp");
}

} // namespace shardsim::rules
