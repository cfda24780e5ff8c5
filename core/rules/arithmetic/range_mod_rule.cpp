// `range-mod:span=S,mod=M,dbs=D[,overflow=error|clamp]` — a range picks the database, a modulo the table:
// database d (0-based) holds the S keys d*S .. (d+1)*S - 1 and spreads them over M tables by key mod M.
// A hot range is spread over M tables, and growth appends a database without moving history.
//
// The databases cover keys 0 .. D*S - 1 only. A key outside is an error by default, because that is the
// moment a real deployment must add a database; overflow=clamp sends it to the first or last database
// instead, the way an open-ended last range would.

#include <algorithm>
#include <fmt/format.h>
#include <limits>

#include "rules/arithmetic/key_math.h"
#include "rules/range_shares.h"
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

        int shardOfInteger(int64_t key) const override
        {
            int64_t database = key / m_span;
            if (key % m_span != 0 && key < 0)
                --database;
            if (database < 0 || database >= m_databases) {
                if (!m_clamp)
                    return -1;
                database = database < 0 ? 0 : m_databases - 1;
            }
            int64_t table = key % m_tables;
            if (table < 0)
                table += m_tables;
            return static_cast<int>(database * m_tables + table);
        }

        // Exact: the range is cut at the databases' spans, and inside each the tables are residues mod M. Keys
        // below 0 or past the last database go to the nearest database with overflow=clamp and are refused
        // otherwise.
        bool countsRangesExactly() const override { return true; }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            const WideInt length = rangeLength(lo, hi);
            if (length == 0)
                return 0;
            const double perKey = mass / static_cast<double>(length);
            const WideInt covered = WideInt(m_databases) * m_span; // keys 0 .. covered - 1 have a database
            double refused = 0;
            const auto addPiece = [&](WideInt from, WideInt to, int database) {
                if (to < from)
                    return;
                if (database < 0) {
                    refused += perKey * static_cast<double>(to - from + 1);
                    return;
                }
                addResidueShares(from, to, m_tables, perKey,
                    shares.subspan(
                        static_cast<size_t>(database) * static_cast<size_t>(m_tables), static_cast<size_t>(m_tables)));
            };
            addPiece(lo, std::min<WideInt>(hi, -1), m_clamp ? 0 : -1);
            addPiece(std::max<WideInt>(lo, covered), hi, m_clamp ? m_databases - 1 : -1);
            const WideInt first = std::max<WideInt>(lo, 0);
            const WideInt last = std::min<WideInt>(hi, covered - 1);
            for (WideInt database = first / m_span; first <= last && database <= last / m_span; ++database) {
                const WideInt start = database * m_span;
                addPiece(std::max(first, start), std::min(last, start + m_span - 1), static_cast<int>(database));
            }
            return refused;
        }

        // Where each database's span starts, and where the last one ends (keys beyond have no database).
        std::vector<int64_t> rangeBoundaries() const override
        {
            std::vector<int64_t> bounds;
            for (int64_t database = 0; database <= m_databases; ++database) {
                const WideInt start = WideInt(database) * m_span;
                if (start > WideInt(std::numeric_limits<int64_t>::max()))
                    break;
                bounds.push_back(static_cast<int64_t>(start));
            }
            return bounds;
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
