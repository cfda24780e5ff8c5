#pragma once
// `analyze` on recorded requests: a table's keys as a trace (docs/workload-model.md, `distribution: trace`) holds
// them — how many distinct, the most frequent, and whether they grow with insertion order — counted from the rows
// rather than from the key law.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/report/shard_key_analysis.h"

namespace shardsim::report {

// One row of the trace on the table: the operation (index into the mix) and its key.
struct TraceRequest {
    int operation = 0;
    int64_t key = 0;
};

struct TraceKeyStats {
    uint64_t rows = 0; // the trace's rows on the table
    std::string file; // the trace's file name, for the report
    std::vector<TraceRequest> requests; // the rows on the table, in the trace's order
    int64_t cardinality = 0; // distinct keys among them
    std::vector<KeyValueFrequency> mostCommon; // share of the rows, most frequent first, ties by key
    double monotonicity = 0; // Pearson r of the key with its row's place
    std::string monotonicityHow;
};

// Pearson's r of y[i] with i: 0 when either does not vary.
double correlationWithOrder(const std::vector<double>& y);

// The statistics of `table`'s keys in the workload's trace file; none when the trace has no row on the table.
// Monotonicity is over the inserts of the table when there are two or more (insertion order, as MongoDB measures
// it), else over every row in the order requested.
Result<std::optional<TraceKeyStats>> traceKeyStats(const ScenarioConfig& config, const std::string& table);

} // namespace shardsim::report
