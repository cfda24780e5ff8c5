#pragma once
// Stored runs written out: node ticks as CSV with the columns of a run's nodes.csv, range windows as its ranges.csv,
// and runs as JSON for `history show`, `history list` and `history export --format json` (docs/run-history.md).

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "shardsim/common/result.h"
#include "shardsim/history/run_history.h"

namespace shardsim {

nlohmann::ordered_json runRecordJson(const RunRecord& record);

// runRecordJson plus the scenario text, overrides, nodes, the summary, parsed, and the heat map's shape.
nlohmann::ordered_json runDetailsJson(const RunDetails& details);

// The columns of nodes.csv (kNodesCsvHeader) with node names, one line per stored row (window): the same bytes as the
// run's nodes.csv, which holds the same windows. Returns the rows written.
Result<int64_t> writeNodeTicksCsv(const RunHistory& history, const RunDetails& run, std::FILE* out);

// An auto-range run's ranges.csv from its stored range windows: the same bytes as the ranges.csv `run --out` wrote.
// Fails, saying why, for a run without an auto-range rule and for one stored before the history kept range windows
// (schema version 5). Returns the windows written.
Result<int64_t> writeRangesCsv(const RunDetails& run, std::FILE* out);

// One JSON object: runDetailsJson plus "cluster_ticks", "run_range_windows" (auto-range runs) and "node_ticks" with
// every stored column, node rows streamed as arrays so a large run is not built in memory. Returns the node rows
// written.
Result<int64_t> writeRunBundleJson(const RunHistory& history, const RunDetails& run, std::FILE* out);

} // namespace shardsim
