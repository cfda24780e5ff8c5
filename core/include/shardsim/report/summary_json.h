#pragma once
// summary.json: the run's headline numbers in a stable, documented shape (docs/outputs.md).

#include <nlohmann/json.hpp>

#include "shardsim/engine/run_result.h"

namespace shardsim {

nlohmann::ordered_json summaryJson(const RunResult& result);

} // namespace shardsim
