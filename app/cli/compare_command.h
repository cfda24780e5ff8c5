#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace shardsim::cli {

// `compare FILE --rules SPEC,SPEC,...`: one workload through several rules, side by side.
std::function<int()> addCompareCommand(CLI::App& app);

} // namespace shardsim::cli
