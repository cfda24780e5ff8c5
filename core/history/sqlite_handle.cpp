#include "history/sqlite_handle.h"

#include <fmt/format.h>
#include <limits>
#include <unistd.h>
#include <utility>

namespace shardsim::sqlite {

Result<Statement> Statement::prepare(sqlite3* db, std::string_view sql)
{
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &statement, nullptr) != SQLITE_OK)
        return fail(lastError(db));
    return Statement(statement);
}

Statement::Statement(sqlite3_stmt* statement)
    : m_statement(statement)
{
}

Statement::Statement(Statement&& other) noexcept
    : m_statement(std::exchange(other.m_statement, nullptr))
{
}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_statement);
        m_statement = std::exchange(other.m_statement, nullptr);
    }
    return *this;
}

Statement::~Statement() { sqlite3_finalize(m_statement); }

void Statement::bind(int index, int64_t value) { sqlite3_bind_int64(m_statement, index, value); }

void Statement::bind(int index, double value) { sqlite3_bind_double(m_statement, index, value); }

void Statement::bind(int index, std::string_view text)
{
    sqlite3_bind_text64(m_statement, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void Statement::bindNull(int index) { sqlite3_bind_null(m_statement, index); }

void Statement::bindBlob(int index, std::string_view bytes)
{
    // A null pointer would bind NULL; an empty array is an empty BLOB.
    if (bytes.empty())
        sqlite3_bind_zeroblob(m_statement, index, 0);
    else
        sqlite3_bind_blob64(m_statement, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
}

Result<bool> Statement::step()
{
    const int code = sqlite3_step(m_statement);
    if (code == SQLITE_ROW)
        return true;
    if (code == SQLITE_DONE)
        return false;
    // The message must be read before reset, which may replace it.
    Error error { lastError(sqlite3_db_handle(m_statement)) };
    sqlite3_reset(m_statement);
    return error;
}

Result<bool> Statement::run()
{
    auto stepped = step();
    reset();
    if (!stepped)
        return stepped;
    return true;
}

void Statement::reset()
{
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

bool Statement::columnIsNull(int index) const { return sqlite3_column_type(m_statement, index) == SQLITE_NULL; }

int64_t Statement::columnInt(int index) const { return sqlite3_column_int64(m_statement, index); }

double Statement::columnDouble(int index) const
{
    if (sqlite3_column_type(m_statement, index) == SQLITE_NULL)
        return std::numeric_limits<double>::quiet_NaN();
    return sqlite3_column_double(m_statement, index);
}

std::string Statement::columnText(int index) const
{
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_statement, index));
    if (!text)
        return {};
    return std::string(text, static_cast<size_t>(sqlite3_column_bytes(m_statement, index)));
}

std::string Statement::columnBlob(int index) const
{
    // The pointer is read first: sqlite3_column_bytes after it gives the size of that same value.
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(m_statement, index));
    if (!bytes)
        return {};
    return std::string(bytes, static_cast<size_t>(sqlite3_column_bytes(m_statement, index)));
}

Result<bool> exec(sqlite3* db, std::string_view sql)
{
    // sqlite3_exec needs a terminated string; scripts are short.
    const std::string script(sql);
    char* message = nullptr;
    if (sqlite3_exec(db, script.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        Error error { message ? message : lastError(db) };
        sqlite3_free(message);
        return error;
    }
    return true;
}

Result<int64_t> queryInt(sqlite3* db, std::string_view sql)
{
    auto statement = Statement::prepare(db, sql);
    if (!statement)
        return fail(statement.error());
    auto row = statement->step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return fail("no result from: " + std::string(sql));
    return statement->columnInt(0);
}

std::string lastError(sqlite3* db) { return db ? sqlite3_errmsg(db) : "out of memory"; }

std::string fileUri(const std::filesystem::path& path, std::string_view query)
{
    // An absolute path gets the empty authority ("file:///a"), so one starting with "//" is not read as a host.
    std::string uri = path.is_absolute() ? "file://" : "file:";
    for (const unsigned char c : path.string()) {
        if (c == '?' || c == '#' || c == '%' || c <= ' ' || c >= 0x7f)
            uri += fmt::format("%{:02X}", c);
        else
            uri += static_cast<char>(c);
    }
    if (!query.empty())
        uri += '?' + std::string(query);
    return uri;
}

std::string readOnlyQuery(const std::filesystem::path& path)
{
    const std::filesystem::path directory = path.has_parent_path() ? path.parent_path() : ".";
    const bool writable = ::access(path.c_str(), W_OK) == 0 && ::access(directory.c_str(), W_OK) == 0;
    return writable ? "mode=ro" : "mode=ro&immutable=1";
}

int lastCode(sqlite3* db) { return db ? sqlite3_errcode(db) & 0xff : SQLITE_NOMEM; }

} // namespace shardsim::sqlite
