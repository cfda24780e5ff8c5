#pragma once
// A stored run brought back: the views' snapshot rebuilt from the run history (its summary for the
// totals, its node ticks and cluster series for the windows, its heat map), and the scenario text it ran.
// The windows are laid out as the live run's were, so the charts show the same points. Runs stored before
// the history kept heat maps and cluster series (schema version 1) come back without a heat map, their
// cluster numbers summed from the node ticks.

#include <QString>

#include <filesystem>

#include "charts/chart_builder.h"
#include "shardsim/history/run_history.h"
#include "workers/run_snapshot.h"

namespace shardsim::ui {

struct ReopenedRun {
    RunSnapshotPtr snapshot;
    QString scenarioText;
    QString displayName; // "run 12: double-11-orders"
};

// The result's cluster series holds one entry per stored window (docs/run-history.md), each with its time.
Result<ReopenedRun> reopenRun(
    const RunHistory& history, int64_t runId, const ChartRequest& charts, uint64_t generation);

// The run totals of a summary.json (docs/outputs.md); fields it lacks stay at their defaults.
RunResult resultFromSummaryJson(const std::string& summaryJson);

} // namespace shardsim::ui
