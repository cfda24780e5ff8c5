#pragma once
// What every subcommand shares: exit codes and the usage-error convention.

#include <CLI/CLI.hpp>
#include <string>

namespace shardsim::cli {

enum ExitCode : int {
    kExitOk = 0,
    kExitExpectationFailed = 1, // a run finished but an `expect:` did not hold
    kExitInvalid = 2, // invalid input or usage
};

enum class OutputFormat { Text, Json };

// Adds `--format text|json` to a subcommand.
void addFormatOption(CLI::App& command, OutputFormat& format);

} // namespace shardsim::cli
