#include "shardsim/report/scenario_run.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "shardsim/report/expectations.h"

namespace shardsim {

// Stands between the engine and the caller's sinks: follows every tick for the per-tick expectations, and on the
// engine's onFinish judges a copy of the result before passing it on.
class ScenarioRun::Judge : public MetricsSink {
public:
    Judge(std::vector<ExpectConfig> expectations, std::vector<MetricsSink*> sinks)
        : m_expectations(std::move(expectations))
        , m_sinks(std::move(sinks))
    {
    }

    bool wantsNodes() const override
    {
        return std::any_of(m_sinks.begin(), m_sinks.end(), [](const MetricsSink* s) { return s->wantsNodes(); });
    }
    bool wantsNodeLatencyEveryTick() const override
    {
        return std::any_of(m_sinks.begin(), m_sinks.end(),
            [](const MetricsSink* s) { return s->wantsNodes() && s->wantsNodeLatencyEveryTick(); });
    }
    void onStart(const RunStart& start) override
    {
        for (MetricsSink* sink : m_sinks)
            sink->onStart(start);
    }
    void onTick(int64_t tick, const ClusterTick& cluster, std::span<const NodeTick> nodes) override
    {
        m_expectations.addTick(cluster);
        for (MetricsSink* sink : m_sinks)
            sink->onTick(tick, cluster, nodes);
    }
    void onQueries(int64_t tick, std::span<const QueryTick> operations) override
    {
        for (MetricsSink* sink : m_sinks)
            sink->onQueries(tick, operations);
    }
    void onFinish(const RunResult& result) override
    {
        m_result = result;
        m_result->expectations = m_expectations.evaluate(*m_result);
        for (MetricsSink* sink : m_sinks)
            sink->onFinish(*m_result);
    }

    const std::optional<RunResult>& result() const { return m_result; }

private:
    TickExpectations m_expectations;
    std::vector<MetricsSink*> m_sinks;
    std::optional<RunResult> m_result;
};

ScenarioRun::ScenarioRun(std::unique_ptr<Judge> judge, Simulation simulation)
    : m_judge(std::move(judge))
    , m_simulation(std::move(simulation))
{
}

ScenarioRun::ScenarioRun(ScenarioRun&&) noexcept = default;
ScenarioRun& ScenarioRun::operator=(ScenarioRun&&) noexcept = default;
ScenarioRun::~ScenarioRun() = default;

Result<ScenarioRun> ScenarioRun::create(const ScenarioConfig& config, RunOptions options)
{
    auto judge = std::make_unique<Judge>(config.expect, std::move(options.sinks));
    options.sinks = { judge.get() };
    auto simulation = Simulation::create(config, std::move(options));
    if (!simulation)
        return fail(simulation.error());
    return ScenarioRun(std::move(judge), std::move(*simulation));
}

RunResult ScenarioRun::finish()
{
    if (!m_judge->result())
        m_simulation.finish(); // the judge's onFinish keeps the judged result
    return *m_judge->result();
}

Result<RunResult> runScenario(const ScenarioConfig& config, RunOptions options)
{
    const std::atomic<bool>* cancel = options.cancel;
    return runUntilCancelled(ScenarioRun::create(config, std::move(options)), cancel);
}

Result<RunResult> runCompleteScenario(const ScenarioConfig& config, RunOptions options)
{
    const std::atomic<bool>* cancel = options.cancel;
    return runToCompletion(ScenarioRun::create(config, std::move(options)), cancel);
}

} // namespace shardsim
