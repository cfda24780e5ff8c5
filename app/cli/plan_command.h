#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace shardsim::cli {

// `plan FILE`: the smallest cluster and the best rule for the scenario's `plan:` section.
std::function<int()> addPlanCommand(CLI::App& app);

} // namespace shardsim::cli
