#pragma once
// An auto-range run's windows as the views read them (RangesSummary::windows): the window at a moment of the run, each
// node's range count then, and the range boundaries over time as segments a plot can draw. A window's counts and
// bounds are those at its end, so a view shows, for any moment, how the ranges stood when its window closed.

#include <cstdint>
#include <vector>

#include "shardsim/engine/run_result.h"

namespace shardsim::ui {

// The window holding `seconds` (the last one past the end, the first one before the start); null without windows.
const RangeWindowSummary* rangeWindowAt(const RangesSummary& ranges, double seconds);

// Ranges whose leader is on `node` at the end of `window`; 0 for a node the window does not list (added later).
int rangesOnNode(const RangeWindowSummary& window, size_t node);

// A boundary (the first key of a range) that stood unchanged from `from` to `to` s.
struct BoundarySegment {
    int64_t key = 0;
    double from = 0; // s
    double to = 0; // s
};

// Each window's bounds held over the window, a bound that stays across consecutive windows joined into one segment:
// a table that never splits draws one line per boundary, a split adds a line from its window on. In key, then time
// order. Segments grow with the windows' bounds (at most kMaxRangeBoundsPerWindow each), never with keys.
std::vector<BoundarySegment> rangeBoundarySegments(const RangesSummary& ranges);

} // namespace shardsim::ui
