#pragma once
// The names scenario files give the scenario's enums (docs/scenario-format.md), one table each: the readers take
// their choices from here, and the outline, the query summaries and the planner write the same names.

#include "shardsim/common/enum_names.h"
#include "shardsim/scenario/data_config.h"
#include "shardsim/scenario/plan_config.h"
#include "shardsim/workload/workload_names.h"

namespace shardsim {

inline constexpr EnumNames<OperationKind, 7> kOperationKindNames { { "point", "page", "transaction", "scan",
    "aggregate", "join", "insert" } };
inline constexpr EnumNames<IdScheme, 5> kIdSchemeNames { { "sequential", "snowflake", "segment", "uuid", "step" } };
inline constexpr EnumNames<PlanStep, 3> kPlanStepNames { { "month", "quarter", "year" } };

} // namespace shardsim
