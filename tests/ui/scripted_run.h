#pragma once
// A stand-in for the simulator with known numbers and known timing: node i is offered (i + 1) x base
// requests/s, with a spike in the middle of the run; a node serves up to 1K/s and sheds the rest. Lets the worker tests pause, step and cancel at
// exact ticks and measure the GUI thread while ticks take as long as they are told to.

#include <chrono>

#include "workers/stepped_run.h"

namespace shardsim::ui::test {

struct ScriptOptions {
    int nodes = 4;
    int64_t ticks = 100;
    double tickSeconds = 1;
    double baseQps = 100; // node 0's requests/s offered; node i is offered (i + 1) x this
    std::chrono::microseconds stepTime { 0 }; // busy time per tick, to make runs slow on purpose
};

RunFactory scriptedRunFactory(ScriptOptions options);

// A valid scenario with `nodes` nodes in two regions and a range rule, for views and controllers.
std::string scriptedScenarioText(int nodes = 4, const std::string& duration = "100s");
std::shared_ptr<const ScenarioConfig> scriptedScenario(int nodes = 4, const std::string& duration = "100s");

} // namespace shardsim::ui::test
