#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace shardsim::cli {

// `analyze FILE [--table T] [--key COLUMN]... [--rule SPEC]...`: is a column a good shard key, as MongoDB's
// analyzeShardKey asks.
std::function<int()> addAnalyzeCommand(CLI::App& app);

} // namespace shardsim::cli
