#pragma once
// The last line of defence behind the reader's limits: a result holding NaN or an infinity is a wrong answer, not a
// report. Every front end refuses to present such a run as a success and names the metric instead.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "shardsim/engine/run_result.h"

namespace shardsim {

// The path of the first number of `result` that is not finite, named as summary.json names it
// ("requests", "nodes[3].p99_latency_ms", "cluster[12].qps"); nullopt when every number is finite. Expectations
// are not scanned: one that could not be measured holds NaN by design and fails on its own.
std::optional<std::string> firstNonFiniteMetric(const RunResult& result);

// The path of the first number of a report that is not finite ("layouts[2].peak_utilization"), for reports with no
// RunResult behind them (plan.json); nullopt when every number is finite.
std::optional<std::string> firstNonFiniteValue(const nlohmann::json& report);

// "the run produced a non-finite value (nan) for nodes[3].p99_latency_ms; ..." for a front end to print.
std::string nonFiniteMessage(const std::string& metric);

} // namespace shardsim
