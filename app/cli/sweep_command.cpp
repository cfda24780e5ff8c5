#include "sweep_command.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "cli_support.h"
#include "interrupt.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/history/history_sink.h"
#include "shardsim/history/run_history.h"
#include "shardsim/planner/sweep.h"
#include "shardsim/report/csv_output.h"
#include "shardsim/report/non_finite.h"
#include "shardsim/report/scenario_run.h"
#include "shardsim/report/summary_json.h"
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

    std::string describePoint(const SweepPoint& point, const std::vector<SweepParam>& params)
    {
        std::string text = fmt::format("point {} (", point.index + 1);
        const auto overrides = point.overrides(params);
        for (std::size_t i = 0; i < overrides.size(); ++i)
            text += (i ? ", " : "") + overrides[i];
        return text + ")";
    }

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

    struct PointOutcome {
        std::string row; // the CSV row
        std::string error; // the run failed
        std::string notRecorded; // why the run is not in the run history; empty when it is, or none was asked for
        std::optional<int64_t> runId;
    };

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

        // Every point is read (and so validated) before any runs: a typo in the last value fails fast.
        const ScenarioFileText file = readScenarioFileText(options.file);
        if (!file.ok()) {
            std::cerr << file.diagnostics.front().format() << '\n';
            return kExitInvalid;
        }
        const std::string& text = file.text;
        const std::string baseDirectory = std::filesystem::path(options.file).parent_path().string();
        std::vector<ScenarioConfig> configs;
        bool invalid = false;
        for (const SweepPoint& point : points) {
            std::vector<std::string> overrides = options.overrides;
            for (std::string& override : point.overrides(params))
                overrides.push_back(std::move(override));
            ScenarioLoad load = loadScenarioText(text, options.file, baseDirectory, ScenarioReadOptions { overrides });
            if (!load.ok()) {
                invalid = true;
                for (const Diagnostic& diagnostic : load.diagnostics)
                    std::cerr << describePoint(point, params) << ": " << diagnostic.format() << '\n';
                continue;
            }
            configs.push_back(std::move(*load.config));
        }
        if (invalid)
            return kExitInvalid;

        if (!createOutDirectory(options.out))
            return kExitInvalid;
        std::optional<std::filesystem::path> historyPath;
        std::string historyError; // why no run can be recorded
        if (!options.noHistory) {
            auto path = options.history.empty() ? defaultHistoryPath()
                                                : Result<std::filesystem::path>(std::filesystem::path(options.history));
            auto opened = path ? RunHistory::open(*path) : Result<RunHistory>(fail(path.error()));
            if (opened)
                historyPath = *path;
            else
                historyError = opened.error();
        }
        // Said once and now, even with --quiet, so a long sweep can be stopped.
        if (!historyError.empty())
            std::cerr << "error: the runs are not recorded: " << historyError << '\n';

        // Workers take the next point; each writes only its own outcome, so the CSV's order is the grid's
        // whatever --jobs is. Each worker has its own history connection (one connection per thread).
        std::vector<PointOutcome> outcomes(points.size());
        std::atomic<std::size_t> next { 0 };
        auto worker = [&]() {
            std::optional<RunHistory> history;
            std::string notRecorded = historyError;
            if (historyPath) {
                auto opened = RunHistory::open(*historyPath);
                if (opened)
                    history.emplace(std::move(*opened));
                else
                    notRecorded = "the run is not recorded: " + opened.error();
            }
            for (std::size_t i = next++; i < points.size() && !interrupt.interrupted(); i = next++) {
                RunOptions runOptions;
                runOptions.engine = options.engine;
                runOptions.cancel = interrupt.flag();
                std::unique_ptr<HistorySink> sink;
                if (history) {
                    sink = std::make_unique<HistorySink>(
                        *history, configs[i], [](const RunResult& result) { return summaryJson(result).dump(); });
                    runOptions.sinks.push_back(sink.get());
                }
                auto result = runCompleteScenario(configs[i], runOptions);
                if (!result) {
                    outcomes[i].error = result.error();
                    continue;
                }
                if (auto metric = firstNonFiniteMetric(*result)) {
                    outcomes[i].error = nonFiniteMessage(*metric);
                    continue;
                }
                outcomes[i].row = sweepCsvRow(points[i], *result);
                outcomes[i].notRecorded = sink ? sink->error() : notRecorded;
                if (sink)
                    outcomes[i].runId = sink->runId();
            }
        };
        const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(points.size())));
        std::vector<std::thread> threads;
        for (int j = 1; j < jobs; ++j)
            threads.emplace_back(worker);
        worker();
        for (std::thread& thread : threads)
            thread.join();
        if (interrupt.interrupted())
            return reportInterrupted(options.quiet, "no sweep.csv was written; the runs under way were not recorded");

        // Only the first partition writes the header, so `cat` of the partitions in order is the whole sweep.
        std::string csv = partition.index == 1 ? sweepCsvHeader(params) : std::string();
        int failed = 0;
        int notRecorded = 0;
        for (std::size_t i = 0; i < points.size(); ++i) {
            if (!outcomes[i].error.empty()) {
                ++failed;
                std::cerr << describePoint(points[i], params) << ": error: " << outcomes[i].error << '\n';
                continue;
            }
            if (!outcomes[i].notRecorded.empty()) {
                ++notRecorded;
                // Why no run at all can be recorded was said before the sweep began.
                if (outcomes[i].notRecorded != historyError)
                    std::cerr << describePoint(points[i], params) << ": error: " << outcomes[i].notRecorded << '\n';
            }
            csv += outcomes[i].row;
        }
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
            for (const PointOutcome& outcome : outcomes)
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
    const std::map<std::string, EngineMode> engines { { "auto", EngineMode::Auto }, { "sampled", EngineMode::Sampled },
        { "expected", EngineMode::Expected } };
    command->add_option("--engine", options->engine, "auto, sampled or expected")
        ->transform(CLI::CheckedTransformer(engines))
        ->default_str("auto");
    command->add_option("--history", options->history, "Run history database (default: "
                                                         "$XDG_DATA_HOME/shardsim/history.sqlite)");
    command->add_flag("--no-history", options->noHistory, "Do not record the runs")->excludes("--history");
    command->add_flag(
        "-q,--quiet", options->quiet, "Nothing on stdout or stderr but errors (a run not recorded is one)");
    return [command, options]() -> int { return command->parsed() ? sweep(*options) : -1; };
}

} // namespace shardsim::cli
