#pragma once
// `shardsim-cli check`: a scenario as a regression test. Runs it, evaluates its `expect:` blocks and
// compares its summary.json with the golden summary kept beside it (`name.yaml` -> `name.golden.json`).
// Goldens are rewritten only when asked (SHARDSIM_UPDATE_GOLDEN=1 on the command line).

#include <string>
#include <vector>

#include "shardsim/common/diagnostic.h"
#include "shardsim/common/result.h"
#include "shardsim/engine/run_result.h"
#include "shardsim/report/json_diff.h"

namespace shardsim {

struct ScenarioCheckOptions {
    bool updateGolden = false; // write the run's summary as the new golden instead of comparing
    JsonDiffOptions tolerance;
};

struct ScenarioCheck {
    std::string file;
    std::string goldenFile;
    Diagnostics diagnostics; // the scenario is invalid: nothing ran
    std::string runError; // the run could not start (say, a trace file vanished)
    std::vector<ExpectationResult> expectations; // every `expect:`, in file order
    RunClock clock; // how the run reads its moments (an expectation's `at`): time of day when the scenario has a start
    std::vector<JsonDifference> differences; // golden vs now; empty when equal or rewritten
    bool goldenMissing = false; // no golden and no update asked for
    bool goldenWritten = false; // the golden was (re)written
    std::string goldenError; // the golden could not be read, parsed or written

    bool invalid() const { return !diagnostics.empty() || !runError.empty(); }
    bool expectationsHeld() const;
    bool passed() const;
};

// `scenario.yaml` -> `scenario.golden.json` in the same directory.
std::string goldenPathFor(const std::string& scenarioFile);

// Files as given, and every `*.yaml` below each directory (recursively), sorted by path so the order
// never depends on the file system. An argument that does not exist is an error.
Result<std::vector<std::string>> collectScenarioFiles(const std::vector<std::string>& paths);

ScenarioCheck checkScenario(const std::string& file, const ScenarioCheckOptions& options = {});

} // namespace shardsim
