#pragma once
// Checks a run against the scenario's `expect:` blocks (asim-style assertions).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/engine/run_result.h"
#include "shardsim/scenario/expect_config.h"

namespace shardsim {

// Per-tick metrics (imbalance.*, peak.*, utilization.*, latency.*) take the worst value inside the
// window [from, to); run totals (requests.*) ignore the window. A metric this version does not
// measure yet is reported as failed with a note, never as passed.
// A run keeps its cluster series in windows (RunResult::cluster), so the per-tick metrics are followed tick by tick
// while it runs (ScenarioRun, scenario_run.h, feeds every tick): their worst value, where it was seen, and
// utilization.* are then exactly what every tick showed. The cluster's latency percentiles are a cluster window's
// (one tick up to 2,000 ticks): a window counts when any of its ticks lies in [from, to), seen at its first tick.
class TickExpectations {
public:
    explicit TickExpectations(std::vector<ExpectConfig> expectations);

    void addTick(const ClusterTick& tick); // in tick order
    std::vector<ExpectationResult> evaluate(const RunResult& run) const;

private:
    struct Worst {
        bool seen = false; // a tick inside the window
        double value = 0;
        double at = 0; // s
    };

    std::vector<ExpectConfig> m_expectations;
    std::vector<int> m_metric; // per expectation: which per-tick metric; -1 for a metric of the whole run
    std::vector<Worst> m_worst; // per expectation; used by the per-tick metrics only
    // Latency metrics: per expectation, whether a tick of the open cluster window lay inside its range.
    std::vector<uint8_t> m_pending;
    double m_windowStart = 0; // s, the open cluster window's first tick
    bool m_windowOpen = false;
    double m_maxUtilizationSum = 0; // over ticks, for utilization.max
    double m_meanUtilizationSum = 0; // over ticks, for utilization.mean
    int64_t m_ticks = 0;
};

// A metric's value in the unit the reports print it in: a fraction as a percentage ("483.3%", not 4.833), latency
// with "ms", seconds as a duration, bytes as a size, counts as counts; `digits` significant digits.
std::string formatMetricValue(std::string_view metric, double value, int digits = 4);

// "<= 70%", ">= 1000000", "<= 50 ms, >= 1 ms": the bounds of an `expect:` entry, as written, in the metric's unit,
// then its window on `clock` when it has one ("<= 100% from 00:05 to 00:10"): a value seen inside a window must not
// read as the run's.
std::string describeBound(const ExpectConfig& expect, const RunClock& clock = RunClock());

// The same over a series already at hand, each entry taken as one tick.
std::vector<ExpectationResult> evaluateExpectations(const std::vector<ExpectConfig>& expectations, const RunResult& run);

} // namespace shardsim
