#pragma once
// `distribution: trace`: requests replayed as they were recorded, from a CSV file of `time,op,key[,table]` rows (see
// docs/workload-model.md). Read as a stream, row by row, so a trace of any length costs no memory: one pass checks
// it when the scenario is loaded, and the run reads it once more, tick by tick.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "shardsim/common/result.h"
#include "shardsim/workload/workload_config.h"

namespace shardsim::workload {

class CsvLines;

struct TraceRow {
    double time = 0; // s since the start; never less than the previous row's
    int operation = 0; // index into the mix
    int64_t key = 0; // as recorded; routed by the rule as it is
    int line = 0; // in the CSV, for messages
};

class TraceReader {
public:
    // `mix`: the operations a row's `op` must name; the optional `table` must be one of that operation's tables.
    static Result<TraceReader> open(const std::string& path, std::span<const OperationConfig> mix);
    TraceReader(TraceReader&&) noexcept;
    TraceReader& operator=(TraceReader&&) noexcept;
    ~TraceReader();

    // The next row, or nullopt at the end of the file; fails with "file:line: message" on a malformed row.
    Result<std::optional<TraceRow>> next();

private:
    TraceReader(std::unique_ptr<CsvLines> lines, std::span<const OperationConfig> mix);

    std::unique_ptr<CsvLines> m_lines;
    std::span<const OperationConfig> m_mix;
    double m_lastTime = 0;
    bool m_first = true;
};

struct TraceSummary {
    uint64_t rows = 0;
    double lastTime = 0; // s; 0 for an empty trace
};

// One pass over the whole trace: the first malformed row's error, or how many rows it has.
Result<TraceSummary> checkTraceFile(const std::string& path, std::span<const OperationConfig> mix);

} // namespace shardsim::workload
