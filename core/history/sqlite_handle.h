#pragma once
// A thin layer over the SQLite C API for the run history: statements are finalised on scope exit and
// every failure comes back as a Result carrying SQLite's own message.

#include <cstdint>
#include <filesystem>
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
    void bindNull(int index);

    // true while a row is available, false when the statement is done.
    Result<bool> step();
    // Runs a statement that returns no rows, then makes it ready to run again.
    Result<bool> run();
    // Ready to run again with new parameters.
    void reset();

    bool columnIsNull(int index) const;
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

// The file as an SQLite URI ("file:/a/b%3Fc?mode=ro"), so a path holding '?', '#' or '%' still names that
// file when the connection reads URIs. query: without the '?', empty for none.
std::string fileUri(const std::filesystem::path& path, std::string_view query);

// The URI query to read a file without writing anything: "mode=ro", or "mode=ro&immutable=1" when this user
// cannot write the file or its directory. A WAL reader makes the -wal and -shm files beside the file; where it
// cannot, immutable reads the file as it is on disk, without them or any lock. No writer of this user can be
// changing such a file, though a -wal left behind by a crash is not read.
std::string readOnlyQuery(const std::filesystem::path& path);

// SQLite's primary result code of the last failure on db: SQLITE_BUSY, SQLITE_CORRUPT, ...
int lastCode(sqlite3* db);

} // namespace shardsim::sqlite
