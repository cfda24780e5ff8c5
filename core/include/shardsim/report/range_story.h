#pragma once
// What the ranges of an auto-range rule did, in words: how many there were at the start and the end, what split,
// merged and moved, how far the hot range spread, and the keys no split could help. The CLI's `run` text prints it
// under "Ranges".

#include <string>
#include <vector>

#include "shardsim/engine/run_result.h"

namespace shardsim {

// The lines of the story; empty when the run had no auto-range rule.
std::vector<std::string> rangeStory(const RunResult& result);

// The story under a "Ranges" heading, each line indented, for plain text; empty when there is none.
std::string formatRangeStory(const RunResult& result);

} // namespace shardsim
