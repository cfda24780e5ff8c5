#pragma once
// summary.json: the run's headline numbers in a stable, documented shape (docs/outputs.md), written and read back by
// the same codec, so everything a run reports survives the run history and a reopened run shows it all.

#include <nlohmann/json.hpp>
#include <string_view>

#include "shardsim/common/result.h"
#include "shardsim/engine/run_result.h"

namespace shardsim {

nlohmann::ordered_json summaryJson(const RunResult& result);

// The RunResult a summary.json describes: summaryJson(readSummaryJson(summaryJson(r).dump())) is byte for byte
// summaryJson(r). The cluster series and the heat map are not in the summary (the run history stores them beside it).
// A field the summary lacks (written by an older build) keeps RunResult's default; null is NaN, as JSON cannot write
// it. Fails on text that is not JSON ("SOURCE:LINE:COL: ...") or a field of the wrong kind ("SOURCE: nodes[2].requests:
// ...").
Result<RunResult> readSummaryJson(std::string_view text, std::string_view source = "summary.json");

// Requests that reached a node (summary.json's offered_requests): served, shed or still queued at the end. The rest of
// result.requests failed before reaching one.
double offeredRequests(const RunResult& result);

} // namespace shardsim
