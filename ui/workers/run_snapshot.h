#pragma once
// What a run looks like at one moment, as an immutable value the GUI thread only reads. A snapshot is
// built in the worker and shared by pointer; windows that are complete are shared between snapshots,
// so publishing ten times a second copies pointers, not node series.

#include <QImage>
#include <QMetaType>
#include <QPointF>
#include <QString>
#include <QVector>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shardsim/engine/run_result.h"
#include "shardsim/rules/placement.h"

namespace shardsim::ui {

// Consecutive ticks merged into one window. Long runs have more ticks than a chart has pixels and
// 1,024 nodes times a day of ticks does not fit in memory, so the worker keeps the run's node windows
// (windowLayout in shardsim/metrics/tick_windows.h, merged as it says); with short runs a window is one tick.
struct TickWindow {
    int64_t firstTick = 0;
    int64_t ticks = 0; // ticks merged so far; the last window of a running simulation may be partial
    double time = 0; // s since the start, at the start of the window

    // Per node in node order. Nodes added by events come last, so later windows can be longer. Rates and the queue
    // are means over the window, latencies (of served requests) its worst tick, rows and bytes its last tick.
    std::vector<float> qps; // requests/s offered: served + queued + shed
    std::vector<float> servedQps; // requests/s
    std::vector<float> shedQps; // requests/s
    std::vector<float> queued; // requests waiting in the node's queue
    std::vector<float> utilization; // offered load: offered qps / max_qps; above 1 means overload
    std::vector<float> p50LatencyMs;
    std::vector<float> p95LatencyMs;
    std::vector<float> p99LatencyMs;
    std::vector<float> p999LatencyMs;
    std::vector<float> rows; // replicas included
    std::vector<float> bytes; // replicas included

    double clusterQps = 0; // requests/s offered, mean over the window
    double clusterQpsMin = 0; // the window's quietest tick
    double clusterQpsMax = 0; // the window's busiest tick
    double clusterServedQps = 0; // requests/s, mean over the window
    double clusterShedQps = 0; // requests/s, mean over the window
    double clusterQueued = 0; // requests waiting in the nodes' queues, mean over the window
    double maxUtilization = 0; // busiest node's offered load at the window's worst tick
    // Served requests' response time over all nodes (weighted by served requests), the window's worst tick.
    double clusterP50LatencyMs = 0;
    double clusterP95LatencyMs = 0;
    double clusterP99LatencyMs = 0;
    double clusterP999LatencyMs = 0;
    double maxOverMean = 1; // imbalance, the window's worst tick

    // Every per-node series `nodes` long; new entries are zero.
    void resizeNodes(size_t nodes);
    void setNode(size_t node, const NodeTick& values); // the series must hold `node`
    // A node's numbers in this window; zeros for a node the window does not have (added later).
    NodeTick node(size_t node) const;
};

// One line of a chart, already decimated to the chart's width.
struct ChartLine {
    QString name;
    int node = -1; // the node the line belongs to; -1 for totals and "others"
    QVector<QPointF> points; // x: s since the start, y: requests/s
};

// Chart-ready data built in the worker: no chart receives more points than the width it asked for.
struct ChartData {
    int width = 0; // pixels the series were decimated for
    QVector<QPointF> clusterQps; // x: s, y: requests/s offered
    QVector<QPointF> clusterServedQps; // x: s, y: requests/s
    QVector<QPointF> clusterShedQps; // x: s, y: requests/s
    QVector<QPointF> maxUtilization; // x: s, y: percent, the busiest node's offered load
    // Served requests' response time over all nodes; x: s, y: ms.
    QVector<QPointF> latencyP50;
    QVector<QPointF> latencyP95;
    QVector<QPointF> latencyP99;
    QVector<QPointF> latencyP999;
    // What one node served and shed: the selected node, or the busiest one when none is selected.
    int detailNode = -1;
    QVector<QPointF> detailServedQps; // x: s, y: requests/s
    QVector<QPointF> detailShedQps; // x: s, y: requests/s
    std::vector<ChartLine> nodeLines; // top nodes by requests, then "others" when there are more than 16
    QImage heatmap; // time (x, left to right) by key bucket (y, smallest key at the bottom)
    double heatmapMaxRate = 0; // requests/s of the brightest cell
};

enum class RunPhase { Running, Paused, Finished, Cancelled, Failed };

QString runPhaseName(RunPhase phase);

struct RunSnapshot {
    uint64_t generation = 0; // the run this snapshot belongs to; the controller drops older ones
    RunPhase phase = RunPhase::Running;
    QString error; // Failed: why, in words

    std::string scenario;
    double tickSeconds = 1; // s per tick
    int64_t tickCount = 0; // ticks the run will have
    RunClock clock; // how its moments read: the scenario's time of day, or time since the start
    int64_t ticksDone = 0;
    int64_t windowTicks = 1; // ticks per full window
    double nodeMaxQps = 0; // requests/s one node serves at 100% utilisation
    double elapsedSeconds = 0; // wall time spent running, pauses excluded
    double etaSeconds = -1; // wall time left at the current pace; -1 when unknown

    std::vector<NodeInfo> nodes; // names and regions; grows when nodes are added
    std::vector<std::shared_ptr<const TickWindow>> windows; // in time order
    std::shared_ptr<const RunResult> result; // once finished or cancelled and finished
    std::shared_ptr<const ChartData> charts;
    int64_t historyRunId = 0; // id in the run history once stored; 0 when not stored
    bool heatmapNotStored = false; // reopened from a run the history stored without its heat map (before version 2)

    // The window holding `tick`, clamped to the windows there are; -1 when there are none.
    int windowIndexOf(int64_t tick) const;
    const TickWindow* windowAt(int64_t tick) const;
    int nodeCount() const { return static_cast<int>(nodes.size()); }
    bool done() const { return phase == RunPhase::Finished || phase == RunPhase::Cancelled; }
};

using RunSnapshotPtr = std::shared_ptr<const RunSnapshot>;

} // namespace shardsim::ui

Q_DECLARE_METATYPE(shardsim::ui::RunSnapshotPtr)
