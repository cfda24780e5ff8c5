#pragma once
// The time-stepped simulator. One tick runs a fixed phase order (docs/engine-model.md §1):
//   1. events      — a finished migration cuts over; events due start, fail or recover nodes
//   2. rates       — expected requests this tick from the rate curve (per region when the workload has geo)
//   3. traffic     — requests split over the operations of the mix and routed: key -> shard -> node
//   4. migrations  — the running migration's copy work on its nodes
//   5. node load   — storage, queues (served, queued or shed), utilisation, M/M/c latency
//   6. metrics     — imbalance, peak, cluster series, heat map, sinks
// Synchronous and single-threaded per run apart from the sampled engine's draws, which are split in
// fixed chunks with their own random streams so any --threads gives byte-identical results.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/engine/metrics_sink.h"
#include "shardsim/engine/run_result.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

struct RunOptions {
    EngineMode engine = EngineMode::Auto;
    std::optional<uint64_t> seed; // replaces the scenario's seed
    int threads = 1; // the sampled engine's draws and the counting of a hashed rule's keys; results do not depend on it
    int heatmapKeyBuckets = 64; // key buckets of the heat map
    // Count a hashed rule's keys as far as the 0.1% bound on a shard's share needs, up to 2^28 (docs/engine-model.md,
    // "Counted keys"); false counts no further than key 2^20 and states the error the rest leave, as a search over
    // hundreds of candidate layouts does (counting to 2^25 made a 3-year plan ten times slower).
    bool countToBound = true;
    int heatmapTimeBuckets = 0; // 0: one per tick up to 2,000, then ticks grouped evenly
    std::vector<MetricsSink*> sinks; // not owned
    // Checked between ticks and inside a tick's work (every few thousand requests), so a run stops within a moment
    // even when one tick holds billions of requests; a tick cut short is not counted and step() returns false.
    const std::atomic<bool>* cancel = nullptr;
    std::function<void(int64_t tick, int64_t ticks)> progress; // after each tick
};

// The sampled engine's time per request drawn on one thread, taken on the slow side (README, Performance: 8.5 ns
// for one-key calls on one thread; calls of several keys cost more each).
inline constexpr double kSampledSecondsPerRequest = 10e-9;
// A sampled run expected to take longer than this is said so before it starts.
inline constexpr double kSlowRunSeconds = 60;

class SimulationState;

class Simulation {
public:
    static Result<Simulation> create(const ScenarioConfig& config, RunOptions options);
    Simulation(Simulation&&) noexcept;
    Simulation& operator=(Simulation&&) noexcept;
    ~Simulation();

    // One tick through every phase; false when the run is over (all ticks done).
    bool step();
    int64_t tick() const; // ticks done so far
    int64_t tickCount() const;
    EngineMode engine() const; // resolved: Sampled or Expected
    // Requests the sampled engine will draw over the whole run (client requests, expected); 0 for the expected
    // engine and a trace replay, which draw nothing.
    double sampledRequests() const;
    // When the run draws so many requests that it should take more than kSlowRunSeconds (at
    // kSampledSecondsPerRequest on its threads): how many, how long, and that the expected engine answers in
    // moments. Empty otherwise.
    std::string slowRunWarning() const;
    // Totals and notifies sinks' onFinish. Valid once; after it, step() is false. Expectations are not evaluated here
    // (RunResult::expectations stays empty): a run judged by its scenario's `expect:` is a ScenarioRun
    // (shardsim/report/scenario_run.h).
    RunResult finish();

private:
    explicit Simulation(std::unique_ptr<SimulationState> state);
    std::unique_ptr<SimulationState> m_state;
};

// create + step until done or cancelled + finish: a cancelled run is finished with the ticks done (cancelled = true).
// Without expectations; runScenario (shardsim/report/scenario_run.h) evaluates them.
Result<RunResult> runSimulation(const ScenarioConfig& config, RunOptions options);

// What runCompleteSimulation fails with when the run was cancelled.
inline constexpr const char* kRunCancelled = "cancelled";
// create + step until done + finish; a cancelled run is not finished: no sink sees onFinish (the run history is
// left as it was) and it fails with kRunCancelled. For front ends that drop an interrupted run entirely.
Result<RunResult> runCompleteSimulation(const ScenarioConfig& config, RunOptions options);

// The two loops above for anything created, stepped and finished like a Simulation (ScenarioRun too).
template <typename Run> Result<RunResult> runUntilCancelled(Result<Run> run, const std::atomic<bool>* cancel)
{
    if (!run)
        return fail(run.error());
    while (!(cancel && cancel->load(std::memory_order_relaxed)) && run->step()) { }
    return run->finish();
}

template <typename Run> Result<RunResult> runToCompletion(Result<Run> run, const std::atomic<bool>* cancel)
{
    if (!run)
        return fail(run.error());
    while (run->step()) { }
    if (run->tick() < run->tickCount() || (cancel && cancel->load()))
        return fail(kRunCancelled);
    return run->finish();
}

} // namespace shardsim
