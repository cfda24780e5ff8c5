#pragma once
// A scenario as the simulator understood it, in words and units: what `describe` prints and the
// desktop app shows beside the editor. Facts read from the file and derived from the rule only —
// nothing here is simulated.

#include <string>
#include <utility>
#include <vector>

#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

struct OutlineSection {
    std::string title;
    std::vector<std::pair<std::string, std::string>> rows; // label, value
};

std::vector<OutlineSection> outlineScenario(const ScenarioConfig& config);

// The outline as aligned plain text, one "label  value" line per row.
std::string formatOutline(const std::vector<OutlineSection>& outline);

} // namespace shardsim
