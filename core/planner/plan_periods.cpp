#include "plan_periods.h"

#include <cmath>

#include <fmt/format.h>

namespace shardsim::planner {

namespace {

    double monthsPerPeriod(PlanStep step)
    {
        switch (step) {
        case PlanStep::Month:
            return 1;
        case PlanStep::Quarter:
            return 3;
        case PlanStep::Year:
            return 12;
        }
        return 3;
    }

} // namespace

std::vector<Period> makePeriods(const ScenarioConfig& scenario, const PlanConfig& plan, const PeakWindow& window)
{
    const double step = planStepSeconds(plan.step);
    const int count = plan.horizon <= 0 ? 1 : static_cast<int>(std::floor(plan.horizon / step + 1e-9)) + 1;
    std::vector<Period> periods;
    for (int k = 0; k < count; ++k) {
        Period period;
        period.time = k * step;
        period.name = k == 0 ? "now" : fmt::format("{} {}", planStepName(plan.step), k);
        period.scenario = periodScenario(scenario, period.time, window);
        period.fromStart = periodScenario(scenario, period.time, fromScenarioStart(window));
        period.hottestKeyShare = hottestKeyShare(period.scenario.workload.keys, keySpace(period.scenario));
        period.hottestKey = hottestKeyText(period.scenario.workload.keys, keySpace(period.scenario));
        periods.push_back(std::move(period));
    }
    return periods;
}

double periodMonths(const std::vector<Period>& periods, const PlanConfig& plan)
{
    return periods.size() == 1 ? 1 : monthsPerPeriod(plan.step);
}

} // namespace shardsim::planner
