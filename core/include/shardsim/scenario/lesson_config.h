#pragma once
// The `lesson` section: steps the desktop app walks through with Next and Back, each a short text, the
// view to show beside it and, optionally, the moment of the run to show. The simulator ignores it.

#include <cstdint>
#include <optional>
#include <string>

namespace shardsim {

struct LessonStep {
    std::string text; // required; what to look at, in a few sentences
    std::string view; // view to raise (overview, cluster, load, heatmap, history ...); default: keep the current one
    std::optional<double> at; // s of simulated time to stop the time slider at; not with `tick`
    std::optional<int64_t> tick; // the tick (0-based) to stop at; not with `at`
    int line = 0; // where the step was written

    // The tick to show for a run of `tick` seconds per step: `tick`, or the tick containing `at`.
    std::optional<int64_t> stopTick(double tickSeconds) const;
};

} // namespace shardsim
