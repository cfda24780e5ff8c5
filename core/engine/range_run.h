#pragma once
// What a run under an auto-range rule keeps between ticks about its ranges (SimulationState, simulation_ranges.cpp):
// the balancer, the load window under way and the windows reported so far.

#include <memory>
#include <vector>

#include "engine/key_domain.h"
#include "engine/range_balancer.h"
#include "shardsim/engine/run_result.h"
#include "shardsim/rules/auto_range_rule.h"

namespace shardsim::engine {

struct RangeRun {
    std::unique_ptr<RangeBalancer> balancer;
    std::shared_ptr<const AutoRangeRule> rule; // the rule as the file gives it; the layout's is withBounds of it
    int domain = -1; // the key domain whose table the ranges cut (the first sharded table's)
    int startRanges = 0;
    int startSplits = 0; // the splits of the loaded table before the first tick, not counted as the run's
    double windowSeconds = 1;
    double windowStart = 0;
    double windowRequests = 0; // requests of the window so far, all regions
    bool relayout = false; // the bounds or the leaders changed: the layout is rebuilt at the end of the tick
    // The load window's key laws: one per law the operations on the domain draw with (KeyDomain index), with the
    // law's version it was built from and the operations' share of requests.
    RangeLoad load;
    std::vector<int> laws;
    std::vector<int> lawVersions;
    std::vector<uint64_t> lawDomains; // the serial of the domain a law was built from: routing rebuilds replace them
    std::vector<double> lawShares;
    std::vector<RangeWindowSummary> windows;
    int64_t windowsPerRow = 1; // load windows merged into one reported window (at most kMaxClusterWindows rows)
    int64_t windowsInRow = 0;
    std::vector<double> background; // per node: the moves' work this tick, request-equivalents
};

} // namespace shardsim::engine
