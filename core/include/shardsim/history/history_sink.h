#pragma once
// Records a run into the run history as it happens.
//
// Node ticks are staged in a table private to the connection (SQLite's temp database, spilled to a
// temporary file, so memory stays small), the cluster series (at most 2,000 windows) in memory, and
// onFinish moves the run, with its heat map and an auto-range run's range windows (the result's, at most
// 2,000), into the history in one short transaction. A long run
// therefore never holds the history's write lock, and a run that never reaches onFinish — killed,
// crashed, cancelled without finish(), or its sink destroyed — leaves the history exactly as it was.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "shardsim/engine/metrics_sink.h"
#include "shardsim/history/run_history.h"
#include "shardsim/metrics/tick_windows.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

// Node ticks stored per run are capped: a day of 1 s ticks on 1,024 nodes would be 88 M rows. The history stores the
// run's windows (shardsim/metrics/tick_windows.h): node rows of historyTickStride() ticks, at most kMaxNodeWindows
// per run (about 19 MB on disk), and the cluster series in windows of historyClusterTickStride() ticks, at most
// kMaxClusterWindows (a day of 1 s ticks stores 2,000 rows, not 86,400).
inline constexpr int64_t kHistoryMaxStoredTicks = kMaxWindowsPerNode;
inline constexpr int64_t kHistoryMaxStoredNodeTicks = kMaxNodeWindows;
inline constexpr int64_t kHistoryMaxStoredClusterTicks = kMaxClusterWindows;

// windowLayout(ticks, nodes).nodeTicks: 1 while every tick fits.
int64_t historyTickStride(int64_t ticks, int64_t nodes);
// windowLayout(ticks, ...).clusterTicks: 1 up to 2,000 ticks.
int64_t historyClusterTickStride(int64_t ticks);

class HistorySink : public MetricsSink {
public:
    // The text stored as the run's summary, normally summaryJson(result).dump().
    using Summariser = std::function<std::string(const RunResult&)>;

    // Keeps a reference to history, which must outlive the sink and stay where it is (not be moved from).
    // The scenario's source text, file name and overrides are copied now.
    HistorySink(RunHistory& history, const ScenarioConfig& scenario, Summariser summarise);
    ~HistorySink() override;
    HistorySink(const HistorySink&) = delete;
    HistorySink& operator=(const HistorySink&) = delete;

    void onStart(const RunStart& start) override;
    void onTick(int64_t tick, const ClusterTick& cluster, std::span<const NodeTick> nodes) override;
    void onFinish(const RunResult& result) override;
    bool wantsNodeLatencyEveryTick() const override { return false; } // stores node windows only

    // The stored run's id once onFinish has committed it.
    std::optional<int64_t> runId() const { return m_runId; }
    // Why the run was not stored, empty otherwise. A sink never stops a run: it records the first
    // failure, stops writing and lets the caller report it.
    const std::string& error() const { return m_error; }

private:
    struct Staging;

    void stageWindow();
    void stageClusterTick(int64_t tick, const ClusterTick& cluster);
    void setError(const std::string& message);
    Result<int64_t> commitRun(const RunResult& result);

    RunHistory& m_history;
    std::string m_scenarioText;
    std::string m_scenarioFile;
    std::vector<std::string> m_overrides;
    double m_nodeMaxQps = 0; // requests/s; cluster.node.max_qps
    Summariser m_summarise;
    std::unique_ptr<Staging> m_staging; // set between onStart and onFinish
    std::optional<int64_t> m_runId;
    std::string m_error;
};

} // namespace shardsim
