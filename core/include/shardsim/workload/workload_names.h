#pragma once
// The names scenario files give the workload's enums (docs/scenario-format.md), one table each; the scenario readers
// take their choices from here (through scenario/config_names.h) and the key law's description writes the same names.

#include "shardsim/common/enum_names.h"
#include "shardsim/workload/workload_config.h"

namespace shardsim {

inline constexpr EnumNames<RateShapeKind, 4> kRateShapeNames { { "constant", "diurnal", "double-11", "points" } };
inline constexpr EnumNames<KeyDistributionKind, 8> kKeyDistributionNames { { "uniform", "zipf", "scrambled-zipf",
    "hotspot", "latest", "trace", "sample", "recent" } };

} // namespace shardsim
