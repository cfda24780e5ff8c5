#include "history_command.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "shardsim/common/units.h"
#include "shardsim/history/history_export.h"
#include "shardsim/history/history_recovery.h"
#include "shardsim/history/run_history.h"

namespace shardsim::cli {

namespace {

    struct HistoryOptions {
        std::string path; // empty: the default place
        OutputFormat format = OutputFormat::Text; // for export, Text is CSV
        std::string idText; // as typed; parsed into id before a command runs
        int64_t id = 0;
        std::string recoverTo; // recover: the new file
        std::string out; // export: empty for stdout
        bool scenarioOnly = false; // show: the stored scenario text alone
        bool ranges = false; // export: the run's ranges.csv instead of its node ticks
    };

    std::string dumpJson(const nlohmann::ordered_json& json, int indent)
    {
        // Stored scenario text may hold bytes that are not UTF-8; show them replaced rather than fail.
        return json.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    }

    Result<std::filesystem::path> historyPath(const HistoryOptions& options)
    {
        if (!options.path.empty())
            return std::filesystem::path(options.path);
        auto path = defaultHistoryPath();
        if (!path)
            return fail(path.error() + "; pass --history PATH");
        return path;
    }

    // Commands never create a file: a history that does not exist yet holds no runs. Those that only read open
    // it read-only, so a history the user may not write is still listed, shown and exported.
    Result<std::optional<RunHistory>> openExisting(const HistoryOptions& options, bool forWriting = false)
    {
        auto path = historyPath(options);
        if (!path)
            return fail(path.error());
        if (!std::filesystem::exists(*path))
            return std::optional<RunHistory>();
        auto history = forWriting ? RunHistory::open(*path) : RunHistory::openReadOnly(*path);
        if (!history)
            return fail(history.error());
        return std::optional<RunHistory>(std::move(*history));
    }

    // Parsed here rather than by CLI11, which would clamp 99999999999999999999 to the largest id.
    Result<int64_t> parseRunId(const std::string& text)
    {
        int64_t id = 0;
        const char* end = text.data() + text.size();
        const auto [last, error] = std::from_chars(text.data(), end, id);
        if (error == std::errc::result_out_of_range)
            return fail(fmt::format(
                "run id {} is out of range: ids go from 1 to {}", text, std::numeric_limits<int64_t>::max()));
        if (error != std::errc() || last != end)
            return fail(
                fmt::format("run id '{}' is not a whole number; 'shardsim-cli history list' shows the ids", text));
        return id;
    }

    int reportError(const std::string& message)
    {
        std::cerr << "error: " << message << '\n';
        return kExitInvalid;
    }

    int reportMissing(const HistoryOptions& options)
    {
        auto path = historyPath(options);
        std::cerr << fmt::format("error: no run {} in the run history {}\nRun 'shardsim-cli history list{}' to see "
                                 "the stored runs.\n",
            options.id, path ? path->string() : "", options.path.empty() ? "" : " --history " + options.path);
        return kExitInvalid;
    }

    std::string expectationsText(const RunRecord& run)
    {
        if (run.expectations == 0)
            return "-";
        if (run.expectationsHeld())
            return "ok";
        return fmt::format("{} failed", run.expectationsFailed);
    }

    std::string startedText(const RunRecord& run)
    {
        // "2024-05-01T12:00:03Z" reads better in a table as "2024-05-01 12:00:03".
        std::string text = run.startedAt;
        if (text.size() == 20 && text[10] == 'T' && text.back() == 'Z') {
            text[10] = ' ';
            text.pop_back();
        }
        return text;
    }

    void printListText(const std::vector<RunRecord>& runs)
    {
        size_t scenarioWidth = 8;
        for (const RunRecord& run : runs)
            scenarioWidth = std::max(scenarioWidth, run.scenario.size());
        std::cout << fmt::format("{:>5}  {:<19}  {:<{}}  {:>10}  {:<8}  {:>9}  {:>8}  {}\n", "ID", "STARTED (UTC)",
            "SCENARIO", scenarioWidth, "SEED", "ENGINE", "TICKS", "REQUESTS", "EXPECT");
        for (const RunRecord& run : runs) {
            std::cout << fmt::format("{:>5}  {:<19}  {:<{}}  {:>10}  {:<8}  {:>9}  {:>8}  {}{}\n", run.id,
                startedText(run), run.scenario, scenarioWidth, run.seed, run.engine, run.ticks,
                units::formatCount(run.requests), expectationsText(run), run.cancelled ? " (cancelled)" : "");
        }
    }

    int list(const HistoryOptions& options)
    {
        auto history = openExisting(options);
        if (!history)
            return reportError(history.error());
        std::vector<RunRecord> runs;
        if (*history) {
            auto listed = (*history)->list();
            if (!listed)
                return reportError(listed.error());
            runs = std::move(*listed);
        }
        if (options.format == OutputFormat::Json) {
            auto array = nlohmann::ordered_json::array();
            for (const RunRecord& run : runs)
                array.push_back(runRecordJson(run));
            std::cout << dumpJson(array, 2) << '\n';
        } else if (runs.empty()) {
            std::cout << "No runs recorded in " << historyPath(options)->string() << " yet.\n";
        } else {
            printListText(runs);
        }
        return kExitOk;
    }

    void printShowText(const RunDetails& details)
    {
        const RunRecord& run = details.record;
        std::string overrides;
        for (const std::string& item : details.overrides)
            overrides += (overrides.empty() ? "" : " ") + item;
        std::cout << fmt::format("run {}\n", run.id);
        std::cout << fmt::format("  started       {} (finished {})\n", run.startedAt, run.finishedAt);
        std::cout << fmt::format(
            "  scenario      {}{}\n", run.scenario, run.scenarioFile.empty() ? "" : " (" + run.scenarioFile + ")");
        if (!overrides.empty())
            std::cout << fmt::format("  overrides     {}\n", overrides);
        std::cout << fmt::format("  seed          {}\n", run.seed);
        std::cout << fmt::format("  engine        {}\n", run.engine);
        std::cout << fmt::format("  version       {}\n", run.version);
        std::cout << fmt::format("  ticks         {} x {}{}\n", run.ticks, units::formatDuration(run.tickSeconds),
            run.cancelled ? " (cancelled)" : "");
        if (run.tickStride > 1)
            std::cout << fmt::format("  node ticks    stored per window of {} ticks\n", run.tickStride);
        if (run.clusterTickStride > 1)
            std::cout << fmt::format("  cluster ticks stored per window of {} ticks\n", run.clusterTickStride);
        if (details.heatmap)
            std::cout << fmt::format("  heat map      {}: {} key ranges x {} time buckets\n", details.heatmap->table,
                details.heatmap->keyBuckets, details.heatmap->timeBuckets);
        else
            std::cout << fmt::format("  heat map      {}\n",
                run.clusterTickStride == 0 ? "not stored (recorded before the history kept heat maps)"
                                           : "none (the run had none: every table is broadcast, or no tick ran)");
        const nlohmann::ordered_json summary = runDetailsJson(details)["summary"];
        if (run.rangeWindows)
            std::cout << fmt::format("  ranges        {} windows ('history export {} --ranges' writes ranges.csv)\n",
                *run.rangeWindows, run.id);
        else if (summary.is_object() && summary.contains("ranges"))
            std::cout << "  ranges        windows not stored (recorded before the history kept them)\n";
        std::cout << fmt::format("  nodes         {}\n", run.nodes);
        std::cout << fmt::format("  requests      {}\n", units::formatCount(run.requests));
        std::cout << fmt::format("  expectations  {}\n",
            run.expectations == 0
                ? "none"
                : fmt::format("{} checked, {}", run.expectations,
                    run.expectationsHeld() ? "all held" : fmt::format("{} failed", run.expectationsFailed)));
        std::cout << "\nsummary\n" << dumpJson(summary, 2) << '\n';
    }

    // nullopt when the run is not stored; `history` stays open for the node ticks of an export.
    Result<std::optional<RunDetails>> findRun(const HistoryOptions& options, std::optional<RunHistory>& history)
    {
        auto opened = openExisting(options);
        if (!opened)
            return fail(opened.error());
        history = std::move(*opened);
        if (!history)
            return std::optional<RunDetails>();
        return history->get(options.id);
    }

    int show(const HistoryOptions& options)
    {
        std::optional<RunHistory> history;
        auto found = findRun(options, history);
        if (!found)
            return reportError(found.error());
        if (!*found)
            return reportMissing(options);
        const RunDetails& details = **found;
        if (options.scenarioOnly)
            std::cout << details.scenarioText;
        else if (options.format == OutputFormat::Json)
            std::cout << dumpJson(runDetailsJson(details), 2) << '\n';
        else
            printShowText(details);
        return kExitOk;
    }

    int exportRun(const HistoryOptions& options)
    {
        if (options.ranges && options.format == OutputFormat::Json)
            return reportError("--ranges writes ranges.csv, and --format json the whole run, range windows included; "
                               "give one of them");
        std::optional<RunHistory> history;
        auto found = findRun(options, history);
        if (!found)
            return reportError(found.error());
        if (!*found)
            return reportMissing(options);
        const RunDetails& details = **found;
        std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, std::fclose);
        if (!options.out.empty()) {
            file.reset(std::fopen(options.out.c_str(), "w"));
            if (!file)
                return reportError(fmt::format("cannot write {}: {}", options.out, std::strerror(errno)));
        }
        std::cout.flush();
        std::FILE* out = file ? file.get() : stdout;
        auto written = options.ranges              ? writeRangesCsv(details, out)
            : options.format == OutputFormat::Json ? writeRunBundleJson(*history, details, out)
                                                   : writeNodeTicksCsv(*history, details, out);
        if (!written)
            return reportError(options.out.empty() ? written.error() : options.out + ": " + written.error());
        if (file && std::fclose(file.release()) != 0)
            return reportError(fmt::format("cannot write {}: {}", options.out, std::strerror(errno)));
        return kExitOk;
    }

    int remove(const HistoryOptions& options)
    {
        auto history = openExisting(options, true);
        if (!history)
            return reportError(history.error());
        if (!*history)
            return reportMissing(options);
        auto removed = (*history)->remove(options.id);
        if (!removed)
            return reportError(removed.error());
        if (!*removed)
            return reportMissing(options);
        if (options.format == OutputFormat::Json)
            std::cout << nlohmann::ordered_json { { "deleted", options.id } }.dump() << '\n';
        else
            std::cout << "deleted run " << options.id << '\n';
        return kExitOk;
    }

    int recover(const HistoryOptions& options)
    {
        auto path = historyPath(options);
        if (!path)
            return reportError(path.error());
        auto recovered = recoverHistory(*path, options.recoverTo);
        if (!recovered)
            return reportError(recovered.error());
        const size_t listed = recovered->copied.size() + recovered->lost.size();
        std::cout << fmt::format("Copied {} of {} runs from {} into {}.\n", recovered->copied.size(), listed,
            path->string(), options.recoverTo);
        for (const LostRun& lost : recovered->lost)
            std::cout << fmt::format("Lost run {}: {}\n", lost.id, lost.reason);
        if (!recovered->everyRunListed)
            std::cout << "Part of the list of runs could not be read: runs stored there are lost too.\n";
        return kExitOk;
    }

    void addHistoryOption(CLI::App& command, HistoryOptions& options)
    {
        command.add_option("--history", options.path,
            "Run history file (default: $XDG_DATA_HOME/shardsim/history.sqlite, else "
            "~/.local/share/shardsim/history.sqlite)");
    }

    void addIdOption(CLI::App& command, HistoryOptions& options)
    {
        command.add_option("id", options.idText, "Run id, as `history list` prints it")->required();
    }

} // namespace

std::function<int()> addHistoryCommand(CLI::App& app)
{
    auto options = std::make_shared<HistoryOptions>();
    CLI::App* history
        = app.add_subcommand("history", "List, show, export, delete and recover the runs stored in the run history");
    history->require_subcommand(1);

    CLI::App* listCommand = history->add_subcommand("list", "Every stored run, newest first");
    addHistoryOption(*listCommand, *options);
    addFormatOption(*listCommand, options->format);

    CLI::App* showCommand = history->add_subcommand("show", "One run: what it was run with and its summary");
    addIdOption(*showCommand, *options);
    addHistoryOption(*showCommand, *options);
    addFormatOption(*showCommand, options->format);
    showCommand->add_flag("--scenario", options->scenarioOnly, "Print only the scenario text the run was read from");

    CLI::App* exportCommand
        = history->add_subcommand("export", "One run's node ticks or ranges as CSV, or everything as JSON");
    addIdOption(*exportCommand, *options);
    addHistoryOption(*exportCommand, *options);
    const std::map<std::string, OutputFormat> exportFormats { { "csv", OutputFormat::Text },
        { "text", OutputFormat::Text }, { "json", OutputFormat::Json } };
    exportCommand
        ->add_option("--format", options->format,
            "csv (or text): the columns of nodes.csv (tick,ticks,node,qps,...); json: the run and every stored column")
        ->transform(CLI::CheckedTransformer(exportFormats, CLI::ignore_case))
        ->default_str("csv");
    exportCommand->add_option("-o,--out", options->out, "Write to this file instead of standard output");
    exportCommand->add_flag("--ranges", options->ranges,
        "An auto-range run's ranges.csv (time_s,seconds,ranges,splits,...), as `run --out` wrote it");

    CLI::App* deleteCommand = history->add_subcommand("delete", "Remove one run and its node ticks");
    addIdOption(*deleteCommand, *options);
    addHistoryOption(*deleteCommand, *options);
    addFormatOption(*deleteCommand, options->format);

    CLI::App* recoverCommand = history->add_subcommand(
        "recover", "Copy the runs that can still be read from a damaged history into a new file");
    addHistoryOption(*recoverCommand, *options);
    recoverCommand->add_option("--to", options->recoverTo, "The new file; it must not exist yet")->required();

    return [=]() -> int {
        if (!history->parsed())
            return -1;
        if (listCommand->parsed())
            return list(*options);
        if (recoverCommand->parsed())
            return recover(*options);
        auto id = parseRunId(options->idText);
        if (!id)
            return reportError(id.error());
        options->id = *id;
        if (showCommand->parsed())
            return show(*options);
        if (exportCommand->parsed())
            return exportRun(*options);
        return remove(*options);
    };
}

} // namespace shardsim::cli
