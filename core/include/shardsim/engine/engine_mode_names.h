#pragma once
// EngineMode's names as `--engine`, summary.json and the run history write them (the history's are a file
// format, so they stay). engineModeName() in run_result.h reads this table.

#include "shardsim/common/enum_names.h"
#include "shardsim/engine/run_result.h"

namespace shardsim {

inline constexpr EnumNames<EngineMode, 3> kEngineModeNames { { "auto", "sampled", "expected" } };

} // namespace shardsim
