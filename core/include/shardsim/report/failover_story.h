#pragma once
// A run's failovers in words: which node failed, what took over and where, how loaded it got, how long the
// re-replication took, what was shed or failed meanwhile and how many users lost access. The CLI's `run` text and
// the desktop app's Overview print the same lines.

#include <string>
#include <vector>

#include "shardsim/engine/run_result.h"

namespace shardsim {

// One paragraph of lines per failed node, in the order they failed; empty when no node failed.
std::vector<std::vector<std::string>> failoverStory(const RunResult& result);

// The story under a "Failover" heading, each line indented, for plain text; empty when no node failed.
std::string formatFailoverStory(const RunResult& result);

} // namespace shardsim
