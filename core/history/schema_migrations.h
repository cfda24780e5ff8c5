#pragma once
// The history file's schema, as an ordered list of migrations. A file records the version it has
// reached in its schema_version table; opening it applies the migrations after that version.
// A migration, once released, is never edited: a later change is a new migration.

#include <span>
#include <sqlite3.h>
#include <string>
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

// The version recorded in the file's schema_version table; fails, calling the file damaged, when that table
// does not hold exactly one version number or says 0 beside tables of a later version.
Result<int> storedSchemaVersion(sqlite3* db);

// Why a file from a newer build is refused.
std::string newerVersionMessage(int version, int latest);

// How every message about a damaged file starts, so that the caller who knows the path can add the way out.
inline constexpr std::string_view kDamagedFile = "the file is damaged";

// "shsi": marks the file as a run history for tools such as file(1).
inline constexpr int kHistoryApplicationId = 0x73687369;

} // namespace shardsim
