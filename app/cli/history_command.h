#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace shardsim::cli {

// `history list|show ID|export ID|delete ID`: the runs stored in the run history (docs/run-history.md).
std::function<int()> addHistoryCommand(CLI::App& app);

} // namespace shardsim::cli
