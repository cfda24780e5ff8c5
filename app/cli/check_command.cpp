#include "check_command.h"

#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <iostream>
#include <memory>
#include <string_view>

#include "cli_support.h"
#include "shardsim/report/expectations.h"
#include "shardsim/report/scenario_check.h"

namespace shardsim::cli {

namespace {

    constexpr const char* kUpdateVariable = "SHARDSIM_UPDATE_GOLDEN";
    constexpr std::size_t kMaxDifferencesShown = 20; // a changed rule can move every number; the first ones say enough

    struct CheckOptions {
        std::vector<std::string> paths;
        bool quiet = false;
    };

    bool updateRequested()
    {
        const char* value = std::getenv(kUpdateVariable);
        return value && std::string_view(value) != "" && std::string_view(value) != "0";
    }

    // In the unit of the bound beside it ("2.97%" for a percentage metric), as the run's table shows it.
    std::string formatValue(const ExpectationResult& expectation)
    {
        return std::isnan(expectation.value) ? "not measured" : formatMetricValue(expectation.metric, expectation.value);
    }

    void printReasons(const ScenarioCheck& check)
    {
        for (const Diagnostic& diagnostic : check.diagnostics)
            std::cout << "    " << diagnostic.format() << '\n';
        if (!check.runError.empty())
            std::cout << "    " << check.file << ": error: " << check.runError << '\n';
        for (const ExpectationResult& expectation : check.expectations) {
            if (!expectation.ok)
                std::cout << "    " << check.file << ':' << expectation.line
                          << ": expectation failed: " << expectation.metric << ' ' << expectation.bound << ", got "
                          << formatValue(expectation)
                          << (expectation.at ? " at " + check.clock.format(*expectation.at) : std::string()) << '\n';
        }
        if (check.goldenMissing)
            std::cout << "    " << check.goldenFile << ": no golden summary; run with " << kUpdateVariable
                      << "=1 to write it\n";
        if (!check.goldenError.empty())
            std::cout << "    error: " << check.goldenError << '\n';
        if (!check.differences.empty()) {
            std::cout << "    summary differs from " << check.goldenFile << " (golden -> now):\n";
            for (std::size_t i = 0; i < check.differences.size() && i < kMaxDifferencesShown; ++i) {
                const JsonDifference& difference = check.differences[i];
                std::cout << "      " << difference.path << ": " << difference.golden << " -> " << difference.now
                          << '\n';
            }
            if (check.differences.size() > kMaxDifferencesShown)
                std::cout << "      ... and " << check.differences.size() - kMaxDifferencesShown << " more\n";
        }
    }

    int check(const CheckOptions& options)
    {
        auto files = collectScenarioFiles(options.paths);
        if (!files) {
            std::cerr << "error: " << files.error() << '\n';
            return kExitInvalid;
        }
        if (files->empty()) {
            std::cerr << "error: no scenario files (*.yaml) found\n";
            return kExitInvalid;
        }
        ScenarioCheckOptions checkOptions;
        checkOptions.updateGolden = updateRequested();

        int passed = 0;
        int failed = 0;
        int invalid = 0;
        int written = 0;
        for (const std::string& file : *files) {
            const ScenarioCheck result = checkScenario(file, checkOptions);
            if (result.goldenWritten)
                ++written;
            if (result.passed()) {
                ++passed;
                if (!options.quiet)
                    std::cout << "PASS " << file << (result.goldenWritten ? " (golden written)" : "") << '\n';
                continue;
            }
            ++(result.invalid() ? invalid : failed);
            std::cout << (result.invalid() ? "INVALID " : "FAIL ") << file << '\n';
            printReasons(result);
        }
        std::cout << fmt::format("{} scenario{}: {} passed, {} failed", files->size(), files->size() == 1 ? "" : "s",
            passed, failed + invalid);
        if (written)
            std::cout << fmt::format(", {} golden{} written", written, written == 1 ? "" : "s");
        std::cout << '\n';
        if (invalid)
            return kExitInvalid;
        return failed ? kExitExpectationFailed : kExitOk;
    }

} // namespace

std::function<int()> addCheckCommand(CLI::App& app)
{
    auto options = std::make_shared<CheckOptions>();
    CLI::App* command = app.add_subcommand("check",
        "Run scenarios as regression tests: every expect: must hold and summary.json must match the golden "
        "NAME.golden.json beside NAME.yaml (SHARDSIM_UPDATE_GOLDEN=1 rewrites the goldens)");
    command->add_option("paths", options->paths, "Scenario files, or directories searched for *.yaml")->required();
    command->add_flag("-q,--quiet", options->quiet, "Print only the scenarios that fail");
    return [command, options]() -> int { return command->parsed() ? check(*options) : -1; };
}

} // namespace shardsim::cli
