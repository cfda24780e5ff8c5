#pragma once
// The overview in plain words: what happened in the run, as sentences a person can read out.

#include <QString>

#include "shardsim/common/diagnostic.h"
#include "workers/run_snapshot.h"

namespace shardsim {
struct ScenarioConfig;
}

namespace shardsim::ui {

// HTML for a text browser; `textColor` and `mutedColor` come from the palette. Without a run it
// describes the scenario and how to start; during a run it tells what is known so far.
// `problems` are the text's current problems: listed when there is no valid scenario, mentioned when
// the views show the last valid one.
QString overviewHtml(const ScenarioConfig* scenario, const RunSnapshot* snapshot, const Diagnostics& problems,
    const QString& mutedColor);

// What an auto-range run's ranges did (shardsim/report/range_story.h, the CLI's "Ranges" paragraph) under a "Ranges"
// heading; empty without a result or without ranges.
QString rangesHtml(const RunResult* result);

// The same facts as "metric,value" CSV lines.
QString overviewCsv(const RunSnapshot* snapshot);

} // namespace shardsim::ui
