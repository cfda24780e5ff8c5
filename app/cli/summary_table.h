#pragma once

#include <string>

#include "shardsim/engine/run_result.h"

namespace shardsim::cli {

// The readable summary `run` prints: the headline, one row per node, hottest shards, expectations.
std::string formatSummaryTable(const RunResult& result);

} // namespace shardsim::cli
