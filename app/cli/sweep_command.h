#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace shardsim::cli {

// `sweep FILE --param PATH=v1,v2`: the grid of overrides run in parallel into sweep.csv and the history.
std::function<int()> addSweepCommand(CLI::App& app);

} // namespace shardsim::cli
