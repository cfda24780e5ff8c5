#include "shardsim/engine/run_result.h"

#include <algorithm>

#include "shardsim/engine/engine_mode_names.h"

namespace shardsim {

bool RunResult::expectationsHeld() const
{
    return std::all_of(expectations.begin(), expectations.end(), [](const ExpectationResult& e) { return e.ok; });
}

std::string_view engineModeName(EngineMode mode) { return kEngineModeNames.name(mode); }

} // namespace shardsim
