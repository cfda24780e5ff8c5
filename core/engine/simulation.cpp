#include "shardsim/engine/simulation.h"

#include <algorithm>

#include <fmt/format.h>

#include "engine/simulation_state.h"
#include "shardsim/common/units.h"

namespace shardsim {

Simulation::Simulation(std::unique_ptr<SimulationState> state)
    : m_state(std::move(state))
{
}

Simulation::Simulation(Simulation&&) noexcept = default;
Simulation& Simulation::operator=(Simulation&&) noexcept = default;
Simulation::~Simulation() = default;

Result<Simulation> Simulation::create(const ScenarioConfig& config, RunOptions options)
{
    auto state = SimulationState::create(config, std::move(options));
    if (!state)
        return fail(state.error());
    return Simulation(std::move(*state));
}

bool Simulation::step() { return m_state->step(); }

int64_t Simulation::tick() const { return m_state->tick(); }

int64_t Simulation::tickCount() const { return m_state->tickCount(); }

EngineMode Simulation::engine() const { return m_state->engine(); }

double Simulation::sampledRequests() const { return m_state->sampledRequests(); }

std::string Simulation::slowRunWarning() const
{
    const double requests = sampledRequests();
    const int threads = std::max(1, m_state->threads());
    const double seconds = requests * kSampledSecondsPerRequest / threads;
    if (!(seconds > kSlowRunSeconds))
        return {};
    return fmt::format("the sampled engine will draw about {} requests: roughly {} on {} thread{} (at about {:.0f} ns "
                       "a request); --engine expected computes the same expected load in moments",
        units::formatCount(requests), units::formatDuration(seconds), threads, threads == 1 ? "" : "s",
        kSampledSecondsPerRequest * 1e9);
}

RunResult Simulation::finish() { return m_state->finish(); }

Result<RunResult> runSimulation(const ScenarioConfig& config, RunOptions options)
{
    const std::atomic<bool>* cancel = options.cancel;
    return runUntilCancelled(Simulation::create(config, std::move(options)), cancel);
}

Result<RunResult> runCompleteSimulation(const ScenarioConfig& config, RunOptions options)
{
    const std::atomic<bool>* cancel = options.cancel;
    return runToCompletion(Simulation::create(config, std::move(options)), cancel);
}

} // namespace shardsim
