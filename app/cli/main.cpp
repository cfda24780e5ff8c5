// shardsim-cli: argument parsing and output only; every decision lives in the core.

#include <CLI/CLI.hpp>
#include <iostream>

#include "analyze_command.h"
#include "check_command.h"
#include "cli_support.h"
#include "compare_command.h"
#include "explain_command.h"
#include "history_command.h"
#include "migrate_command.h"
#include "plan_command.h"
#include "route_command.h"
#include "run_command.h"
#include "scenario_commands.h"
#include "sweep_command.h"

int main(int argc, char** argv)
{
    using namespace shardsim::cli;
    watchStandardOutput();
    CLI::App app { "shardsim-cli — simulate sharded databases and plan their capacity" };
    app.set_version_flag("--version", SHARDSIM_VERSION);
    app.require_subcommand(1);

    const std::vector<std::function<int()>> commands {
        addRouteCommand(app),
        addValidateCommand(app),
        addDescribeCommand(app),
        addRunCommand(app),
        addExplainCommand(app),
        addAnalyzeCommand(app),
        addHistoryCommand(app),
        addCheckCommand(app),
        addMigrateCommand(app),
        addPlanCommand(app),
        addSweepCommand(app),
        addCompareCommand(app),
    };

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& help) {
        return app.exit(help);
    } catch (const CLI::CallForAllHelp& help) {
        return app.exit(help);
    } catch (const CLI::CallForVersion& version) {
        return app.exit(version);
    } catch (const CLI::ParseError& error) {
        // One line and a hint; the full help is one flag away.
        std::string where = "shardsim-cli";
        for (const CLI::App* sub : app.get_subcommands())
            where += " " + sub->get_name();
        std::cerr << "error: " << error.what() << "\nRun '" << where << " --help' for usage.\n";
        return kExitInvalid;
    }
    for (const auto& command : commands) {
        const int status = command();
        if (status >= 0)
            return checkStandardOutput(status);
    }
    return kExitInvalid;
}
