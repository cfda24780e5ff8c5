#pragma once
// A stored run brought back: the views' snapshot rebuilt from the run history (its summary for the
// totals, its node ticks for the windows), and the scenario text it ran. The heat map is not stored,
// so a reopened run has none.

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

Result<ReopenedRun> reopenRun(
    const RunHistory& history, int64_t runId, const ChartRequest& charts, uint64_t generation);

// The run totals of a summary.json (docs/outputs.md); fields it lacks stay at their defaults.
RunResult resultFromSummaryJson(const std::string& summaryJson);

} // namespace shardsim::ui
