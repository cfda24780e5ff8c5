#pragma once
// A run of a scenario judged against its `expect:` blocks. The engine only simulates; the verdicts are evaluated here,
// on the finished RunResult, before any sink sees it, so the run text, summary.json, the run history, sweeps and the
// desktop app all report the same verdicts. Every front end that shows expectations runs through this.

#include <memory>
#include <string>

#include "shardsim/common/result.h"
#include "shardsim/engine/simulation.h"

namespace shardsim {

class ScenarioRun {
public:
    // The caller's sinks in `options` see every tick as they would on the bare Simulation, and onFinish the result
    // with its expectations.
    static Result<ScenarioRun> create(const ScenarioConfig& config, RunOptions options);
    ScenarioRun(ScenarioRun&&) noexcept;
    ScenarioRun& operator=(ScenarioRun&&) noexcept;
    ~ScenarioRun();

    bool step() { return m_simulation.step(); }
    int64_t tick() const { return m_simulation.tick(); }
    int64_t tickCount() const { return m_simulation.tickCount(); }
    std::string slowRunWarning() const { return m_simulation.slowRunWarning(); }
    // The engine's totals with RunResult::expectations evaluated on them; then the caller's sinks' onFinish.
    RunResult finish();

private:
    class Judge;
    ScenarioRun(std::unique_ptr<Judge> judge, Simulation simulation);

    std::unique_ptr<Judge> m_judge; // the engine's only sink: its address must not change
    Simulation m_simulation;
};

// As runSimulation and runCompleteSimulation (shardsim/engine/simulation.h), with the expectations evaluated.
Result<RunResult> runScenario(const ScenarioConfig& config, RunOptions options);
Result<RunResult> runCompleteScenario(const ScenarioConfig& config, RunOptions options);

} // namespace shardsim
