#pragma once
// What every subcommand shares: exit codes and the usage-error convention.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "shardsim/engine/run_result.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::cli {

enum ExitCode : int {
    kExitOk = 0,
    kExitExpectationFailed = 1, // a run finished but an `expect:` did not hold
    kExitInvalid = 2, // invalid input or usage
    kExitNotRecorded = 3, // the run finished and its outputs are written, but the run history does not have it
    kExitOutputFailed = 74, // an output (standard output, a file of --out) could not be written (sysexits' EX_IOERR)
    kExitInterrupted = 130, // stopped by Ctrl-C (128 + SIGINT, as a shell reports a process SIGINT ended)
};

enum class OutputFormat { Text, Json };

// Adds `--engine auto|sampled|expected` to a subcommand, with `defaultMode` when it is not given.
void addEngineOption(CLI::App& command, EngineMode& engine, EngineMode defaultMode);

// Adds `--format text|json` to a subcommand.
void addFormatOption(CLI::App& command, OutputFormat& format);

// The scenario `file` with its `--set` overrides; nothing, after every diagnostic went to stderr, when invalid.
std::optional<ScenarioConfig> loadScenarioOrReport(const std::string& file, const std::vector<std::string>& overrides);

// Creates the `--out` directory; false, after saying why on stderr, when it cannot.
bool createOutDirectory(const std::string& out);

// Routes std::cout so that the reason of a failed write to standard output is kept for checkStandardOutput.
void watchStandardOutput();

// Flushes standard output. `status` when everything reached it; else, after saying why on stderr ("error: writing
// to standard output: No space left on device"), kExitOutputFailed (or `status` when that already says failure).
int checkStandardOutput(int status);

} // namespace shardsim::cli
