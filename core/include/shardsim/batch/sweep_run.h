#pragma once
// Running a sweep (sweep.h): every point of the grid read from one scenario text, run on a pool of threads, each
// thread with its own run-history connection, and sweep.csv assembled in the grid's order whatever the number of
// threads. `shardsim-cli sweep` and the desktop app both run sweeps through runSweep().

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "shardsim/engine/run_result.h"
#include "shardsim/planner/sweep.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

// "point 3 (cluster.nodes=8, workload.rate.base=20K/s)": a point as messages name it (1-based).
std::string describeSweepPoint(const SweepPoint& point, const std::vector<SweepParam>& params);

struct SweepScenarios {
    std::vector<ScenarioConfig> configs; // one per point, in the points' order; empty when any point is invalid
    std::vector<std::string> errors; // "point N (...): FILE:LINE:COL: error: ...", every point's diagnostics
};

// Every point read (and so validated) before any runs: a typo in the last value fails fast. `fixed` are the
// overrides every point shares; `file` names the scenario in messages and `baseDirectory` resolves its files.
SweepScenarios loadSweepScenarios(const std::string& text, const std::string& file, const std::string& baseDirectory,
    const std::vector<std::string>& fixed, const std::vector<SweepParam>& params,
    const std::vector<SweepPoint>& points);

struct SweepRunOptions {
    EngineMode engine = EngineMode::Auto;
    int jobs = 1; // threads; the output does not depend on it
    bool record = true; // record every run in the run history
    std::filesystem::path history; // the run history; empty: defaultHistoryPath()
    const std::atomic<bool>* cancel = nullptr; // runs under way are dropped unrecorded; points not begun never run
    // Told why no run can be recorded, before any run begins; not called when the runs can be recorded.
    std::function<void(const std::string& why)> historyUnavailable;
};

struct SweepPointOutcome {
    std::string row; // the sweep.csv row; empty when the run failed or was cancelled
    std::string error; // why the run failed
    std::string notRecorded; // why the run is not in the run history; empty when it is, or none was asked for
    std::optional<int64_t> runId;
};

struct SweepRun {
    std::string historyError; // why no run at all can be recorded; every outcome's notRecorded is then this
    std::vector<SweepPointOutcome> outcomes; // one per point, in the points' order
    bool cancelled = false;
};

// Runs configs[i] for points[i]. A run whose metrics are not finite is a failed point.
SweepRun runSweep(
    const std::vector<ScenarioConfig>& configs, const std::vector<SweepPoint>& points, const SweepRunOptions& options);

// sweep.csv: the header when `withHeader` (only the first partition has it, so the partitions concatenate), then
// the rows of the points that ran.
std::string sweepCsv(const std::vector<SweepParam>& params, const SweepRun& run, bool withHeader);

} // namespace shardsim
