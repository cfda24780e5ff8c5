#pragma once
// Shared by the planner tests: the plan scenarios of tests/data/plans/.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "shardsim/scenario/scenario_reader.h"

namespace shardsim::testing {

inline const std::string kPlans = std::string(SHARDSIM_TEST_DATA) + "/plans/";

// tests/data/plans/`file` with `overrides`; one that does not load fails the test and gives an empty scenario.
inline ScenarioConfig loadPlan(const std::string& file, std::vector<std::string> overrides = {})
{
    ScenarioLoad loaded = loadScenarioFile(kPlans + file, ScenarioReadOptions { std::move(overrides) });
    EXPECT_TRUE(loaded.ok()) << loaded.errorText();
    return loaded.ok() ? *loaded.config : ScenarioConfig {};
}

} // namespace shardsim::testing
