#include "workers/stepped_run.h"

#include "shardsim/report/scenario_run.h"

namespace shardsim::ui {

namespace {
    class EngineRun : public SteppedRun {
    public:
        explicit EngineRun(ScenarioRun simulation)
            : m_simulation(std::move(simulation))
        {
        }
        bool step() override { return m_simulation.step(); }
        int64_t tick() const override { return m_simulation.tick(); }
        int64_t tickCount() const override { return m_simulation.tickCount(); }
        RunResult finish() override { return m_simulation.finish(); }

    private:
        ScenarioRun m_simulation;
    };
}

RunFactory engineRunFactory()
{
    return [](const ScenarioConfig& config, RunOptions options) -> Result<std::unique_ptr<SteppedRun>> {
        auto simulation = ScenarioRun::create(config, std::move(options));
        if (!simulation)
            return fail(simulation.error());
        return std::unique_ptr<SteppedRun>(std::make_unique<EngineRun>(std::move(simulation.value())));
    };
}

} // namespace shardsim::ui
