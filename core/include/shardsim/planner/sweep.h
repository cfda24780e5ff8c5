#pragma once
// Parameter sweeps: the cartesian grid of `--param PATH=v1,v2,...` overrides, its contiguous partitions
// for spreading a sweep over machines, and sweep.csv (docs/outputs.md#sweepcsv).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/engine/run_result.h"

namespace shardsim {

struct SweepParam {
    std::string path; // an override path, as `run --set` takes it: cluster.nodes, data.tables[0].rows
    std::vector<std::string> values; // YAML values, in the order given
};

// `PATH=v1,v2,...`. Commas inside brackets, braces or quotes belong to the value, so `{a: 1, b: 2}` and
// `[1, 2]` are single values.
Result<SweepParam> parseSweepParam(std::string_view text);

struct SweepPoint {
    std::size_t index = 0; // 0-based position in the whole grid
    std::vector<std::string> values; // one per parameter

    // "PATH=VALUE" per parameter, in parameter order.
    std::vector<std::string> overrides(const std::vector<SweepParam>& params) const;
};

// The grid in row-major order: the last parameter varies fastest. Fails above kMaxSweepPoints.
inline constexpr std::size_t kMaxSweepPoints = 1'000'000;
Result<std::vector<SweepPoint>> sweepGrid(const std::vector<SweepParam>& params);

struct SweepPartition {
    int index = 1; // 1-based
    int count = 1;
};
// `I/N` with 1 <= I <= N.
Result<SweepPartition> parseSweepPartition(std::string_view text);
// The points of partition I of N: a contiguous slice [total (I-1) / N, total I / N), so the partitions in
// order are the grid in order.
std::vector<SweepPoint> partitionPoints(const std::vector<SweepPoint>& grid, SweepPartition partition);

// The CSV header (parameters by path, then the metrics) and one row for a point's run.
std::string sweepCsvHeader(const std::vector<SweepParam>& params);
std::string sweepCsvRow(const SweepPoint& point, const RunResult& result);

} // namespace shardsim
