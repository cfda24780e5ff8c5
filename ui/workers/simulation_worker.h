#pragma once
// Runs one simulation in a worker thread, a slice of ticks at a time, so pause, step, speed and stop
// requests are handled between slices. Publishes immutable snapshots at most ten times a second, and
// once more whenever the run pauses, steps or ends.

#include <QElapsedTimer>
#include <QObject>

#include <atomic>
#include <memory>
#include <optional>

#include "charts/chart_builder.h"
#include "shardsim/history/history_sink.h"
#include "workers/run_collector.h"
#include "workers/stepped_run.h"

namespace shardsim::ui {

struct WorkerSettings {
    double speed = 0; // simulated s per wall-clock s; 0 runs as fast as the simulator can
    bool startPaused = false;
    std::string historyPath; // the run history to record into; empty records nothing
    ChartRequest charts;
};

class SimulationWorker : public QObject {
    Q_OBJECT
public:
    SimulationWorker(
        std::shared_ptr<const ScenarioConfig> config, uint64_t generation, RunFactory factory, WorkerSettings settings);
    ~SimulationWorker() override;

    // Thread-safe. Abandons the run within moments (the engine drops the tick it is in): nothing is finished,
    // published or recorded.
    void abandon()
    {
        m_abandon.store(true);
        m_interrupt.store(true);
    }
    // Thread-safe. Stops within moments, inside a tick if need be (that tick is not counted), and finishes with
    // the ticks done so far.
    void requestStop()
    {
        m_stop.store(true);
        m_interrupt.store(true);
    }

    // The slots below run in the worker thread (call them through queued connections).
    Q_INVOKABLE void start();
    Q_INVOKABLE void pause();
    Q_INVOKABLE void resume();
    Q_INVOKABLE void stepOnce();
    Q_INVOKABLE void setSpeed(double speed);
    Q_INVOKABLE void setChartRequest(int width, int selectedNode);

signals:
    void snapshotReady(shardsim::ui::RunSnapshotPtr snapshot);

private:
    void scheduleChunk(int delayMs);
    void runChunk();
    void endStepping(); // step() said false: the run is over, stopped or abandoned
    void endRun(bool stopped);
    void fail(const QString& message);
    void publish(bool force);
    void restartPacing();

    std::shared_ptr<const ScenarioConfig> m_config;
    uint64_t m_generation = 0;
    RunFactory m_factory;
    WorkerSettings m_settings;

    std::atomic<bool> m_abandon { false };
    std::atomic<bool> m_stop { false };
    std::atomic<bool> m_interrupt { false }; // either of the two: the engine's cancel flag, checked inside a tick
    std::unique_ptr<RunCollector> m_collector;
    std::optional<RunHistory> m_history;
    std::unique_ptr<HistorySink> m_historySink;
    std::unique_ptr<SteppedRun> m_run;
    RunPhase m_phase = RunPhase::Paused;
    QString m_error;
    QString m_historyError;
    bool m_chunkScheduled = false;
    int m_pendingSteps = 0;

    QElapsedTimer m_sinceLastPublish;
    QElapsedTimer m_paceClock; // since the speed was set or the run resumed
    int64_t m_paceStartTick = 0;
    double m_runningSeconds = 0; // wall time spent running, pauses excluded
    QElapsedTimer m_runningClock;
};

} // namespace shardsim::ui
