#include "shardsim/scenario/scenario_reader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "overrides.h"
#include "read_context.h"
#include "section_readers.h"
#include "shardsim/common/input_file.h"
#include "shardsim/common/run_clock.h"
#include "shardsim/common/units.h"
#include "shardsim/scenario/input_limits.h"
#include "shardsim/workload/workload_presets.h"
#include "yaml_tree.h"

namespace shardsim {

namespace {

    using namespace scenario;

    void readTiming(ReadContext& context, MapReader& root, ScenarioConfig& out, ReadState& state)
    {
        const TreeNode* durationNode = root.require("duration", "simulated time, e.g. duration: 3h");
        if (durationNode) {
            if (auto duration = readDuration(context, *durationNode, "duration", input_limits::kMinTick,
                    input_limits::kMaxDuration, "the limit of 100 years")) {
                out.duration = state.duration = *duration;
                state.durationKnown = true;
            }
        }
        const TreeNode* tickNode = root.get("tick");
        bool tickKnown = !tickNode;
        if (tickNode) {
            if (auto tick
                = readDuration(context, *tickNode, "tick", input_limits::kMinTick, input_limits::kMaxDuration)) {
                out.tick = *tick;
                tickKnown = true;
            }
        }
        if (const TreeNode* startNode = root.get("start")) {
            if (auto text = readText(context, *startNode, "start")) {
                if (auto start = parseTimeOfDay(*text))
                    out.start = *start;
                else
                    context.error(*startNode, "start", start.error());
            }
        }
        if (!state.durationKnown || !tickKnown)
            return;
        // The default tick never exceeds a short run.
        if (!tickNode)
            out.tick = std::min(out.tick, out.duration);
        if (tickNode && out.tick > out.duration) {
            context.error(*tickNode, "tick",
                fmt::format("must be at most the duration, {} (got {})", units::formatDuration(out.duration),
                    tickNode->scalar));
        } else if (std::ceil(out.duration / out.tick) > double(input_limits::kMaxTicks)) {
            context.error(tickNode ? *tickNode : *durationNode, tickNode ? "tick" : "duration",
                fmt::format("{} in steps of {} is {} ticks; more than {} (10^7) is the tick limit, use a longer tick",
                    units::formatDuration(out.duration), units::formatDuration(out.tick),
                    formatNumber(std::ceil(out.duration / out.tick)), input_limits::kMaxTicks));
        }
    }

    // A workload preset gives the first table the row size its source reports, unless the table writes its own.
    void applyPresetRowSize(const TreeNode& tree, ScenarioConfig& out)
    {
        const workload::WorkloadPreset* preset = workload::findWorkloadPreset(out.workload.preset);
        if (!preset || out.data.tables.empty())
            return;
        const TreeNode* data = tree.find("data");
        const TreeNode* tables = data ? data->find("tables") : nullptr;
        if (tables && tables->isSequence() && !tables->children.empty() && tables->children[0].find("row_size"))
            return;
        out.data.tables.front().rowSize = preset->rowSize;
    }

    void readScenario(ReadContext& context, const TreeNode& tree, ScenarioConfig& out, ReadState& state)
    {
        if (!tree.isMap()) {
            context.error(tree, {},
                "expected a mapping of sections (name, duration, cluster, data, sharding, workload) at the top, got "
                    + tree.describe());
            return;
        }
        MapReader root(context, &tree, {},
            { "name", "description", "seed", "start", "duration", "tick", "cluster", "data", "sharding", "workload",
                "events", "expect", "limits", "lesson", "plan" });
        if (const TreeNode* value = root.require("name", "e.g. name: double-11-orders")) {
            if (auto name = readLabel(context, *value, "name", 200))
                out.name = *name;
        }
        if (const TreeNode* value = root.get("description")) {
            // An empty description is no description.
            if (value->isScalar() && value->scalar.empty())
                out.description.clear();
            else if (auto description = readLabel(context, *value, "description", 10'000, "\n\t"))
                out.description = *description;
        }
        if (const TreeNode* value = root.get("seed")) {
            if (auto seed = readCount(context, *value, "seed", 0, INT64_MAX))
                out.seed = static_cast<uint64_t>(*seed);
        }
        readTiming(context, root, out, state);

        readCluster(context, root.require("cluster", "e.g. cluster: { nodes: 8 }"), out.cluster, state);
        readData(context, root.require("data", "the tables"), out.cluster, out.data, state);
        readSharding(context, root.require("sharding", "e.g. sharding: { rule: mod:n=8 }"), out, out.sharding, state);
        readWorkload(context, root.require("workload", "e.g. workload: { rate: 10K/s }"), out, out.workload, state);
        applyPresetRowSize(tree, out);
        readEvents(context, root.get("events"), out, out.events, state);
        readExpect(context, root.get("expect"), out, out.expect, state);
        readLimits(context, root.get("limits"), out.limits);
        readLesson(context, root.get("lesson"), out, out.lesson, state);
        readPlan(context, root.get("plan"), out, out.plan);
        root.finish();
    }

} // namespace

std::string ScenarioLoad::errorText() const
{
    std::string text;
    for (const auto& diagnostic : diagnostics)
        text += diagnostic.format() + '\n';
    return text;
}

ScenarioLoad loadScenarioText(std::string_view text, const std::string& fileName, const std::string& baseDirectory,
    const ScenarioReadOptions& options)
{
    ReadContext context(fileName, options.overrides);
    ScenarioConfig config;
    // The boundary: nothing thrown below (yaml-cpp, allocation, a rule's constructor) escapes.
    try {
        TreeNode tree;
        std::vector<TreeError> errors;
        const bool usable = parseYamlTree(text, -1, tree, errors);
        for (const auto& error : errors)
            context.errorAt(error.line, error.column, -1, {}, error.message);
        if (usable) {
            applyOverrides(tree, options.overrides, context);
            if (tree.isNull()) {
                if (errors.empty())
                    context.errorAt(0, 0, -1, {},
                        "the scenario is empty; it needs at least name, duration, cluster, data, sharding and "
                        "workload");
            } else {
                ReadState state;
                state.baseDirectory = baseDirectory;
                readScenario(context, tree, config, state);
            }
        }
    } catch (const std::exception& e) {
        context.errorAt(0, 0, -1, {}, std::string("cannot read the scenario: ") + e.what());
    } catch (...) {
        context.errorAt(0, 0, -1, {}, "cannot read the scenario");
    }
    ScenarioLoad load;
    load.diagnostics = context.take();
    if (load.diagnostics.empty()) {
        config.sourceText = std::string(text);
        config.sourceFile = fileName;
        config.baseDirectory = baseDirectory;
        config.overrides = options.overrides;
        load.config = std::move(config);
    }
    return load;
}

ScenarioFileText readScenarioFileText(const std::string& path)
{
    namespace fs = std::filesystem;
    auto fail = [&](std::string message, int line = 0) {
        ScenarioFileText file;
        Diagnostic diagnostic;
        diagnostic.file = path;
        diagnostic.line = line;
        diagnostic.message = std::move(message);
        file.diagnostics.push_back(std::move(diagnostic));
        return file;
    };
    if (const std::string problem = inputFileProblem(path); !problem.empty())
        return fail("cannot open the file: it " + problem);
    std::error_code error;
    const auto size = fs::file_size(path, error);
    if (!error && size > input_limits::kMaxFileBytes)
        return fail(
            fmt::format("the file is {} bytes; more than {} (16 MiB) is not read", size, input_limits::kMaxFileBytes));
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail("cannot open the file for reading");
    // Read at most one byte past the size stat saw (and never past the limit), so a file that grows cannot exhaust
    // memory; a buffer of the limit's size would cost 16 MiB of zeroed pages for every file.
    ScenarioFileText file;
    file.text.resize(std::min<std::size_t>(error ? input_limits::kMaxFileBytes : size, input_limits::kMaxFileBytes) + 1);
    in.read(file.text.data(), static_cast<std::streamsize>(file.text.size()));
    if (in.bad())
        return fail("cannot read the file");
    file.text.resize(static_cast<std::size_t>(in.gcount()));
    if (file.text.size() > input_limits::kMaxFileBytes)
        return fail(
            fmt::format("the file is larger than {} bytes (16 MiB); it is not read", input_limits::kMaxFileBytes));
    if (!error && file.text.size() > size)
        return fail("the file grew while it was read; read it again once it is written");
    std::string what;
    if (const int line = scenario::firstNonTextLine(file.text, what))
        return fail("not a text file: found " + what, line);
    return file;
}

ScenarioLoad loadScenarioFile(const std::string& path, const ScenarioReadOptions& options)
{
    ScenarioFileText file = readScenarioFileText(path);
    if (!file.ok()) {
        ScenarioLoad load;
        load.diagnostics = std::move(file.diagnostics);
        return load;
    }
    return loadScenarioText(file.text, path, std::filesystem::path(path).parent_path().string(), options);
}

} // namespace shardsim
