#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace shardsim::cli {

// `route --rule SPEC KEY...`: where each key lands, and with --explain, why.
std::function<int()> addRouteCommand(CLI::App& app);

} // namespace shardsim::cli
