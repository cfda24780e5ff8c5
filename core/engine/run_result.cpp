#include "shardsim/engine/run_result.h"

#include <algorithm>

namespace shardsim {

bool RunResult::expectationsHeld() const
{
    return std::all_of(expectations.begin(), expectations.end(), [](const ExpectationResult& e) { return e.ok; });
}

std::string_view engineModeName(EngineMode mode)
{
    switch (mode) {
    case EngineMode::Auto:
        return "auto";
    case EngineMode::Sampled:
        return "sampled";
    case EngineMode::Expected:
        return "expected";
    }
    return "auto";
}

} // namespace shardsim
