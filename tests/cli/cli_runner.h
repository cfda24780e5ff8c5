#pragma once
// Runs shardsim-cli with arguments and captures stdout, stderr and the exit code.

#include <string>
#include <vector>

struct CliResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

CliResult runCli(const std::vector<std::string>& args);

// In a forked child: replaces the process with shardsim-cli and `args`; exits 127 when it cannot.
[[noreturn]] void execCli(const std::vector<std::string>& args);
