#pragma once
// The GUI thread's handle on runs: starts each in the worker thread, forwards Run/Pause/Step/Stop and
// the speed, and passes on the snapshots of the current run only. Every start bumps a generation
// counter; snapshots still in flight from an earlier run carry the old generation and are dropped.
// It is also the one place that paces the views: while a run streams, snapshotChanged fires at most ten times a
// second (the newest snapshot wins); a pause, a step, the end or a reopened run is announced at once.

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include "charts/chart_builder.h"
#include "workers/run_snapshot.h"
#include "workers/stepped_run.h"

namespace shardsim::ui {

class SimulationWorker;

class RunController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused, Finished, Stopped, Failed };
    Q_ENUM(State)

    explicit RunController(QObject* parent = nullptr);
    ~RunController() override;

    void setRunFactory(RunFactory factory) { m_factory = std::move(factory); }
    // The run history new runs are recorded into; empty records nothing.
    void setHistoryPath(const QString& path) { m_historyPath = path; }
    // Simulated seconds per wall-clock second; 0 runs as fast as possible.
    void setSpeed(double speed);
    double speed() const { return m_speed; }
    void setChartRequest(const ChartRequest& request);

    // Abandons any current run and starts `config`; paused runs wait for resume() or step().
    void start(std::shared_ptr<const ScenarioConfig> config, bool paused = false);
    void pause();
    void resume();
    void step(); // one tick; pauses a running simulation first
    void stop(); // ends the run, keeping the ticks done so far
    void abandon(); // drops the run and its results (a new file was opened)
    // Reads a stored run from the history in the worker thread and shows it as a finished run;
    // `reopened` brings its scenario text, `reopenFailed` the reason it could not be read.
    void reopenFromHistory(const QString& historyPath, qint64 runId);

    State state() const { return m_state; }
    bool isActive() const { return m_state == State::Running || m_state == State::Paused; }
    RunSnapshotPtr snapshot() const { return m_snapshot; }
    uint64_t generation() const { return m_generation; }

    // The shortest time from the end of one announcement of a streaming run (the views have redrawn) to the start
    // of the next: ten redraws a second at most.
    static constexpr int kAnnounceIntervalMs = 100;

signals:
    void snapshotChanged(shardsim::ui::RunSnapshotPtr snapshot);
    void stateChanged(shardsim::ui::RunController::State state);
    void reopened(const QString& scenarioText, const QString& displayName);
    void reopenFailed(const QString& message);

private:
    void receive(const RunSnapshotPtr& snapshot);
    // Emits snapshotChanged for m_snapshot now when `now` or the interval has passed, else once it has.
    void announce(bool now);
    void setState(State state);
    template <typename Call> void post(Call call);

    void rebuildStaticCharts();

    QThread m_thread;
    QObject* m_threadContext = nullptr; // lives in m_thread: one-off jobs run in its event loop
    bool m_snapshotFromHistory = false; // no worker behind the snapshot: charts are rebuilt by a job
    QPointer<SimulationWorker> m_worker;
    RunFactory m_factory;
    QString m_historyPath;
    double m_speed = 0;
    ChartRequest m_chartRequest;
    uint64_t m_generation = 0;
    State m_state = State::Idle;
    RunSnapshotPtr m_snapshot;
    QElapsedTimer m_sinceAnnounced;
    QTimer m_announceLater; // single shot: the newest snapshot of a streaming run, when its interval is over
};

} // namespace shardsim::ui
