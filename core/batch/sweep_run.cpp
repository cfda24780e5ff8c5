#include "shardsim/batch/sweep_run.h"

#include <algorithm>
#include <memory>
#include <thread>

#include "shardsim/report/scenario_run.h"
#include "shardsim/history/history_sink.h"
#include "shardsim/history/run_history.h"
#include "shardsim/report/non_finite.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {

namespace {

    bool cancelled(const std::atomic<bool>* cancel) { return cancel && cancel->load(); }

    // Where the runs are recorded, or why none can be.
    Result<std::filesystem::path> historyPath(const SweepRunOptions& options)
    {
        auto path = options.history.empty() ? defaultHistoryPath() : Result<std::filesystem::path>(options.history);
        if (!path)
            return path;
        auto opened = RunHistory::open(*path);
        if (!opened)
            return fail(opened.error());
        return path;
    }

    SweepPointOutcome runPoint(
        const ScenarioConfig& config, const SweepPoint& point, const SweepRunOptions& options, RunHistory* history)
    {
        SweepPointOutcome outcome;
        RunOptions runOptions;
        runOptions.engine = options.engine;
        runOptions.cancel = options.cancel;
        std::unique_ptr<HistorySink> sink;
        if (history) {
            sink = std::make_unique<HistorySink>(
                *history, config, [](const RunResult& result) { return summaryJson(result).dump(); });
            runOptions.sinks.push_back(sink.get());
        }
        auto result = runCompleteScenario(config, runOptions);
        if (!result) {
            outcome.error = result.error();
            return outcome;
        }
        if (auto metric = firstNonFiniteMetric(*result)) {
            outcome.error = nonFiniteMessage(*metric);
            return outcome;
        }
        outcome.row = sweepCsvRow(point, *result);
        if (sink) {
            outcome.notRecorded = sink->error();
            outcome.runId = sink->runId();
        }
        return outcome;
    }

} // namespace

std::string describeSweepPoint(const SweepPoint& point, const std::vector<SweepParam>& params)
{
    std::string text = "point " + std::to_string(point.index + 1) + " (";
    const auto overrides = point.overrides(params);
    for (std::size_t i = 0; i < overrides.size(); ++i)
        text += (i ? ", " : "") + overrides[i];
    return text + ")";
}

SweepScenarios loadSweepScenarios(const std::string& text, const std::string& file, const std::string& baseDirectory,
    const std::vector<std::string>& fixed, const std::vector<SweepParam>& params, const std::vector<SweepPoint>& points)
{
    SweepScenarios out;
    for (const SweepPoint& point : points) {
        std::vector<std::string> overrides = fixed;
        for (std::string& override : point.overrides(params))
            overrides.push_back(std::move(override));
        ScenarioLoad load = loadScenarioText(text, file, baseDirectory, ScenarioReadOptions { overrides });
        for (const Diagnostic& diagnostic : load.diagnostics)
            out.errors.push_back(describeSweepPoint(point, params) + ": " + diagnostic.format());
        if (load.ok())
            out.configs.push_back(std::move(*load.config));
    }
    if (!out.errors.empty())
        out.configs.clear();
    return out;
}

SweepRun runSweep(
    const std::vector<ScenarioConfig>& configs, const std::vector<SweepPoint>& points, const SweepRunOptions& options)
{
    SweepRun run;
    run.outcomes.resize(points.size());
    std::optional<std::filesystem::path> path;
    if (options.record) {
        auto found = historyPath(options);
        if (found)
            path = *found;
        else
            run.historyError = found.error();
    }
    if (!run.historyError.empty() && options.historyUnavailable)
        options.historyUnavailable(run.historyError);
    // Workers take the next point; each writes only its own outcome, so the outcomes' order is the grid's whatever
    // the number of threads. SQLite connections are not shared between threads: each worker opens its own.
    std::atomic<std::size_t> next { 0 };
    auto worker = [&]() {
        std::optional<RunHistory> history;
        std::string notRecorded = run.historyError;
        if (path) {
            auto opened = RunHistory::open(*path);
            if (opened)
                history.emplace(std::move(*opened));
            else
                notRecorded = "the run is not recorded: " + opened.error();
        }
        for (std::size_t i = next++; i < points.size() && !cancelled(options.cancel); i = next++) {
            run.outcomes[i] = runPoint(configs[i], points[i], options, history ? &*history : nullptr);
            if (run.outcomes[i].error.empty() && !history)
                run.outcomes[i].notRecorded = notRecorded;
        }
    };
    const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(points.size())));
    std::vector<std::thread> threads;
    for (int j = 1; j < jobs; ++j)
        threads.emplace_back(worker);
    worker();
    for (std::thread& thread : threads)
        thread.join();
    run.cancelled = cancelled(options.cancel);
    return run;
}

std::string sweepCsv(const std::vector<SweepParam>& params, const SweepRun& run, bool withHeader)
{
    std::string csv = withHeader ? sweepCsvHeader(params) : std::string();
    for (const SweepPointOutcome& outcome : run.outcomes)
        csv += outcome.row;
    return csv;
}

} // namespace shardsim
