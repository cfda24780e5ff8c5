#include "shardsim/scenario/plan_config.h"

#include "shardsim/scenario/config_names.h"

namespace shardsim {

std::string_view planStepName(PlanStep step) { return kPlanStepNames.name(step); }

double planStepSeconds(PlanStep step)
{
    constexpr double kYear = 365.0 * 86'400;
    switch (step) {
    case PlanStep::Month:
        return kYear / 12;
    case PlanStep::Quarter:
        return kYear / 4;
    case PlanStep::Year:
        return kYear;
    }
    return kYear / 4;
}

} // namespace shardsim
