#pragma once
// Listeners of a run: the CLI's CSV writers, the run history and the GUI are all sinks of the same run.
// Called on the simulating thread, in tick order; a sink must not keep the spans past the call.

#include <optional>
#include <span>

#include "shardsim/engine/run_result.h"

namespace shardsim {

struct RunStart {
    std::string scenario;
    uint64_t seed = 0;
    EngineMode engine = EngineMode::Expected;
    int64_t ticks = 0;
    double tickSeconds = 0;
    std::optional<double> start; // s after midnight of the first tick (the scenario's `start:`); none without
    std::span<const NodeSummary> nodes; // names and regions; the numbers are still zero
    std::span<const std::string> operations = {}; // the mix's operation names, in the order onQueries reports them
};

class MetricsSink {
public:
    virtual ~MetricsSink() = default;
    virtual void onStart(const RunStart& start) { (void)start; }
    virtual void onTick(int64_t tick, const ClusterTick& cluster, std::span<const NodeTick> nodes) = 0;
    virtual void onFinish(const RunResult& result) { (void)result; }
    // Whether onTick needs the nodes' values: filling them costs a pass over every node each tick.
    virtual bool wantsNodes() const { return true; }
    // Whether onTick needs every node's latency at every tick. A sink that only merges node windows of
    // windowLayout(ticks, nodes).nodeTicks ticks with NodeWindowMerger says false: when every sink does, the engine
    // solves a node's latency once per window, at the window's highest load (NodeTick::latencySolved).
    virtual bool wantsNodeLatencyEveryTick() const { return true; }
    // After onTick: each operation's calls in the tick, in mix order.
    virtual void onQueries(int64_t tick, std::span<const QueryTick> operations)
    {
        (void)tick;
        (void)operations;
    }
};

} // namespace shardsim
