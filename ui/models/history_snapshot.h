#pragma once
// A stored run brought back: the views' snapshot built from RunHistory::load (the run's result, its windows and heat
// map, as the live run showed them) and the scenario text it ran. Runs stored before the history kept heat maps and
// cluster series (schema version 1) come back without a heat map, their cluster numbers summed from the node windows.

#include <QString>

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

} // namespace shardsim::ui
