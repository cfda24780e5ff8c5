#pragma once
// A thin layer over the SQLite C API for the run history: statements are finalised on scope exit and
// every failure comes back as a Result carrying SQLite's own message.

#include <cstdint>
#include <sqlite3.h>
#include <string>
#include <string_view>

#include "shardsim/common/result.h"

namespace shardsim::sqlite {

class Statement {
public:
    static Result<Statement> prepare(sqlite3* db, std::string_view sql);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Parameters are 1-based, as in SQL.
    void bind(int index, int64_t value);
    void bind(int index, double value); // NaN is stored as NULL (SQLite has no NaN)
    void bind(int index, std::string_view text);
    void bindBlob(int index, std::string_view bytes); // stored as a BLOB, byte for byte

    // true while a row is available, false when the statement is done.
    Result<bool> step();
    // Runs a statement that returns no rows, then makes it ready to run again.
    Result<bool> run();
    // Ready to run again with new parameters.
    void reset();

    int64_t columnInt(int index) const;
    double columnDouble(int index) const; // NULL reads back as NaN
    std::string columnText(int index) const;
    std::string columnBlob(int index) const; // the bytes of a BLOB; empty for NULL

private:
    explicit Statement(sqlite3_stmt* statement);
    sqlite3_stmt* m_statement = nullptr;
};

// Runs SQL that may hold several statements and returns no rows.
Result<bool> exec(sqlite3* db, std::string_view sql);

// A single integer from a query such as "PRAGMA user_version".
Result<int64_t> queryInt(sqlite3* db, std::string_view sql);

std::string lastError(sqlite3* db);

} // namespace shardsim::sqlite
