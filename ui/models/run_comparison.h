#pragma once
// Two stored runs side by side: the numbers that decide between two rules or two cluster sizes.

#include <QString>

#include "shardsim/history/run_history.h"

namespace shardsim::ui {

// HTML table of run A against run B with the change from A to B; `muted` is the palette's faint colour.
QString compareRunsHtml(const RunDetails& a, const RunDetails& b, const QString& muted);
// One run's headline numbers, for a single selection.
QString describeRunHtml(const RunDetails& run, const QString& muted);

} // namespace shardsim::ui
