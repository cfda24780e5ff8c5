#include "shardsim/engine/run_result.h"

#include <algorithm>

namespace shardsim {

bool RunResult::expectationsHeld() const
{
    return std::all_of(expectations.begin(), expectations.end(), [](const ExpectationResult& e) { return e.ok; });
}

} // namespace shardsim
