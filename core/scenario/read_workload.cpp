// The `workload` section: rate shapes, key distribution and geo shares (the mix is in read_mix.cpp).

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "rate_limits.h"
#include "section_readers.h"
#include "shardsim/common/input_file.h"
#include "shardsim/common/suggest.h"
#include "shardsim/common/units.h"
#include "shardsim/scenario/config_names.h"
#include "shardsim/scenario/input_limits.h"
#include "shardsim/workload/sample_keys.h"
#include "shardsim/workload/trace_file.h"
#include "shardsim/workload/workload_presets.h"

namespace shardsim::scenario {

namespace {

    const std::vector<std::string> kHotPositions = { "start", "end", "random" };

    // The places in the text where a shape's rate was given, to say which one takes it past the limit.
    struct ShapePlaces {
        const TreeNode* shape = nullptr;
        const TreeNode* base = nullptr;
        const TreeNode* peak = nullptr;
        const TreeNode* growth = nullptr;
    };

    // A shape whose rate over the run passes input_limits::kMaxRate: every quantity derived from it (requests,
    // shard requests, latencies) would stop being finite. Returns false when it did.
    bool checkShapePeak(ReadContext& context, const ShapePlaces& places, const std::string& path,
        const RateShapeConfig& shape, double duration)
    {
        const double limit = std::log10(input_limits::kMaxRate);
        const double reached = log10PeakRate(shape, duration);
        if (!(reached > limit))
            return true;
        const double growth = log10Growth(shape.growth, duration);
        if (places.growth && growth > 0 && reached - growth <= limit) {
            context.error(*places.growth, path + ".growth",
                fmt::format("{} over {} multiplies the rate by {}, so it reaches {} by the end of the run; more than "
                            "{}",
                    places.growth->scalar, units::formatDuration(duration),
                    growth < 15 ? units::formatCount(std::pow(10.0, growth)) : fmt::format("10^{:.0f}", growth),
                    formatLog10Rate(reached), kRateLimit));
        } else if (places.peak) {
            context.error(*places.peak, path + ".peak",
                fmt::format("{} times the base of {} peaks at {}{}; more than {}", places.peak->scalar,
                    units::formatCount(shape.base) + "/s", formatLog10Rate(reached - growth),
                    growth > 0 ? fmt::format(" before growth, {} by the end of the run", formatLog10Rate(reached)) : "",
                    kRateLimit));
        } else {
            // A default peak, or points with no growth of their own to blame.
            const TreeNode& at = places.base ? *places.base : *places.shape;
            context.error(at, places.base ? path + ".base" : path,
                fmt::format("the rate reaches {} by the end of the run; more than {}", formatLog10Rate(reached),
                    kRateLimit));
        }
        return false;
    }

    void readPoints(ReadContext& context, const TreeNode& node, const std::string& path, RateShapeConfig& out)
    {
        if (!node.isSequence() || node.children.empty()) {
            context.error(node, path,
                "expected a list of [time, rate] points like [[0s, 10K/s], [1h, 50K/s]], got " + node.describe());
            return;
        }
        if (node.children.size() > input_limits::kMaxRatePoints) {
            context.error(node, path,
                fmt::format(
                    "lists {} points; at most {} are supported", node.children.size(), input_limits::kMaxRatePoints));
            return;
        }
        for (std::size_t i = 0; i < node.children.size(); ++i) {
            const TreeNode& item = node.children[i];
            const std::string itemPath = fmt::format("{}[{}]", path, i);
            const TreeNode* at = nullptr;
            const TreeNode* rate = nullptr;
            std::optional<MapReader> map;
            if (item.isSequence() && item.children.size() == 2) {
                at = &item.children[0];
                rate = &item.children[1];
            } else if (item.isMap()) {
                map.emplace(context, &item, itemPath, std::vector<std::string> { "at", "rate" });
                at = map->require("at");
                rate = map->require("rate");
                map->finish();
            } else {
                context.error(item, itemPath,
                    "expected a point like [1h, 50K/s] or { at: 1h, rate: 50K/s }, got " + item.describe());
                continue;
            }
            if (!at || !rate)
                continue;
            auto time = readDuration(context, *at, itemPath + ".at", 0, input_limits::kMaxDuration);
            auto value = readRate(context, *rate, itemPath + ".rate", 0, input_limits::kMaxRate);
            if (!time || !value)
                continue;
            if (!out.points.empty() && *time <= out.points.back().at) {
                context.error(*at, itemPath + ".at",
                    fmt::format("times must increase: {} is not after {}", at->scalar,
                        units::formatDuration(out.points.back().at)));
                continue;
            }
            out.points.push_back({ *time, *value });
        }
    }

    // Returns false when the shape could not be read or its rate passes the limit over the run.
    bool readShape(ReadContext& context, const TreeNode& node, const std::string& path, const ScenarioConfig& scenario,
        const ReadState& state, RateShapeConfig& out)
    {
        if (node.isScalar()) {
            // `rate: 50K/s`
            auto base = readRate(context, node, path, 0, input_limits::kMaxRate);
            if (base)
                out.base = *base;
            return base.has_value();
        }
        const std::size_t errorsBefore = context.errorCount();
        ShapePlaces places;
        places.shape = &node;
        MapReader map(context, &node, path,
            { "shape", "base", "peak", "at", "ramp", "hold", "decay", "peak_hour", "points", "growth" });
        if (!map.present())
            return false;
        if (const TreeNode* value = map.get("shape")) {
            auto kind = readChoice(context, *value, map.pathOf("shape"), kRateShapeNames.list(), "rate shape");
            if (!kind) {
                // The other keys cannot be judged without a shape; only flag the unknown ones.
                for (const char* key :
                    { "base", "peak", "at", "ramp", "hold", "decay", "peak_hour", "points", "growth" })
                    map.get(key);
                map.finish();
                return false;
            }
            out.kind = static_cast<RateShapeKind>(*kind);
        }
        const std::string shapeName = fmt::format("shape '{}'", kRateShapeNames.name(out.kind));
        if (out.kind != RateShapeKind::Points) {
            if (const TreeNode* value = map.require("base", "requests/s, e.g. base: 50K/s")) {
                places.base = value;
                if (auto base = readRate(context, *value, map.pathOf("base"), 0, input_limits::kMaxRate))
                    out.base = *base;
            }
        }
        if (out.kind == RateShapeKind::Diurnal || out.kind == RateShapeKind::Double11) {
            out.peak = out.kind == RateShapeKind::Diurnal ? 2 : 10;
            if (const TreeNode* value = map.get("peak")) {
                places.peak = value;
                if (auto peak = readMultiplier(context, *value, map.pathOf("peak"), 1, input_limits::kMaxFactor))
                    out.peak = *peak;
            }
        }
        if (out.kind == RateShapeKind::Diurnal) {
            if (const TreeNode* value = map.get("peak_hour")) {
                if (auto hour = readNumber(context, *value, map.pathOf("peak_hour"), 0, 24))
                    out.peakHour = *hour;
            }
        }
        if (out.kind == RateShapeKind::Double11) {
            const double end = state.durationKnown ? scenario.duration : input_limits::kMaxDuration;
            if (const TreeNode* value = map.get("at")) {
                if (auto at = readDuration(context, *value, map.pathOf("at"), 0, end,
                        state.durationKnown ? "the scenario's duration" : ""))
                    out.at = *at;
            }
            for (auto [key, field] : { std::pair { "ramp", &out.ramp }, std::pair { "hold", &out.hold },
                     std::pair { "decay", &out.decay } }) {
                if (const TreeNode* value = map.get(key)) {
                    if (auto seconds = readDuration(context, *value, map.pathOf(key), 0, input_limits::kMaxDuration))
                        *field = *seconds;
                }
            }
        }
        if (out.kind == RateShapeKind::Points) {
            if (const TreeNode* value = map.require("points", "e.g. points: [[0s, 10K/s], [1h, 50K/s]]"))
                readPoints(context, *value, map.pathOf("points"), out);
        }
        if (const TreeNode* value = map.get("growth")) {
            places.growth = value;
            if (auto growth = readGrowth(context, *value, map.pathOf("growth")))
                out.growth = *growth;
        }
        map.finish(shapeName);
        if (context.errorCount() != errorsBefore)
            return false;
        return !state.durationKnown || checkShapePeak(context, places, path, out, scenario.duration);
    }

    void readRateSection(ReadContext& context, const TreeNode& node, const std::string& path,
        const ScenarioConfig& scenario, const ReadState& state, std::vector<RateShapeConfig>& out)
    {
        if (!node.isSequence()) {
            out.emplace_back();
            readShape(context, node, path, scenario, state, out.back());
            return;
        }
        if (node.children.empty() || node.children.size() > input_limits::kMaxRateShapes) {
            context.error(node, path,
                fmt::format(
                    "expected 1 to {} stacked shapes, got {}", input_limits::kMaxRateShapes, node.children.size()));
            return;
        }
        bool clean = true;
        for (std::size_t i = 0; i < node.children.size(); ++i) {
            out.emplace_back();
            clean = readShape(context, node.children[i], fmt::format("{}[{}]", path, i), scenario, state, out.back())
                && clean;
        }
        if (!clean || !state.durationKnown)
            return;
        // Each shape within the limit, their sum may still pass it.
        const double total = log10TotalPeakRate(out, scenario.duration);
        if (total > std::log10(input_limits::kMaxRate))
            context.error(node, path,
                fmt::format("the stacked shapes reach {} together by the end of the run; more than {}",
                    formatLog10Rate(total), kRateLimit));
    }

    const char* const kTraceWithDatabases
        = "a trace replay and business databases (data.databases) cannot be combined yet";

    // Returns the `file:` of a trace whose file exists, to be checked against the mix once it is read.
    // `presetLaw`: `out` holds a preset's law, which a mapping without `distribution` adjusts (`keys: { theta: 1.2 }`).
    const TreeNode* readKeys(ReadContext& context, const TreeNode& node, const std::string& path,
        const ReadState& state, KeyDistributionConfig& out, bool presetLaw = false)
    {
        if (node.isScalar()) {
            if (auto kind = readChoice(context, node, path, kKeyDistributionNames.list(), "key distribution"))
                out.kind = static_cast<KeyDistributionKind>(*kind);
            if (out.kind == KeyDistributionKind::Trace && state.databasesDeclared)
                context.error(node, path, kTraceWithDatabases);
            else if (out.kind == KeyDistributionKind::Trace || out.kind == KeyDistributionKind::Sample)
                context.error(node, path,
                    fmt::format("{} needs a file: {{ distribution: {}, file: {}.csv }}", node.scalar, node.scalar,
                        node.scalar));
            else if (out.kind == KeyDistributionKind::Recent)
                context.error(node, path,
                    "recent needs its share and newest keys: { distribution: recent, window: 7d, share: 70% }");
            return nullptr;
        }
        MapReader map(context, &node, path,
            { "distribution", "theta", "hot_fraction", "hot_ops", "at", "drift", "file", "window", "keys", "share" });
        if (!map.present())
            return nullptr;
        const TreeNode* kindNode
            = presetLaw ? map.get("distribution") : map.require("distribution", "e.g. distribution: zipf");
        const auto kind = kindNode ? readChoice(context, *kindNode, map.pathOf("distribution"),
                              kKeyDistributionNames.list(), "key distribution")
            : presetLaw            ? std::optional<std::size_t>(static_cast<std::size_t>(out.kind))
                                   : std::nullopt;
        if (!kind) {
            // The other keys cannot be judged without a distribution; only flag the unknown ones.
            for (const char* key :
                { "theta", "hot_fraction", "hot_ops", "at", "drift", "file", "window", "keys", "share" })
                map.get(key);
            map.finish();
            return nullptr;
        }
        out.kind = static_cast<KeyDistributionKind>(*kind);
        if (out.kind == KeyDistributionKind::Trace && state.databasesDeclared) {
            // The file is not worth checking against a mix that cannot replay it.
            context.error(*kindNode, map.pathOf("distribution"), kTraceWithDatabases);
            map.get("file");
            map.finish("distribution 'trace'");
            return nullptr;
        }
        const TreeNode* traceFile = nullptr;
        const std::string name = fmt::format("distribution '{}'", kKeyDistributionNames.name(out.kind));
        switch (out.kind) {
        case KeyDistributionKind::Zipf:
        case KeyDistributionKind::ScrambledZipf:
        case KeyDistributionKind::Latest:
            if (const TreeNode* value = map.get("theta")) {
                auto theta = readNumber(context, *value, map.pathOf("theta"), 0, 10);
                if (theta && *theta <= 0)
                    context.error(*value, map.pathOf("theta"), "must be greater than 0 (got " + value->scalar + ")");
                else if (theta)
                    out.theta = *theta;
            }
            break;
        case KeyDistributionKind::Hotspot: {
            const TreeNode* fractionNode = map.get("hot_fraction");
            if (fractionNode) {
                auto fraction = readFraction(context, *fractionNode, map.pathOf("hot_fraction"), 0, 1);
                if (fraction && *fraction <= 0)
                    context.error(*fractionNode, map.pathOf("hot_fraction"),
                        "must be greater than 0 (got " + fractionNode->scalar + ")");
                else if (fraction)
                    out.hotFraction = *fraction;
            }
            if (const TreeNode* value = map.get("hot_ops")) {
                if (auto ops = readFraction(context, *value, map.pathOf("hot_ops"), 0, 1))
                    out.hotOps = *ops;
            }
            if (const TreeNode* value = map.get("at")) {
                const std::string atPath = map.pathOf("at");
                if (value->isSequence() && value->children.size() == 2) {
                    auto begin = readFraction(context, value->children[0], atPath + "[0]", 0, 1);
                    auto end = readFraction(context, value->children[1], atPath + "[1]", 0, 1);
                    if (begin && end && *begin >= *end) {
                        context.error(*value, atPath, "the hot range must start before it ends");
                    } else if (begin && end) {
                        out.hotAt = HotspotPosition::Range;
                        out.hotBegin = *begin;
                        out.hotEnd = *end;
                        if (fractionNode && std::fabs(out.hotFraction - (*end - *begin)) > 1e-9)
                            context.error(*fractionNode, map.pathOf("hot_fraction"),
                                "contradicts the range in 'at'; give one of them");
                        out.hotFraction = *end - *begin;
                    }
                } else if (value->isSequence()) {
                    context.error(*value, atPath, "a hot range is two fractions like [40%, 45%]");
                } else if (auto position = readChoice(context, *value, atPath, kHotPositions, "hot spot position")) {
                    out.hotAt = static_cast<HotspotPosition>(*position);
                }
            }
            if (const TreeNode* value = map.get("drift")) {
                if (auto drift = readFractionRate(context, *value, map.pathOf("drift")))
                    out.drift = *drift;
            }
            break;
        }
        case KeyDistributionKind::Recent: {
            if (const TreeNode* value = map.require("share", "the fraction of requests on the newest keys, e.g. 70%")) {
                if (auto share = readFraction(context, *value, map.pathOf("share"), 0, 1))
                    out.share = *share;
            }
            const TreeNode* window = map.get("window");
            const TreeNode* keys = map.get("keys");
            if (window && keys) {
                context.error(*keys, map.pathOf("keys"), "contradicts 'window'; give the newest keys one way");
            } else if (window) {
                if (auto seconds = readDuration(context, *window, map.pathOf("window"), 1, 1e10))
                    out.window = *seconds;
            } else if (keys) {
                if (auto count = readCount(context, *keys, map.pathOf("keys"), 1, int64_t(1) << 53))
                    out.windowKeys = static_cast<double>(*count);
            } else {
                context.error(node, path,
                    "recent needs its newest keys: the last `window` of inserts (window: 7d) or a count (keys: 10M)");
            }
            break;
        }
        case KeyDistributionKind::Trace:
        case KeyDistributionKind::Sample:
            if (const TreeNode* value = map.require("file",
                    out.kind == KeyDistributionKind::Trace ? "a CSV of time,op,key rows"
                                                           : "a CSV of key,weight rows")) {
                auto file = readText(context, *value, map.pathOf("file"));
                if (file && file->empty()) {
                    context.error(*value, map.pathOf("file"), "must name a file");
                } else if (file) {
                    namespace fs = std::filesystem;
                    fs::path resolved(*file);
                    if (resolved.is_relative() && !state.baseDirectory.empty())
                        resolved = fs::path(state.baseDirectory) / resolved;
                    std::error_code error;
                    out.file = *file;
                    out.resolvedFile = resolved.string();
                    if (!fs::exists(resolved, error)) {
                        context.error(*value, map.pathOf("file"), "no such file: " + resolved.string());
                    } else if (const std::string problem = inputFileProblem(out.resolvedFile); !problem.empty()) {
                        context.error(*value, map.pathOf("file"), resolved.string() + " " + problem);
                    } else if (out.kind == KeyDistributionKind::Trace) {
                        traceFile = value;
                    } else if (auto keys = workload::readSampleFile(out.resolvedFile); !keys) {
                        // The message names the CSV's own line; the scenario's line is the `file:` that names it.
                        context.error(*value, map.pathOf("file"), keys.error());
                    }
                }
            }
            break;
        default:
            break;
        }
        map.finish(name);
        return traceFile;
    }

    const workload::WorkloadPreset* readPreset(ReadContext& context, const TreeNode& node, const std::string& path)
    {
        std::vector<std::string> names;
        for (const workload::WorkloadPreset& preset : workload::workloadPresets())
            names.emplace_back(preset.name);
        const auto index = readChoice(context, node, path, names, "workload preset");
        return index ? &workload::workloadPresets()[*index] : nullptr;
    }

    // The preset's operations on the first table, by its key; a scan reads the rows after a key, as YCSB's does.
    std::vector<OperationConfig> presetMix(const workload::WorkloadPreset& preset, const TableConfig& table)
    {
        std::vector<OperationConfig> mix;
        for (const workload::PresetOperation& step : preset.mix) {
            OperationConfig op;
            op.name = std::string(step.name);
            op.kind = step.kind;
            op.tables = { table.name };
            op.weight = step.weight;
            op.limit = step.limit;
            if (step.kind == OperationKind::Scan)
                op.by = table.effectiveShardKey();
            mix.push_back(std::move(op));
        }
        return mix;
    }

    void readGeo(ReadContext& context, const TreeNode& node, const std::string& path, const ScenarioConfig& scenario,
        const ReadState& state, std::vector<GeoShare>& out)
    {
        if (!node.isMap() || node.children.empty()) {
            context.error(node, path,
                "expected a mapping of region to share like { east: 0.6, north: 40% }, got " + node.describe());
            return;
        }
        std::vector<std::string> regions;
        for (const auto& region : scenario.cluster.regions)
            regions.push_back(region.name);
        if (regions.empty() && state.regionsKnown) {
            context.error(node, path, "the cluster has no regions; add cluster.regions to use geo");
            return;
        }
        bool clean = true;
        double sum = 0;
        for (const auto& entry : node.children) {
            const std::string entryPath = path + "." + entry.key;
            GeoShare share;
            share.region = entry.key;
            if (state.regionsKnown && std::find(regions.begin(), regions.end(), entry.key) == regions.end()) {
                context.errorAtKey(entry, path,
                    fmt::format("'{}' is not a cluster region{}", entry.key, didYouMean(entry.key, regions)));
                clean = false;
                continue;
            }
            const TreeNode* shareNode = &entry;
            std::optional<MapReader> map;
            if (entry.isMap()) {
                map.emplace(context, &entry, entryPath, std::vector<std::string> { "share", "shift" });
                shareNode = map->require("share");
                if (const TreeNode* value = map->get("shift")) {
                    if (auto shift = readDuration(context, *value, map->pathOf("shift"), 0, 86'400))
                        share.shift = *shift;
                }
                map->finish();
            }
            auto fraction = shareNode ? readFraction(context, *shareNode, entryPath, 0, 1) : std::nullopt;
            if (!fraction) {
                clean = false;
                continue;
            }
            share.share = *fraction;
            sum += *fraction;
            out.push_back(share);
        }
        if (clean && std::fabs(sum - 1) > 1e-6)
            context.error(node, path, fmt::format("the shares add up to {:.6g}; they must add up to 1 (100%)", sum));
    }

    // A trace's rows carry every operation's keys as recorded: an operation's own law would draw none.
    void rejectOperationLaws(ReadContext& context, const TreeNode& mix, const std::vector<OperationConfig>& ops)
    {
        for (std::size_t i = 0; i < ops.size() && i < mix.children.size(); ++i) {
            const TreeNode* law = ops[i].keyLaw ? mix.children[i].find("key_distribution") : nullptr;
            if (law)
                context.error(*law, fmt::format("workload.mix[{}].key_distribution", i),
                    "workload.keys replays a trace, which records the keys of every operation; an operation's own "
                    "law would never be used");
        }
    }

} // namespace

void checkRecentWindow(ReadContext& context, const TreeNode& law, const std::string& path,
    const KeyDistributionConfig& keys, const ScenarioConfig& scenario, const std::string& table)
{
    if (keys.kind != KeyDistributionKind::Recent || !(keys.window > 0))
        return;
    // The keys are those of the table the rows are bound to (data.tables[].bound_to), up to one with its own.
    const TableConfig* root = scenario.data.findTable(table);
    for (std::size_t hops = 0; root && !root->boundTo.empty() && hops < scenario.data.tables.size(); ++hops) {
        const TableConfig* parent = scenario.data.findTable(root->boundTo);
        if (!parent)
            break;
        root = parent;
    }
    if (!root || root->growth > 0)
        return;
    const TreeNode* window = law.isMap() ? law.find("window") : nullptr;
    context.error(window ? *window : law, path + ".window",
        fmt::format("table '{}' has no growth, so its last {} of inserts hold no keys; give it a growth "
                    "(data.tables[].growth: 1M/day) or the newest keys as a count (keys: 10M)",
            root->name, window ? window->scalar : std::string("window")));
}

const TreeNode* readKeyDistribution(ReadContext& context, const TreeNode& node, const std::string& path,
    const ReadState& state, KeyDistributionConfig& out)
{
    return readKeys(context, node, path, state, out);
}

void readWorkload(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario, WorkloadConfig& out,
    const ReadState& state)
{
    MapReader map(context, node, "workload", { "preset", "rate", "keys", "geo", "mix", "cost" });
    const workload::WorkloadPreset* preset = nullptr;
    if (const TreeNode* value = map.get("preset")) {
        if ((preset = readPreset(context, *value, map.pathOf("preset")))) {
            out.preset = std::string(preset->name);
            out.keys = preset->keys;
        }
    }
    if (const TreeNode* value = map.get("cost")) {
        MapReader cost(context, value, map.pathOf("cost"), { "per_request", "per_row" });
        if (const TreeNode* field = cost.get("per_request")) {
            if (auto units = readNumber(context, *field, cost.pathOf("per_request"), 0, 1e6))
                out.cost.perRequest = *units;
        }
        if (const TreeNode* field = cost.get("per_row")) {
            if (auto units = readNumber(context, *field, cost.pathOf("per_row"), 0, 1e6))
                out.cost.perRow = *units;
        }
        cost.finish();
    }
    if (const TreeNode* value = map.require("rate", "e.g. rate: 50K/s"))
        readRateSection(context, *value, map.pathOf("rate"), scenario, state, out.rate);
    const TreeNode* traceFile = nullptr;
    const TreeNode* keysNode = map.get("keys");
    out.keyless = keysNode && isKeylessLaw(*keysNode);
    if (keysNode && !out.keyless)
        traceFile = readKeys(context, *keysNode, map.pathOf("keys"), state, out.keys, preset != nullptr);
    if (const TreeNode* value = map.get("geo"))
        readGeo(context, *value, map.pathOf("geo"), scenario, state, out.geo);
    const std::size_t errorsBeforeMix = context.errorCount();
    if (const TreeNode* value = map.get("mix")) {
        readMix(context, *value, scenario, out.mix, state);
        if (out.keys.kind == KeyDistributionKind::Trace)
            rejectOperationLaws(context, *value, out.mix);
    } else if (preset && !scenario.data.tables.empty()) {
        out.mix = presetMix(*preset, scenario.data.tables.front());
    } else if (!scenario.data.tables.empty()) {
        OperationConfig get;
        get.name = "get";
        get.kind = OperationKind::Point;
        get.tables = { scenario.data.tables.front().name };
        get.by = scenario.data.tables.front().key;
        out.mix.push_back(std::move(get));
    }
    // workload.keys draws the keys of every operation without its own law (an insert draws none): each such table
    // needs its inserts.
    for (const OperationConfig& op : out.mix) {
        if (keysNode && !op.keyLaw && op.kind != OperationKind::Insert && !op.tables.empty()
            && context.errorCount() == errorsBeforeMix)
            checkRecentWindow(context, *keysNode, "workload.keys", out.keys, scenario, op.tables.front());
    }
    if (out.keyless && context.errorCount() == errorsBeforeMix)
        checkKeylessRecords(context, *keysNode, map.get("mix"), scenario, out.mix, state);
    // A trace's rows name operations of the mix, so it is checked after the mix, and only a mix read cleanly.
    if (traceFile && context.errorCount() == errorsBeforeMix) {
        if (auto trace = workload::checkTraceFile(out.keys.resolvedFile, out.mix); !trace)
            context.error(*traceFile, "workload.keys.file", trace.error());
    }
    map.finish();
}

} // namespace shardsim::scenario
