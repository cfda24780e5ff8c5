#pragma once
// summary.json: the run's headline numbers in a stable, documented shape (docs/outputs.md).

#include <nlohmann/json.hpp>

#include "shardsim/engine/run_result.h"

namespace shardsim {

nlohmann::ordered_json summaryJson(const RunResult& result);

// Requests that reached a node (summary.json's offered_requests): served, shed or still queued at the end. The rest of
// result.requests failed before reaching one.
double offeredRequests(const RunResult& result);

} // namespace shardsim
