#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace shardsim::cli {

// `migrate --from SPEC --to SPEC [--keys N | --scenario FILE]`: which keys, rows and bytes a change of rule moves.
std::function<int()> addMigrateCommand(CLI::App& app);

} // namespace shardsim::cli
