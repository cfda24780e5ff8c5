#pragma once
// `shardsim-cli check DIR|FILE...`: every scenario as a regression test against its golden summary.

#include <CLI/CLI.hpp>
#include <functional>

namespace shardsim::cli {

std::function<int()> addCheckCommand(CLI::App& app);

} // namespace shardsim::cli
