#include "scenario_commands.h"

#include <iostream>
#include <memory>

#include "cli_support.h"
#include "shardsim/report/scenario_outline.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim::cli {

namespace {

    struct FileOptions {
        std::vector<std::string> files;
        std::vector<std::string> overrides;
        bool quiet = false;
    };

    void printDiagnostics(const ScenarioLoad& load)
    {
        for (const Diagnostic& diagnostic : load.diagnostics)
            std::cout << diagnostic.format() << '\n';
    }

    int validate(const FileOptions& options)
    {
        int status = kExitOk;
        for (const std::string& file : options.files) {
            const ScenarioLoad load = loadScenarioFile(file, ScenarioReadOptions { options.overrides });
            if (load.ok()) {
                if (!options.quiet)
                    std::cout << file << ": valid\n";
                continue;
            }
            printDiagnostics(load);
            const size_t count = load.diagnostics.size();
            std::cerr << file << ": " << count << " error" << (count == 1 ? "" : "s") << '\n';
            status = kExitInvalid;
        }
        return status;
    }

    int describe(const FileOptions& options)
    {
        const ScenarioLoad load = loadScenarioFile(options.files.front(), ScenarioReadOptions { options.overrides });
        if (!load.ok()) {
            printDiagnostics(load);
            return kExitInvalid;
        }
        const ScenarioConfig& config = *load.config;
        std::cout << config.name << '\n';
        if (!config.description.empty())
            std::cout << config.description << '\n';
        std::cout << '\n' << formatOutline(outlineScenario(config));
        return kExitOk;
    }

    void addSetOption(CLI::App& command, FileOptions& options)
    {
        command.add_option("--set", options.overrides, "Override a field: PATH=VALUE (cluster.nodes=16)");
    }

} // namespace

std::function<int()> addValidateCommand(CLI::App& app)
{
    auto options = std::make_shared<FileOptions>();
    CLI::App* command = app.add_subcommand("validate", "Check scenario files and print every error with its place");
    command->add_option("files", options->files, "Scenario files (YAML or JSON)")->required();
    addSetOption(*command, *options);
    command->add_flag("-q,--quiet", options->quiet, "Print errors only");
    return [command, options]() -> int { return command->parsed() ? validate(*options) : -1; };
}

std::function<int()> addDescribeCommand(CLI::App& app)
{
    auto options = std::make_shared<FileOptions>();
    CLI::App* command = app.add_subcommand("describe", "Print a scenario as the simulator understands it");
    command->add_option("file", options->files, "Scenario file")->required()->expected(1);
    addSetOption(*command, *options);
    return [command, options]() -> int { return command->parsed() ? describe(*options) : -1; };
}

} // namespace shardsim::cli
