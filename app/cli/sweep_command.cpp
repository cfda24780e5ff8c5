#include "sweep_command.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli_support.h"
#include "interrupt.h"
#include "shardsim/planner/sweep.h"
#include "shardsim/batch/sweep_run.h"
#include "shardsim/report/csv_output.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim::cli {

namespace {

    struct SweepCliOptions {
        std::string file;
        std::vector<std::string> params;
        std::vector<std::string> overrides;
        int jobs = 1;
        std::string partition;
        std::string out;
        EngineMode engine = EngineMode::Auto;
        std::string history;
        bool noHistory = false;
        bool quiet = false;
    };

    // Other processes may record runs while the sweep does, so its ids need not be consecutive: "runs 4-6, 9".
    // A range stands only for ids that are all the sweep's own.
    std::string describeRunIds(std::vector<int64_t> ids)
    {
        std::sort(ids.begin(), ids.end());
        std::string text = ids.size() == 1 ? "run " : "runs ";
        for (std::size_t i = 0; i < ids.size();) {
            std::size_t end = i;
            while (end + 1 < ids.size() && ids[end + 1] == ids[end] + 1)
                ++end;
            text += (i ? ", " : "") + std::to_string(ids[i]) + (end > i ? "-" + std::to_string(ids[end]) : "");
            i = end + 1;
        }
        return text;
    }

    int sweep(const SweepCliOptions& options)
    {
        // Ctrl-C: the runs under way are dropped unrecorded, no sweep.csv is written, exit 130. Points that had
        // finished stay in the history.
        const Interruptible interrupt;
        std::vector<SweepParam> params;
        for (const std::string& text : options.params) {
            auto param = parseSweepParam(text);
            if (!param) {
                std::cerr << "error: " << param.error() << '\n';
                return kExitInvalid;
            }
            params.push_back(std::move(*param));
        }
        auto grid = sweepGrid(params);
        if (!grid) {
            std::cerr << "error: " << grid.error() << '\n';
            return kExitInvalid;
        }
        SweepPartition partition;
        if (!options.partition.empty()) {
            auto parsed = parseSweepPartition(options.partition);
            if (!parsed) {
                std::cerr << "error: " << parsed.error() << '\n';
                return kExitInvalid;
            }
            partition = *parsed;
        }
        const std::vector<SweepPoint> points = partitionPoints(*grid, partition);

        const ScenarioFileText file = readScenarioFileText(options.file);
        if (!file.ok()) {
            std::cerr << file.diagnostics.front().format() << '\n';
            return kExitInvalid;
        }
        const std::string baseDirectory = std::filesystem::path(options.file).parent_path().string();
        const SweepScenarios scenarios
            = loadSweepScenarios(file.text, options.file, baseDirectory, options.overrides, params, points);
        for (const std::string& error : scenarios.errors)
            std::cerr << error << '\n';
        if (!scenarios.errors.empty())
            return kExitInvalid;

        if (!createOutDirectory(options.out))
            return kExitInvalid;
        SweepRunOptions runOptions;
        runOptions.engine = options.engine;
        runOptions.jobs = options.jobs;
        runOptions.record = !options.noHistory;
        runOptions.history = options.history;
        runOptions.cancel = interrupt.flag();
        // Said once and now, even with --quiet, so a long sweep can be stopped.
        runOptions.historyUnavailable
            = [](const std::string& why) { std::cerr << "error: the runs are not recorded: " << why << '\n'; };
        const SweepRun run = runSweep(scenarios.configs, points, runOptions);
        if (run.cancelled)
            return reportInterrupted(options.quiet, "no sweep.csv was written; the runs under way were not recorded");

        int failed = 0;
        int notRecorded = 0;
        for (std::size_t i = 0; i < points.size(); ++i) {
            const SweepPointOutcome& outcome = run.outcomes[i];
            if (!outcome.error.empty()) {
                ++failed;
                std::cerr << describeSweepPoint(points[i], params) << ": error: " << outcome.error << '\n';
                continue;
            }
            if (!outcome.notRecorded.empty()) {
                ++notRecorded;
                // Why no run at all can be recorded was said before the sweep began.
                if (outcome.notRecorded != run.historyError)
                    std::cerr << describeSweepPoint(points[i], params) << ": error: " << outcome.notRecorded << '\n';
            }
        }
        // Only the first partition writes the header, so `cat` of the partitions in order is the whole sweep.
        const std::string csv = sweepCsv(params, run, partition.index == 1);
        auto written = writeTextFile(options.out + "/sweep.csv", csv);
        if (!written) {
            std::cerr << "error: " << written.error() << '\n';
            return kExitOutputFailed;
        }
        if (!options.quiet) {
            std::cout << fmt::format("{} of {} grid points run{} into {}/sweep.csv", points.size() - failed,
                grid->size(),
                options.partition.empty() ? std::string()
                                          : fmt::format(" (partition {}/{})", partition.index, partition.count),
                options.out);
            std::vector<int64_t> ids;
            for (const SweepPointOutcome& outcome : run.outcomes)
                if (outcome.runId)
                    ids.push_back(*outcome.runId);
            if (!ids.empty())
                std::cout << "; recorded as " << describeRunIds(ids);
            std::cout << '\n';
        }
        if (failed > 0)
            return kExitInvalid;
        return notRecorded > 0 ? kExitNotRecorded : kExitOk;
    }

} // namespace

std::function<int()> addSweepCommand(CLI::App& app)
{
    auto options = std::make_shared<SweepCliOptions>();
    CLI::App* command = app.add_subcommand("sweep", "Run a grid of overrides in parallel into sweep.csv");
    command->add_option("file", options->file, "Scenario file")->required();
    command->add_option("--param", options->params, "A swept field: PATH=v1,v2,... (cluster.nodes=8,16,32)")
        ->required();
    command->add_option("--set", options->overrides, "A fixed override for every point: PATH=VALUE");
    command->add_option("--jobs", options->jobs, "Points run at once, on threads; the output does not depend on it")
        ->check(CLI::Range(1, 256));
    command->add_option("--partition", options->partition,
        "Run only slice I of N (I/N); the slices' CSVs concatenated in order are the whole sweep");
    command->add_option("--out", options->out, "Directory for sweep.csv")->required();
    addEngineOption(*command, options->engine, EngineMode::Auto);
    command->add_option("--history", options->history, "Run history database (default: "
                                                         "$XDG_DATA_HOME/shardsim/history.sqlite)");
    command->add_flag("--no-history", options->noHistory, "Do not record the runs")->excludes("--history");
    command->add_flag(
        "-q,--quiet", options->quiet, "Nothing on stdout or stderr but errors (a run not recorded is one)");
    return [command, options]() -> int { return command->parsed() ? sweep(*options) : -1; };
}

} // namespace shardsim::cli
