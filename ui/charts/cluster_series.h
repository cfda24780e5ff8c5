#pragma once
// The cluster's lines over time as the views draw them: requests offered, served and shed; and the served requests'
// latency percentiles. The Overview and the Cluster view show the same lines, named and coloured the same.

#include <vector>

#include "charts/time_series_chart.h"
#include "workers/run_snapshot.h"

namespace shardsim::ui {

// Shed is drawn in this colour wherever it appears (bars, lines, tiles' tooltips stay text).
QColor shedColor();

std::vector<SeriesSpec> requestSeries(const ChartData& charts); // offered, served, shed
std::vector<SeriesSpec> latencySeries(const ChartData& charts); // p50, p95, p99, p99.9

} // namespace shardsim::ui
