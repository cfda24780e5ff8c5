#include "run_command.h"

#include <filesystem>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <unistd.h>

#include "cli_support.h"
#include "interrupt.h"
#include "progress_bar.h"
#include "shardsim/history/history_sink.h"
#include "shardsim/history/run_history.h"
#include "shardsim/report/csv_output.h"
#include "shardsim/report/failover_story.h"
#include "shardsim/report/non_finite.h"
#include "shardsim/report/range_story.h"
#include "shardsim/report/scenario_run.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/scenario/scenario_reader.h"
#include "summary_table.h"

namespace shardsim::cli {

namespace {

    struct RunCliOptions {
        std::string file;
        std::string out;
        EngineMode engine = EngineMode::Auto;
        std::optional<uint64_t> seed;
        std::vector<std::string> overrides;
        int threads = 1;
        std::string history;
        bool noHistory = false;
        bool quiet = false;
        bool fullResolution = false; // nodes.csv and fanout.csv tick by tick instead of in windows
        OutputFormat format = OutputFormat::Text;
    };

    // The streamed CSV files were put in place when the run finished; the rest is written now.
    Result<bool> writeOutputs(
        const std::string& dir, const RunResult& result, std::initializer_list<const std::string*> streamed)
    {
        for (const std::string* error : streamed)
            if (!error->empty())
                return fail(*error);
        auto summary = writeTextFile(dir + "/summary.json", summaryJson(result).dump(2) + "\n");
        if (!summary)
            return summary;
        auto heatmap = writeHeatmapCsv(dir + "/heatmap.csv", result.heatmap);
        if (!heatmap || !result.ranges)
            return heatmap;
        return writeRangesCsv(dir + "/ranges.csv", *result.ranges);
    }

    int run(const RunCliOptions& options)
    {
        // Ctrl-C drops the run: no output file, no history row (interrupt.h).
        const Interruptible interrupt;
        const std::optional<ScenarioConfig> scenario = loadScenarioOrReport(options.file, options.overrides);
        if (!scenario)
            return kExitInvalid;

        RunOptions runOptions;
        runOptions.engine = options.engine;
        runOptions.seed = options.seed;
        runOptions.threads = options.threads;
        runOptions.cancel = interrupt.flag();

        std::unique_ptr<NodesCsvSink> nodesCsv;
        std::unique_ptr<FanoutCsvSink> fanoutCsv;
        if (!options.out.empty()) {
            if (!createOutDirectory(options.out))
                return kExitInvalid;
            const CsvResolution resolution = options.fullResolution ? CsvResolution::Ticks : CsvResolution::Windows;
            if (options.fullResolution && !options.quiet)
                std::cerr << "note: " << nodesCsvNotice(scenario->tickCount(), std::ssize(scenario->databaseOfNodes()))
                          << '\n';
            auto sink = NodesCsvSink::open(options.out + "/nodes.csv", resolution);
            if (!sink) {
                std::cerr << "error: " << sink.error() << '\n';
                return kExitInvalid;
            }
            nodesCsv = std::move(*sink);
            runOptions.sinks.push_back(nodesCsv.get());
            auto fanout = FanoutCsvSink::open(options.out + "/fanout.csv", resolution);
            if (!fanout) {
                std::cerr << "error: " << fanout.error() << '\n';
                return kExitInvalid;
            }
            fanoutCsv = std::move(*fanout);
            runOptions.sinks.push_back(fanoutCsv.get());
        }

        // A history that cannot be written does not stop the run: it is said now, even with --quiet, so a long
        // run can be stopped, and the exit code says it again at the end.
        std::optional<RunHistory> history;
        std::unique_ptr<HistorySink> historySink;
        bool recorded = true;
        if (!options.noHistory) {
            auto path = options.history.empty() ? defaultHistoryPath()
                                                : Result<std::filesystem::path>(std::filesystem::path(options.history));
            auto opened = path ? RunHistory::open(*path) : Result<RunHistory>(fail(path.error()));
            if (opened) {
                history.emplace(std::move(*opened));
                historySink = std::make_unique<HistorySink>(
                    *history, *scenario, [](const RunResult& result) { return summaryJson(result).dump(); });
                runOptions.sinks.push_back(historySink.get());
            } else {
                recorded = false;
                std::cerr << "error: the run is not recorded: " << opened.error() << '\n';
            }
        }

        ProgressBar progress;
        if (!options.quiet && isatty(STDERR_FILENO))
            runOptions.progress = [&progress](int64_t done, int64_t total) { progress.update(done, total); };

        auto simulation = ScenarioRun::create(*scenario, std::move(runOptions));
        if (!simulation && interrupt.interrupted())
            return reportInterrupted(options.quiet);
        if (!simulation) {
            std::cerr << options.file << ": error: " << simulation.error() << '\n';
            return kExitInvalid;
        }
        if (const std::string slow = simulation->slowRunWarning(); !slow.empty() && !options.quiet)
            std::cerr << "warning: " << slow << '\n';
        while (simulation->step()) { }
        progress.finish();
        // Interrupted: the sinks are dropped unfinished, which removes their files and leaves the history as it was.
        if (interrupt.interrupted())
            return reportInterrupted(options.quiet);
        const std::optional<RunResult> result = simulation->finish();
        if (auto metric = firstNonFiniteMetric(*result)) {
            std::cerr << options.file << ": error: " << nonFiniteMessage(*metric) << '\n';
            return kExitInvalid;
        }

        if (historySink && !historySink->error().empty()) {
            recorded = false;
            std::cerr << "error: " << historySink->error() << '\n';
        }

        if (!options.out.empty()) {
            auto written = writeOutputs(options.out, *result, { &nodesCsv->error(), &fanoutCsv->error() });
            if (!written) {
                std::cerr << "error: " << written.error() << '\n';
                return kExitOutputFailed;
            }
        }
        if (options.format == OutputFormat::Json)
            std::cout << summaryJson(*result).dump(2) << '\n';
        else
            std::cout << formatSummaryTable(*result) << formatFailoverStory(*result) << formatRangeStory(*result);

        if (!result->expectationsHeld()) {
            if (!options.quiet) {
                for (const ExpectationResult& expectation : result->expectations)
                    if (!expectation.ok)
                        std::cerr << (expectation.origin.empty()
                                                 ? options.file + ':' + std::to_string(expectation.line)
                                                 : expectation.origin)
                                  << ": expectation failed: " << expectation.metric << ' ' << expectation.bound << '\n';
            }
            return kExitExpectationFailed;
        }
        return recorded ? kExitOk : kExitNotRecorded;
    }

} // namespace

std::function<int()> addRunCommand(CLI::App& app)
{
    auto options = std::make_shared<RunCliOptions>();
    CLI::App* command = app.add_subcommand("run", "Simulate a scenario and report per-node load");
    command->add_option("file", options->file, "Scenario file")->required();
    command->add_option("--out", options->out, "Write summary.json, nodes.csv, fanout.csv and heatmap.csv into this directory");
    addEngineOption(*command, options->engine, EngineMode::Auto);
    command->add_option("--seed", options->seed, "Master seed (default: the scenario's)");
    command->add_option("--set", options->overrides, "Override a field: PATH=VALUE (cluster.nodes=16)");
    command
        ->add_option("--threads", options->threads,
            "Threads for the sampled engine and for counting a hashed rule's keys; results do not depend on it")
        ->check(CLI::Range(1, 256));
    command->add_option("--history", options->history, "Run history database (default: "
                                                         "$XDG_DATA_HOME/shardsim/history.sqlite)");
    command
        ->add_flag("--full-resolution", options->fullResolution,
            "With --out: nodes.csv and fanout.csv tick by tick instead of in windows (can be gigabytes)")
        ->needs("--out");
    command->add_flag("--no-history", options->noHistory, "Do not record this run")->excludes("--history");
    command->add_flag("-q,--quiet", options->quiet, "Nothing on stderr but errors (a run not recorded is one)");
    addFormatOption(*command, options->format);
    return [command, options]() -> int { return command->parsed() ? run(*options) : -1; };
}

} // namespace shardsim::cli
