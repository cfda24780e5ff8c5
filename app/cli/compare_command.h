#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace shardsim::cli {

// `compare FILE --rules SPEC,SPEC,...`: one workload through several rules, side by side.
std::function<int()> addCompareCommand(CLI::App& app);

// Splits `--rules` text into specs: a comma starts a new spec unless what follows is another parameter of the
// current one (`db-table:dbs=8,tables=10,jump:buckets=8` is two specs).
std::vector<std::string> splitRuleList(const std::string& text);

} // namespace shardsim::cli
