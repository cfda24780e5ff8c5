#pragma once
// An event of the `events` section in words, for warnings and the migrations of a run.

#include <string>

#include "shardsim/scenario/event_config.h"

namespace shardsim::engine {

// "add_nodes 4 in east, reshard to mod:n=16". With layoutOnly, only the parts that change the layout (nodes
// joining or leaving, a new rule or placement), which is what a migration carries out.
std::string eventText(const EventConfig& event, bool layoutOnly = false);

} // namespace shardsim::engine
