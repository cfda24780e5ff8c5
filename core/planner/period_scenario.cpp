#include "period_scenario.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "shardsim/workload/harmonic.h"
#include "shardsim/workload/rate_curve.h"
#include "shardsim/workload/sample_keys.h"

namespace shardsim::planner {

namespace {

    constexpr double kYear = 365.0 * 86'400;
    constexpr int kPeakSearchPoints = 100'000;

    // Moves a shape's clock so that old time `offset` is new time 0, and grows its rates by `factor`.
    void shiftShape(RateShapeConfig& shape, double offset, double factor)
    {
        shape.base *= factor;
        for (RatePoint& point : shape.points) {
            point.at -= offset;
            point.rate *= factor;
        }
        switch (shape.kind) {
        case RateShapeKind::Diurnal: {
            double hour = std::fmod(shape.peakHour - offset / 3'600, 24.0);
            shape.peakHour = hour < 0 ? hour + 24 : hour;
            break;
        }
        case RateShapeKind::Double11: {
            // The engine's shape starts at time >= 0, so a window that starts after the ramp began (the window
            // never starts inside a ramp, see findPeakWindow) restarts the shape at its current phase.
            if (offset <= shape.at) {
                shape.at -= offset;
                break;
            }
            const double decayStart = shape.at + shape.ramp + shape.hold;
            if (offset > decayStart && shape.decay > 0)
                shape.peak = 1 + (shape.peak - 1) * std::exp(-(offset - decayStart) / shape.decay);
            else if (offset > decayStart)
                shape.peak = 1;
            shape.hold = std::max(0.0, decayStart - offset);
            shape.at = 0;
            shape.ramp = 0;
            break;
        }
        case RateShapeKind::Constant:
        case RateShapeKind::Points:
            break;
        }
    }

} // namespace

PeakWindow findPeakWindow(const ScenarioConfig& scenario, int ticks)
{
    PeakWindow window;
    const double tick = scenario.tick;
    window.length = std::min(scenario.duration, tick * std::max(ticks, 1));
    auto curve = workload::RateCurve::fromConfig(scenario.workload.rate);
    if (!curve || window.length >= scenario.duration)
        return window;
    // Every tick (strided for long runs), plus the ticks holding the corners of the shapes where a peak can sit
    // between samples: a double-11 plateau, the points of a points shape, a diurnal peak hour.
    const int64_t tickCount = scenario.tickCount();
    const int64_t stride = std::max<int64_t>(1, tickCount / kPeakSearchPoints);
    std::vector<double> candidates;
    for (int64_t t = 0; t < tickCount; t += stride)
        candidates.push_back(double(t) * tick);
    for (const RateShapeConfig& shape : scenario.workload.rate) {
        if (shape.kind == RateShapeKind::Double11)
            candidates.push_back(shape.at + shape.ramp);
        for (const RatePoint& point : shape.points)
            candidates.push_back(point.at);
        if (shape.kind == RateShapeKind::Diurnal)
            for (double day = 0; day < scenario.duration; day += 86'400)
                candidates.push_back(day + shape.peakHour * 3'600);
    }
    // The peak is a tick, as the engine sees it: the one with the most expected requests (a growing rate is highest
    // at the last instant of a plateau, whose tick may already be decaying).
    double best = -1;
    for (double t : candidates) {
        if (t < 0 || t >= scenario.duration)
            continue;
        const double start = std::floor(t / tick) * tick;
        const double end = std::min(start + tick, scenario.duration);
        const double rate = curve->expectedRequests(start, end) / (end - start);
        if (rate > best) {
            best = rate;
            window.peakTime = start;
        }
    }
    // Ticks start on the scenario's tick grid; the peak sits in the window's middle when there is room.
    const double half = std::floor(std::max(ticks, 1) / 2.0) * tick;
    const double latest = std::max(0.0, scenario.duration - window.length);
    window.start = std::clamp(std::floor((window.peakTime - half) / tick) * tick, 0.0, latest);
    // Never inside a double-11 ramp: back to the ramp's start when the peak still fits, else from the top.
    for (const RateShapeConfig& shape : scenario.workload.rate) {
        if (shape.kind != RateShapeKind::Double11 || window.start <= shape.at || window.start >= shape.at + shape.ramp)
            continue;
        const double rampStart = std::floor(shape.at / tick) * tick;
        if (window.peakTime < rampStart + window.length)
            window.start = rampStart;
        else
            window.start = std::ceil((shape.at + shape.ramp) / tick) * tick;
    }
    return window;
}

ScenarioConfig plannedScenario(const ScenarioConfig& scenario)
{
    ScenarioConfig out = scenario;
    out.events.clear();
    out.expect.clear();
    out.plan.reset();
    out.sharding.placement = PlacementConfig {};
    // One pool of nodes: regions and the requests' origins are not planned (CapacityPlan::notes says so).
    out.cluster.regions.clear();
    out.workload.geo.clear();
    return out;
}

ScenarioConfig grownScenario(const ScenarioConfig& scenario, double periodTime)
{
    ScenarioConfig out = plannedScenario(scenario);
    if (periodTime <= 0)
        return out;
    for (RateShapeConfig& shape : out.workload.rate)
        shiftShape(shape, 0, std::pow(1.0 + shape.growth, periodTime / kYear));
    for (TableConfig& table : out.data.tables)
        table.rows = static_cast<int64_t>(std::min(double(table.rows) + table.growth * periodTime, 1e15));
    return out;
}

namespace {

    // A recent law's window as the count of keys it holds, taken before the period's tables stop growing: the
    // keys inserted during the window at the insert rate of the table the law reads (workload.keys: the first).
    void holdRecentWindow(KeyDistributionConfig& keys, const TableConfig* table)
    {
        if (keys.kind == KeyDistributionKind::Recent && keys.window > 0 && !(keys.windowKeys > 0) && table)
            keys.windowKeys = keys.window * table->growth;
    }

} // namespace

ScenarioConfig periodScenario(const ScenarioConfig& scenario, double periodTime, const PeakWindow& window)
{
    ScenarioConfig out = plannedScenario(scenario);
    const double offset = window.start;
    for (RateShapeConfig& shape : out.workload.rate)
        shiftShape(shape, offset, std::pow(1.0 + shape.growth, (periodTime + offset) / kYear));
    // The rows at the end of the period's whole run (where `run` measures storage and rows per table), held still
    // inside the window: a growing table would make the expected engine rebuild its shard shares every tick, and
    // a run's growth is a rounding error beside a period's.
    holdRecentWindow(out.workload.keys, out.data.tables.empty() ? nullptr : &out.data.tables.front());
    for (OperationConfig& op : out.workload.mix) {
        if (op.keyLaw)
            holdRecentWindow(*op.keyLaw, op.tables.empty() ? nullptr : out.data.findTable(op.tables.front()));
    }
    for (TableConfig& table : out.data.tables) {
        const double grown = double(table.rows) + table.growth * (periodTime + std::max(scenario.duration, offset + window.length));
        table.rows = static_cast<int64_t>(std::min(grown, 1e15));
        table.growth = 0;
    }
    out.duration = window.length;
    return out;
}

std::string unplannableReason(const ScenarioConfig& scenario)
{
    if (scenario.workload.keys.kind == KeyDistributionKind::Trace)
        return "a trace replays recorded times and keys; the planner needs a key distribution it can grow";
    if (!scenario.data.databases.empty())
        return "the planner sizes one pool of nodes, and data.databases splits the cluster into business databases; "
               "plan one business database at a time (shardsim-cli plan FILE --database NAME)";
    return {};
}

PeakWindow fromScenarioStart(PeakWindow window)
{
    window.length += window.start;
    window.start = 0;
    return window;
}

std::string hottestKeyText(const KeyDistributionConfig& keys, uint64_t keyCount)
{
    if (keyCount == 0)
        return "";
    const auto key = [](uint64_t k) { return "key " + std::to_string(k); };
    switch (keys.kind) {
    case KeyDistributionKind::Zipf:
        return key(1);
    case KeyDistributionKind::Latest:
        return key(keyCount);
    case KeyDistributionKind::Hotspot: {
        if (keys.hotAt == HotspotPosition::Random)
            return "";
        const double n = double(keyCount);
        const double fraction = keys.hotAt == HotspotPosition::Range ? keys.hotEnd - keys.hotBegin : keys.hotFraction;
        const auto hot = static_cast<uint64_t>(std::max(1.0, std::floor(fraction * n)));
        if (keys.hotOps / double(hot) < (1 - keys.hotOps) / std::max(1.0, n - double(hot)))
            return ""; // the cold keys are the hotter ones
        uint64_t first = 1;
        if (keys.hotAt == HotspotPosition::End)
            first = keyCount - hot + 1;
        else if (keys.hotAt == HotspotPosition::Range)
            first = 1 + static_cast<uint64_t>(std::floor(keys.hotBegin * n));
        return hot == 1 ? key(first)
                        : fmt::format("keys {}..{}", std::to_string(first), std::to_string(first + hot - 1));
    }
    case KeyDistributionKind::Sample: {
        auto sampled = workload::readSampleFile(keys.resolvedFile.empty() ? keys.file : keys.resolvedFile);
        if (!sampled)
            return "";
        const workload::WeightedKey* heaviest = nullptr;
        for (const workload::WeightedKey& each : *sampled)
            if (each.key <= keyCount && (!heaviest || each.weight > heaviest->weight))
                heaviest = &each;
        return heaviest ? key(heaviest->key) : "";
    }
    default:
        return "";
    }
}

uint64_t keySpace(const ScenarioConfig& scenario)
{
    int64_t rows = 1;
    for (const TableConfig& table : scenario.data.tables)
        rows = std::max(rows, table.rows);
    return static_cast<uint64_t>(rows);
}

double hottestKeyShare(const KeyDistributionConfig& keys, uint64_t keyCount)
{
    if (keyCount == 0)
        return 0;
    const double n = double(keyCount);
    switch (keys.kind) {
    case KeyDistributionKind::Uniform:
        return 1 / n;
    case KeyDistributionKind::Zipf:
    case KeyDistributionKind::ScrambledZipf:
    case KeyDistributionKind::Latest:
        return 1 / workload::harmonicNumber(keyCount, keys.theta);
    case KeyDistributionKind::Hotspot: {
        const double fraction
            = keys.hotAt == HotspotPosition::Range ? keys.hotEnd - keys.hotBegin : keys.hotFraction;
        const double hot = std::max(1.0, std::floor(fraction * n));
        const double cold = n - hot;
        return std::max(keys.hotOps / hot, cold > 0 ? (1 - keys.hotOps) / cold : 0.0);
    }
    case KeyDistributionKind::Sample: {
        // The heaviest key that exists (key <= n) over the weight of all that exist; none: uniform.
        auto sampled = workload::readSampleFile(keys.resolvedFile.empty() ? keys.file : keys.resolvedFile);
        if (!sampled)
            return 0;
        double total = 0;
        double heaviest = 0;
        for (const workload::WeightedKey& key : *sampled) {
            if (key.key > keyCount)
                break; // ascending
            total += key.weight;
            heaviest = std::max(heaviest, key.weight);
        }
        return total > 0 ? heaviest / total : 1 / n;
    }
    case KeyDistributionKind::Recent: {
        // A key among the newest; a window given as time and no count yet is read as the whole table (the least).
        const double recent = keys.windowKeys > 0 ? std::clamp(std::floor(keys.windowKeys), 1.0, n) : n;
        return keys.share / recent + (1 - keys.share) / n;
    }
    case KeyDistributionKind::Trace:
        return 0;
    }
    return 0;
}

double keyedRequestShare(const ScenarioConfig& scenario)
{
    const auto& mix = scenario.workload.mix;
    if (mix.empty())
        return 1; // the default mix: one point read by the key
    double total = 0;
    double keyed = 0;
    for (const OperationConfig& op : mix) {
        total += op.weight;
        const TableConfig* table = op.tables.empty() ? nullptr : scenario.data.findTable(op.tables.front());
        const std::string shardKey = table ? table->effectiveShardKey() : std::string();
        const bool byKey = op.by.empty() ? (op.kind == OperationKind::Point || op.kind == OperationKind::Transaction)
                                         : op.by == shardKey;
        if (!byKey)
            continue;
        if (op.kind == OperationKind::Point || op.kind == OperationKind::Transaction)
            keyed += op.weight * double(op.keys);
        else if (op.kind == OperationKind::Page)
            keyed += op.weight;
    }
    return total > 0 ? keyed / total : 0;
}

double peakRate(const ScenarioConfig& period)
{
    auto curve = workload::RateCurve::fromConfig(period.workload.rate);
    if (!curve)
        return 0;
    double best = 0;
    for (int64_t t = 0; t < period.tickCount(); ++t)
        best = std::max(best, curve->expectedRequests(double(t) * period.tick, double(t + 1) * period.tick) / period.tick);
    return best;
}

} // namespace shardsim::planner
