#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace shardsim::cli {

// `validate FILE...`: every error of every file, exit 2 when any file is invalid.
std::function<int()> addValidateCommand(CLI::App& app);
// `describe FILE`: the scenario as the simulator understood it.
std::function<int()> addDescribeCommand(CLI::App& app);

} // namespace shardsim::cli
