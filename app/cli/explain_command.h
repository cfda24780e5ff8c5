#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace shardsim::cli {

// `explain FILE --op NAME [--key K]...`: the shards one call of an operation touches, step by step.
std::function<int()> addExplainCommand(CLI::App& app);

} // namespace shardsim::cli
