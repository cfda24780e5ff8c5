#include "plan_command.h"

#include <iostream>
#include <memory>

#include <unistd.h>

#include "cli_support.h"
#include "interrupt.h"
#include "progress_bar.h"
#include "shardsim/planner/capacity_plan.h"
#include "shardsim/planner/plan_report.h"
#include "shardsim/report/csv_output.h"
#include "shardsim/report/non_finite.h"
#include "shardsim/scenario/business_database_scenario.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim::cli {

namespace {

    struct PlanCliOptions {
        std::string file;
        std::string out;
        std::vector<std::string> overrides;
        std::string database; // plan this business database of data.databases alone
        bool verify = false; // run the recommendation through both engines before recommending it
        OutputFormat format = OutputFormat::Text;
    };

    int plan(const PlanCliOptions& options)
    {
        const Interruptible interrupt; // Ctrl-C: no plan.json, exit 130
        const std::optional<ScenarioConfig> scenarioFile = loadScenarioOrReport(options.file, options.overrides);
        if (!scenarioFile)
            return kExitInvalid;
        ScenarioConfig scenario = *scenarioFile;
        if (!options.database.empty()) {
            auto own = businessDatabaseScenario(scenario, options.database);
            if (!own) {
                std::cerr << options.file << ": error: --database: " << own.error() << '\n';
                return kExitInvalid;
            }
            scenario = std::move(*own);
        }
        PlanOptions planOptions;
        planOptions.cancel = interrupt.flag();
        planOptions.verify = options.verify;
        ProgressBar progress("period");
        if (isatty(STDERR_FILENO))
            planOptions.progress = [&progress](int done, int total) { progress.update(done, total); };
        auto result = planCapacity(scenario, planOptions);
        progress.finish();
        if (interrupt.interrupted())
            return reportInterrupted(false);
        if (!result) {
            std::cerr << options.file << ": error: " << result.error() << '\n';
            return kExitInvalid;
        }
        const auto json = planJson(*result);
        if (auto metric = firstNonFiniteValue(json)) {
            std::cerr << options.file << ": error: " << nonFiniteMessage(*metric) << '\n';
            return kExitInvalid;
        }
        if (!options.out.empty()) {
            if (!createOutDirectory(options.out))
                return kExitInvalid;
            auto written = writeTextFile(options.out + "/plan.json", json.dump(2) + "\n");
            if (!written) {
                std::cerr << "error: " << written.error() << '\n';
                return kExitOutputFailed;
            }
        }
        if (options.format == OutputFormat::Json)
            std::cout << json.dump(2) << '\n';
        else
            std::cout << planText(*result, scenario.name);
        // An infeasible plan is an answer, not an error: exit 0 either way; plan.json says which. A feasible layout
        // that no size made pass its verification is a check that failed, as a failed expectation of `run` is.
        const bool unverified
            = result->verification && !result->verification->passed && !result->verification->runs.empty();
        return unverified ? kExitExpectationFailed : kExitOk;
    }

} // namespace

std::function<int()> addPlanCommand(CLI::App& app)
{
    auto options = std::make_shared<PlanCliOptions>();
    CLI::App* command = app.add_subcommand(
        "plan", "Find the smallest cluster and the best rule for the plan: section (without one: for the present)");
    command
        ->add_option("file", options->file,
            "Scenario file; without a plan: section it is planned for the present with its limits")
        ->required();
    command->add_option("--out", options->out, "Write plan.json into this directory");
    command->add_option("--set", options->overrides, "Override a field: PATH=VALUE (plan.horizon=2y)");
    command->add_option("--database", options->database,
        "Plan one business database of data.databases: its tables and operations, at their share of the rate");
    command->add_flag("--verify", options->verify,
        "Run the recommended layout through the expected engine and the sampled engine with three seeds; a layout "
        "that breaks a limit is sized up before it is recommended");
    addFormatOption(*command, options->format);
    return [command, options]() -> int { return command->parsed() ? plan(*options) : -1; };
}

} // namespace shardsim::cli
