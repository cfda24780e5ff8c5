#include "shardsim/history/history_recovery.h"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <limits>
#include <optional>
#include <sqlite3.h>

#include "history/sqlite_handle.h"
#include "shardsim/history/run_history.h"

namespace shardsim {

namespace {

    struct RunTable {
        std::string_view name;
        std::string_view key; // the column holding the run's id
    };
    // The run's row first, so its children's foreign keys hold as they are inserted.
    constexpr std::array kRunTables { RunTable { "runs", "id" }, RunTable { "run_nodes", "run_id" },
        RunTable { "node_ticks", "run_id" }, RunTable { "cluster_ticks", "run_id" },
        RunTable { "run_heatmaps", "run_id" }, RunTable { "run_range_windows", "run_id" } };

    Result<std::vector<std::string>> columnsOf(sqlite3* db, std::string_view schema, std::string_view table)
    {
        auto statement = sqlite::Statement::prepare(db, "SELECT name FROM pragma_table_info(?, ?) ORDER BY cid");
        if (!statement)
            return fail(statement.error());
        statement->bind(1, table);
        statement->bind(2, schema);
        std::vector<std::string> names;
        for (;;) {
            auto row = statement->step();
            if (!row)
                return fail(row.error());
            if (!*row)
                return names;
            names.push_back(statement->columnText(0));
        }
    }

    // An INSERT copying one run's rows of a table, over the columns both files have: a file from an older
    // schema version lacks some, which keep their defaults. Empty when the damaged file lacks the table.
    Result<std::string> copyStatement(sqlite3* db, const RunTable& table)
    {
        auto ours = columnsOf(db, "main", table.name);
        auto theirs = columnsOf(db, "damaged", table.name);
        if (!ours || !theirs)
            return fail(ours ? theirs.error() : ours.error());
        std::string shared;
        for (const std::string& column : *ours)
            if (std::find(theirs->begin(), theirs->end(), column) != theirs->end())
                shared += (shared.empty() ? "\"" : ", \"") + column + "\"";
        if (theirs->empty())
            return std::string();
        return fmt::format(
            "INSERT INTO main.{0} ({1}) SELECT {1} FROM damaged.{0} WHERE {2} = ?", table.name, shared, table.key);
    }

    Result<bool> attachReadOnly(sqlite3* db, const std::filesystem::path& path)
    {
        // As RunHistory::openReadOnly: nothing is written, and immutable when the file's -shm cannot be made.
        std::string problem;
        for (const std::string& query : { sqlite::readOnlyQuery(path), std::string("mode=ro&immutable=1") }) {
            auto attach = sqlite::Statement::prepare(db, "ATTACH ? AS damaged");
            if (!attach)
                return fail(attach.error());
            attach->bind(1, sqlite::fileUri(path, query));
            if (auto attached = attach->run(); !attached)
                return fail(attached.error());
            auto tables = sqlite::queryInt(db, "SELECT count(*) FROM damaged.sqlite_schema WHERE name = 'runs'");
            if (tables && *tables == 1)
                return true;
            problem = tables ? "it has no runs table, so it is not a shardsim run history"
                             : "cannot read its list of tables: " + tables.error();
            sqlite::exec(db, "DETACH damaged");
            if (tables)
                break;
        }
        return fail(problem);
    }

    // Every id of the damaged runs table that can be reached. A page that cannot be read ends a scan, which then
    // resumes at the first id found 1, 2, 4, ... beyond the last one read, so the runs after the page still count;
    // a run whose own row cannot be read is lost.
    std::vector<int64_t> reachableIds(sqlite3* db, HistoryRecovery& recovery)
    {
        std::vector<int64_t> ids;
        auto scan = sqlite::Statement::prepare(db, "SELECT id FROM damaged.runs WHERE id > ? ORDER BY id");
        auto next = sqlite::Statement::prepare(db, "SELECT min(id) FROM damaged.runs WHERE id > ?");
        if (!scan || !next) {
            recovery.everyRunListed = false;
            return ids;
        }
        constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
        int64_t after = std::numeric_limits<int64_t>::min();
        std::optional<int64_t> resumedAt;
        for (;;) {
            const size_t known = ids.size();
            scan->bind(1, after);
            std::string error;
            for (;;) {
                auto row = scan->step();
                if (!row)
                    error = row.error();
                if (!row || !*row)
                    break;
                after = scan->columnInt(0);
                ids.push_back(after);
            }
            scan->reset();
            if (error.empty())
                return ids;
            recovery.everyRunListed = false;
            if (resumedAt && ids.size() == known) {
                recovery.lost.push_back(LostRun { *resumedAt, "its row in the runs table cannot be read: " + error });
                after = *resumedAt;
            }
            resumedAt.reset();
            for (int64_t jump = 1; !resumedAt && after <= kMax - jump; jump *= 2) {
                next->bind(1, after + jump);
                auto row = next->step();
                const bool none = row && *row && next->columnIsNull(0);
                if (row && *row && !none)
                    resumedAt = next->columnInt(0);
                next->reset();
                if (none || jump > kMax / 2)
                    break;
            }
            if (!resumedAt)
                return ids;
            after = *resumedAt - 1;
        }
    }

    // The run reads back whole through the same code that shows it: a row SQLite can read may still hold values
    // that are no run (a heat map of the wrong size, overrides that are not JSON).
    Result<bool> readsBack(const RunHistory& history, int64_t id)
    {
        auto details = history.get(id);
        if (!details)
            return fail(details.error());
        if (!*details)
            return fail("its row in the runs table cannot be read");
        auto ticks = history.visitNodeTicks(id, [](const StoredNodeTick&) {});
        if (!ticks)
            return fail(ticks.error());
        return true;
    }

} // namespace

Result<HistoryRecovery> recoverHistory(const std::filesystem::path& from, const std::filesystem::path& to)
{
    std::error_code error;
    if (!std::filesystem::is_regular_file(from, error))
        return fail(fmt::format("run history {}: does not exist or is not a file", from.string()));
    if (std::filesystem::exists(to, error))
        return fail(fmt::format("{} already exists; give the name of a new file to recover into", to.string()));
    auto history = RunHistory::open(to);
    if (!history)
        return fail(history.error());
    sqlite3* db = history->m_db.get();
    if (auto attached = attachReadOnly(db, from); !attached)
        return fail(fmt::format("run history {}: {}; nothing can be recovered", from.string(), attached.error()));

    std::vector<sqlite::Statement> copies;
    for (const RunTable& table : kRunTables) {
        auto sql = copyStatement(db, table);
        if (!sql)
            return fail(fmt::format(
                "run history {}: cannot read the columns of {}: {}", from.string(), table.name, sql.error()));
        if (sql->empty())
            continue;
        auto statement = sqlite::Statement::prepare(db, *sql);
        if (!statement)
            return fail(statement.error());
        copies.push_back(std::move(*statement));
    }

    HistoryRecovery recovery;
    for (const int64_t id : reachableIds(db, recovery)) {
        if (auto begun = sqlite::exec(db, "BEGIN IMMEDIATE"); !begun)
            return fail(fmt::format("{}: {}", to.string(), begun.error()));
        Result<bool> copied = true;
        for (sqlite::Statement& copy : copies) {
            copy.bind(1, id);
            if (copied = copy.run(); !copied)
                break;
        }
        if (copied)
            copied = readsBack(*history, id);
        if (!copied) {
            sqlite::exec(db, "ROLLBACK");
            recovery.lost.push_back(LostRun { id, copied.error() });
            continue;
        }
        if (auto committed = sqlite::exec(db, "COMMIT"); !committed)
            return fail(fmt::format("{}: {}", to.string(), committed.error()));
        recovery.copied.push_back(id);
    }
    std::sort(
        recovery.lost.begin(), recovery.lost.end(), [](const LostRun& a, const LostRun& b) { return a.id < b.id; });
    // Ids are never reused: the new file continues after every id the damaged one ever gave, where that is known.
    sqlite::exec(db,
        "UPDATE main.sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM damaged.sqlite_sequence "
        "WHERE name = 'runs'), 0)) WHERE name = 'runs'");
    sqlite::exec(db, "DETACH damaged");
    return recovery;
}

} // namespace shardsim
