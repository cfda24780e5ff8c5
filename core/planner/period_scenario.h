#pragma once
// Internal: the scenario the planner simulates for one period — the data and rates grown to that period,
// cut to a short window around the rate curve's peak (docs/planner.md#the-simulated-window).

#include <cstdint>

#include "shardsim/common/result.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::planner {

struct PeakWindow {
    double peakTime = 0; // s into the scenario where the summed rate is highest
    double start = 0; // s: the window simulated around it
    double length = 0; // s
};

// Enough ticks to hold the peak tick with the ticks either side; the engine's cost grows with them.
inline constexpr int kWindowTicks = 16;

// The peak of `workload.rate` over the scenario's duration, and the window of `ticks` ticks around it.
PeakWindow findPeakWindow(const ScenarioConfig& scenario, int ticks = kWindowTicks);

// `window` reached from the scenario's start: what an auto-range layout is simulated over, so that its ranges have
// split and moved as the rates before the peak made them when the peak comes (docs/planner.md#auto-range).
PeakWindow fromScenarioStart(PeakWindow window);

// The scenario as the planner sizes it and its verification runs it: events and expectations dropped (the planner
// models failures and reshards itself), placement round-robin, regions and geo dropped (one pool of nodes).
ScenarioConfig plannedScenario(const ScenarioConfig& scenario);

// The whole scenario as `run` would run it `periodTime` s from now: plannedScenario() with every rate shape grown by
// its yearly growth and every table by its rows per second over `periodTime`; both keep growing during the run. What
// the plan's verification runs for a period (periodTime 0: plannedScenario()).
ScenarioConfig grownScenario(const ScenarioConfig& scenario, double periodTime);

// The scenario at `periodTime` s from now, cut to `window`: rows grown by each table's growth (to the end of the
// period's run, then held), rates by their yearly growth, the rate shapes moved so the window starts at time 0, as
// plannedScenario() otherwise.
ScenarioConfig periodScenario(const ScenarioConfig& scenario, double periodTime, const PeakWindow& window);

// Checks what the planner cannot size: a trace. Empty when plannable.
std::string unplannableReason(const ScenarioConfig& scenario);

// Largest row count among the tables: the key space the rules split.
uint64_t keySpace(const ScenarioConfig& scenario);
// Share of one table's requests that go to its hottest single key, from the key law (a sample file is
// read: its heaviest existing key over all existing keys' weight; 0 for a trace).
double hottestKeyShare(const KeyDistributionConfig& keys, uint64_t keyCount);
// The hottest key in words, when the law names one: "key 1", "keys 990,001..1,000,000" (a hotspot's keys are alike),
// "key 42" (a sample's heaviest); empty for a uniform law, a scrambled zipf or a trace.
std::string hottestKeyText(const KeyDistributionConfig& keys, uint64_t keyCount);
// Key lookups per request that follow the key law by the shard key: the mix's point reads, transactions
// (times their keys) and pages by the shard key, over all its weight. 1 for the default mix.
double keyedRequestShare(const ScenarioConfig& scenario);
// Highest rate of the stacked shapes at any tick of the window, requests/s.
double peakRate(const ScenarioConfig& period);

} // namespace shardsim::planner
