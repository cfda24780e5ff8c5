#pragma once
// Turns a snapshot's windows and result into chart-ready series. Runs in the worker thread: the GUI
// thread only hands the points to the charts.

#include "workers/run_snapshot.h"

namespace shardsim::ui {

struct ChartRequest {
    int width = 800; // pixels of the widest plot area; no series gets more points
    int selectedNode = -1; // always given a line of its own when it exists
};

// Nodes drawn one line each; with more nodes the busiest few get a line and the rest one "others" line.
inline constexpr int kMaxNodeLines = 16;
inline constexpr int kTopNodeLines = 8;

ChartData buildCharts(const RunSnapshot& snapshot, const ChartRequest& request);

// The heat map as an image at most `maxWidth` columns wide (time buckets merged by their maximum);
// intensity is logarithmic so a 30x spike does not flatten everything else to black.
QImage heatmapImage(const HeatMap& heatmap, int maxWidth, double* maxRate);

} // namespace shardsim::ui
