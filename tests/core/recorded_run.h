#pragma once
// Shared by the core history tests that look at a whole run of the scenario library as the history stored it.

#include <stdexcept>
#include <string>

#include "shardsim/engine/simulation.h"
#include "shardsim/history/history_sink.h"
#include "shardsim/history/run_history.h"
#include "shardsim/report/scenario_run.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim::testing {

// Runs `file` of the scenario library (scenarios/) with the history as one of its sinks; returns the live result.
inline RunResult runAndRecord(RunHistory& history, const std::string& file, int64_t& id)
{
    ScenarioLoad load = loadScenarioFile(std::string(SHARDSIM_SCENARIOS) + "/" + file);
    if (!load.ok())
        throw std::runtime_error(load.errorText());
    HistorySink sink(history, *load.config, [](const RunResult& result) { return summaryJson(result).dump(); });
    RunOptions options;
    options.sinks = { &sink };
    auto result = runScenario(*load.config, options);
    if (!result)
        throw std::runtime_error(result.error());
    if (!sink.error().empty() || !sink.runId())
        throw std::runtime_error("not recorded: " + sink.error());
    id = *sink.runId();
    return std::move(result).value();
}

} // namespace shardsim::testing
