#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace shardsim::cli {

// `run FILE`: simulate a scenario, print the summary, write the outputs, record the run.
std::function<int()> addRunCommand(CLI::App& app);

} // namespace shardsim::cli
