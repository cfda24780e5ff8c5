#include "models/range_timeline.h"

#include <algorithm>
#include <map>

namespace shardsim::ui {

const RangeWindowSummary* rangeWindowAt(const RangesSummary& ranges, double seconds)
{
    const std::vector<RangeWindowSummary>& windows = ranges.windows;
    if (windows.empty())
        return nullptr;
    // The first window starting after `seconds`; the one before it holds the moment.
    const auto after = std::upper_bound(windows.begin(), windows.end(), seconds,
        [](double t, const RangeWindowSummary& window) { return t < window.atS; });
    return after == windows.begin() ? &windows.front() : &*(after - 1);
}

int rangesOnNode(const RangeWindowSummary& window, size_t node)
{
    return node < window.nodeRanges.size() ? window.nodeRanges[node] : 0;
}

std::vector<BoundarySegment> rangeBoundarySegments(const RangesSummary& ranges)
{
    std::vector<BoundarySegment> segments;
    std::map<int64_t, size_t> open; // bound -> its segment, while the previous window still had it
    for (const RangeWindowSummary& window : ranges.windows) {
        const double end = window.atS + window.seconds;
        std::map<int64_t, size_t> still;
        for (int64_t key : window.bounds) {
            const auto known = open.find(key);
            if (known != open.end() && segments[known->second].to >= window.atS - 1e-9) {
                segments[known->second].to = end;
                still.emplace(key, known->second);
            } else {
                still.emplace(key, segments.size());
                segments.push_back(BoundarySegment { key, window.atS, end });
            }
        }
        open = std::move(still);
    }
    std::stable_sort(segments.begin(), segments.end(),
        [](const BoundarySegment& a, const BoundarySegment& b) { return a.key < b.key; });
    return segments;
}

} // namespace shardsim::ui
