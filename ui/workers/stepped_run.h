#pragma once
// The seam between the worker and the simulator: a run that advances one tick at a time. The real
// one wraps shardsim::ScenarioRun (the simulator, judged by the scenario's expectations); tests plug in scripted
// runs with known numbers and known timings.

#include <functional>
#include <memory>

#include "shardsim/common/result.h"
#include "shardsim/engine/simulation.h"

namespace shardsim::ui {

class SteppedRun {
public:
    virtual ~SteppedRun() = default;
    virtual bool step() = 0; // one tick; false once every tick is done
    virtual int64_t tick() const = 0; // ticks done
    virtual int64_t tickCount() const = 0;
    virtual RunResult finish() = 0; // once; covers the ticks done so far
};

// Creates a run of `config`; `options` carries the sinks and the cancellation flag.
using RunFactory = std::function<Result<std::unique_ptr<SteppedRun>>(const ScenarioConfig& config, RunOptions options)>;

// The simulator itself.
RunFactory engineRunFactory();

} // namespace shardsim::ui
