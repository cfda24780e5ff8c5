// `db-table:dbs=D,tables=T[,fold=F]` — the two-level formula of the sources:
//   db = (key / T) % D + 1,  table = key % T
// uid 9527 with T=10, D=8: 9527 / 10 = 952, 952 % 8 + 1 = 1, 9527 % 10 = 7 -> db1, table t_7.
//
// With fold=F the D databases are redundant logical ones hosted on F physical databases:
// physical = (db - 1) % F + 1 (64 folded onto 8). Growing 8 -> 16 -> 64 then moves whole logical
// databases and never re-splits one. A logical shard is (logical db, table), so its identity and name
// stay the same when the fold changes; databaseOf() and RouteResult::db give the physical database.

#include <fmt/format.h>

#include "rules/arithmetic/key_math.h"
#include "rules/range_shares.h"
#include "rules/rule_makers.h"

namespace shardsim::rules {

namespace {

    class DbTableRule final : public ShardRule {
    public:
        DbTableRule(int databases, int tables, int fold)
            : m_databases(databases)
            , m_tables(tables)
            , m_fold(fold)
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const auto value = wideValue(key);
            if (!value)
                return fail(fmt::format("db-table needs an integer key such as a uid, got the {} '{}'",
                    keyTypeName(key.type), key.display()));
            const WideInt quotient = floorDiv(*value, m_tables);
            const int logical = static_cast<int>(floorMod(quotient, m_databases)) + 1;
            const int table = static_cast<int>(floorMod(*value, m_tables));
            const int physical = physicalOf(logical);
            RouteResult result;
            result.index = (logical - 1) * m_tables + table;
            result.db = physical;
            result.table = table;
            if (explain) {
                explain->push_back(fmt::format("{} / {} = {} (integer division{})", key.display(), m_tables,
                    toString(quotient), *value < 0 ? ", floored" : ""));
                // Only a negative key makes the floored remainder differ from C's and Java's %.
                const char* floored = *value < 0 ? " (floored remainder)" : "";
                explain->push_back(fmt::format(
                    "{} % {} + 1 = {}{}: database db{}", toString(quotient), m_databases, logical, floored, logical));
                explain->push_back(
                    fmt::format("{} % {} = {}{}: table t_{}", key.display(), m_tables, table, floored, table));
                if (folded())
                    explain->push_back(fmt::format("fold: ({} - 1) % {} + 1 = {}: logical db{} lives in physical "
                                                   "database db{}",
                        logical, m_fold, physical, logical, physical));
            }
            return result;
        }

        int shardCount() const override { return m_databases * m_tables; }
        // The logical database and table: "db1.t_7"; with a fold, "db9.t_7" is in physical database 1.
        std::string shardName(int index) const override
        {
            return fmt::format("db{}.t_{}", index / m_tables + 1, index % m_tables);
        }
        int databaseCount() const override { return folded() ? m_fold : m_databases; }
        int databaseOf(int shardIndex) const override { return physicalOf(shardIndex / m_tables + 1) - 1; }

        std::string spec() const override
        {
            std::string out = fmt::format("db-table:dbs={},tables={}", m_databases, m_tables);
            if (folded())
                out += fmt::format(",fold={}", m_fold);
            return out;
        }

        // With k = q T + t: (q mod D) T + t is k mod (D T), so the logical shard is the key modulo D T.
        int shardOfInteger(int64_t key) const override
        {
            const int64_t shards = static_cast<int64_t>(m_databases) * m_tables;
            const int64_t remainder = key % shards;
            return static_cast<int>(remainder < 0 ? remainder + shards : remainder);
        }

        bool countsRangesExactly() const override { return true; }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            const WideInt length = rangeLength(lo, hi);
            if (length > 0)
                addResidueShares(lo, hi, shardCount(), mass / static_cast<double>(length), shares.first(shardCount()));
            return 0;
        }

    private:
        bool folded() const { return m_fold != m_databases; }
        int physicalOf(int logical) const { return (logical - 1) % m_fold + 1; } // both 1-based

        int m_databases; // logical databases, D
        int m_tables; // tables per database, T
        int m_fold; // physical databases, F; equal to D without a fold
    };

} // namespace

ShardRulePtr makeDbTableRule(RuleParams& params, const RuleContext&)
{
    const auto databases = params.integer("dbs", std::nullopt, 1, 1'000'000);
    const auto tables = params.integer("tables", std::nullopt, 1, 1'000'000);
    const auto fold = params.integer("fold", 0, 1, 1'000'000); // 0: absent
    if (!params.finish().empty())
        return nullptr;
    constexpr int64_t kMaxShards = 10'000'000;
    if (databases * tables > kMaxShards) {
        params.addError(fmt::format("db-table with dbs={} and tables={} has {} tables; at most {} are supported",
            databases, tables, databases * tables, kMaxShards));
        return nullptr;
    }
    if (fold > 0 && (fold > databases || databases % fold != 0)) {
        params.addError(fmt::format("fold={} must divide dbs={} so every physical database hosts the same number "
                                    "of logical ones (e.g. 64 onto 8, 16 or 32)",
            fold, databases));
        return nullptr;
    }
    return std::make_shared<DbTableRule>(
        static_cast<int>(databases), static_cast<int>(tables), static_cast<int>(fold > 0 ? fold : databases));
}

} // namespace shardsim::rules
