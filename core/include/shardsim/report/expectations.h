#pragma once
// Checks a run against the scenario's `expect:` blocks (asim-style assertions).

#include <vector>

#include "shardsim/engine/run_result.h"
#include "shardsim/scenario/expect_config.h"

namespace shardsim {

// Per-tick metrics (imbalance.*, peak.*, utilization.*, latency.*) take the worst value inside the
// window [from, to); run totals (requests.*) ignore the window. A metric this version does not
// measure yet is reported as failed with a note, never as passed.
std::vector<ExpectationResult> evaluateExpectations(const std::vector<ExpectConfig>& expectations, const RunResult& run);

} // namespace shardsim
