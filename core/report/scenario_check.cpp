#include "shardsim/report/scenario_check.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "shardsim/report/csv_output.h"
#include "shardsim/report/non_finite.h"
#include "shardsim/report/scenario_run.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {

namespace fs = std::filesystem;

bool ScenarioCheck::expectationsHeld() const
{
    return std::all_of(expectations.begin(), expectations.end(), [](const ExpectationResult& e) { return e.ok; });
}

bool ScenarioCheck::passed() const
{
    return !invalid() && expectationsHeld() && differences.empty() && !goldenMissing && goldenError.empty();
}

std::string goldenPathFor(const std::string& scenarioFile)
{
    fs::path path(scenarioFile);
    path.replace_extension(".golden.json");
    return path.string();
}

Result<std::vector<std::string>> collectScenarioFiles(const std::vector<std::string>& paths)
{
    std::vector<std::string> files;
    for (const std::string& argument : paths) {
        std::error_code error;
        const fs::file_status status = fs::status(argument, error);
        if (!fs::exists(status))
            return fail(argument + ": no such file or directory");
        if (!fs::is_directory(status)) {
            files.push_back(argument);
            continue;
        }
        std::vector<std::string> found;
        for (auto it = fs::recursive_directory_iterator(argument, error);
             !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
            if (it->is_regular_file() && it->path().extension() == ".yaml")
                found.push_back(it->path().string());
        }
        if (error)
            return fail(argument + ": " + error.message());
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

ScenarioCheck checkScenario(const std::string& file, const ScenarioCheckOptions& options)
{
    ScenarioCheck check;
    check.file = file;
    check.goldenFile = goldenPathFor(file);

    const ScenarioLoad load = loadScenarioFile(file);
    if (!load.ok()) {
        check.diagnostics = load.diagnostics;
        return check;
    }
    // No sinks: a check records nothing in the run history and writes nothing but the golden.
    auto run = runScenario(*load.config, RunOptions {});
    if (!run) {
        check.runError = run.error();
        return check;
    }
    // A NaN neither passes nor becomes a golden.
    if (auto metric = firstNonFiniteMetric(*run)) {
        check.runError = nonFiniteMessage(*metric);
        return check;
    }
    check.expectations = run->expectations;
    check.clock = run->clock();
    const nlohmann::ordered_json now = summaryJson(*run);

    if (options.updateGolden) {
        auto written = writeTextFile(check.goldenFile, now.dump(2) + "\n");
        if (written)
            check.goldenWritten = true;
        else
            check.goldenError = written.error();
        return check;
    }

    std::ifstream in(check.goldenFile, std::ios::binary);
    if (!in) {
        check.goldenMissing = true;
        return check;
    }
    std::stringstream text;
    text << in.rdbuf();
    const auto golden = nlohmann::ordered_json::parse(text.str(), nullptr, false);
    if (golden.is_discarded()) {
        check.goldenError = check.goldenFile + ": not valid JSON";
        return check;
    }
    check.differences = diffJson(golden, now, options.tolerance);
    return check;
}

} // namespace shardsim
