#pragma once
// Shared by the engine tests: a scenario run that must succeed, and an operation's query summary.

#include <gtest/gtest.h>

#include <string>

#include "shardsim/engine/simulation.h"

namespace shardsim::testing {

// The run of `config`; a failure fails the test and returns an empty result.
inline RunResult mustRun(const ScenarioConfig& config, EngineMode engine, int threads = 1)
{
    RunOptions options;
    options.engine = engine;
    options.threads = threads;
    auto result = runSimulation(config, options);
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
    return result.ok() ? *result : RunResult {};
}

// The query summary of operation `op`; a missing one fails the test.
inline const QuerySummary& querySummaryOf(const RunResult& result, const std::string& op)
{
    for (const QuerySummary& summary : result.queries)
        if (summary.op == op)
            return summary;
    ADD_FAILURE() << "no operation " << op;
    static const QuerySummary none;
    return none;
}

} // namespace shardsim::testing
