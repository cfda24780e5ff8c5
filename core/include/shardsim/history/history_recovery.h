#pragma once
// Copies the runs that can still be read out of a damaged run history into a new file.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "shardsim/common/result.h"

namespace shardsim {

struct LostRun {
    int64_t id = 0;
    std::string reason; // SQLite's words, or what was wrong with the run's stored values
};

struct HistoryRecovery {
    std::vector<int64_t> copied; // ascending; each keeps its id, so an id printed before names the same run
    std::vector<LostRun> lost; // runs listed in the damaged file whose rows could not all be read
    // False when part of the runs table itself could not be read: runs may then be missing from both lists.
    bool everyRunListed = true;
};

// Creates `to` (which must not exist yet) and copies into it, run by run, every run of `from` whose rows all
// read back as a valid run; `from` is only read. The new file's ids continue after the damaged file's highest.
// Fails when `to` exists or cannot be created, or `from` is not an SQLite file with a runs table.
Result<HistoryRecovery> recoverHistory(const std::filesystem::path& from, const std::filesystem::path& to);

} // namespace shardsim
