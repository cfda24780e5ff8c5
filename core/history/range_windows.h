#pragma once
// An auto-range run's ranges over time in the history file (schema version 5, table run_range_windows): one row per
// window of RangesSummary::windows, so a reopened run draws its range counts, balancer moves and boundaries as it did
// live and writes the same ranges.csv. A window's bounds are stored only when they differ from the window before.

#include <cstdint>
#include <span>
#include <sqlite3.h>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/engine/run_result.h"

namespace shardsim {

// Inserts the windows of run `id`, inside the caller's transaction.
Result<bool> insertRangeWindows(sqlite3* db, int64_t id, std::span<const RangeWindowSummary> windows);

// Run `id`'s windows in time order, each with its bounds (those of the window before when stored as unchanged). Fails
// naming the run and the window when a stored row is no window (edited by hand, or damaged): a BLOB that is not a
// whole number of values, or a first window without bounds.
Result<std::vector<RangeWindowSummary>> readRangeWindows(sqlite3* db, int64_t id);

} // namespace shardsim
