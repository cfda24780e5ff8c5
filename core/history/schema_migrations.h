#pragma once
// The history file's schema, as an ordered list of migrations. A file records the version it has
// reached in its schema_version table; opening it applies the migrations after that version.
// A migration, once released, is never edited: a later change is a new migration.

#include <span>
#include <sqlite3.h>
#include <string_view>

#include "shardsim/common/result.h"

namespace shardsim {

struct Migration {
    int version = 0; // the schema version after this migration; ascending, starting at 1
    std::string_view sql;
};

// What this build writes; the last entry's version is the current schema version.
std::span<const Migration> historyMigrations();

// Brings the file to the last migration's version, all pending steps in one transaction, so a file is
// always at some released version. Refuses a file from a newer build and an SQLite file that is not a
// run history. Returns the version reached.
Result<int> migrateSchema(sqlite3* db, std::span<const Migration> migrations);

// "shsi": marks the file as a run history for tools such as file(1).
inline constexpr int kHistoryApplicationId = 0x73687369;

} // namespace shardsim
