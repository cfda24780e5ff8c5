#include "workers/run_controller.h"

#include "models/history_snapshot.h"
#include "workers/simulation_worker.h"

namespace shardsim::ui {

RunController::RunController(QObject* parent)
    : QObject(parent)
    , m_factory(engineRunFactory())
{
    qRegisterMetaType<RunSnapshotPtr>();
    m_announceLater.setSingleShot(true);
    m_announceLater.setTimerType(Qt::PreciseTimer);
    connect(&m_announceLater, &QTimer::timeout, this, [this] { announce(false); });
    m_thread.setObjectName(QStringLiteral("simulation"));
    m_threadContext = new QObject();
    m_threadContext->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_threadContext, &QObject::deleteLater);
    m_thread.start();
}

RunController::~RunController()
{
    abandon();
    m_thread.quit();
    m_thread.wait();
}

template <typename Call> void RunController::post(Call call)
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker.data(), std::move(call), Qt::QueuedConnection);
}

void RunController::start(std::shared_ptr<const ScenarioConfig> config, bool paused)
{
    abandon();
    m_snapshotFromHistory = false;
    ++m_generation;
    WorkerSettings settings;
    settings.speed = m_speed;
    settings.startPaused = paused;
    settings.historyPath = m_historyPath.toStdString();
    settings.charts = m_chartRequest;
    auto* worker = new SimulationWorker(std::move(config), m_generation, m_factory, settings);
    worker->moveToThread(&m_thread);
    connect(worker, &SimulationWorker::snapshotReady, this, &RunController::receive, Qt::QueuedConnection);
    m_worker = worker;
    setState(paused ? State::Paused : State::Running);
    post([worker] { worker->start(); });
}

void RunController::pause()
{
    if (m_state != State::Running)
        return;
    setState(State::Paused);
    post([worker = m_worker.data()] { worker->pause(); });
}

void RunController::resume()
{
    if (m_state != State::Paused)
        return;
    setState(State::Running);
    post([worker = m_worker.data()] { worker->resume(); });
}

void RunController::step()
{
    if (!isActive())
        return;
    setState(State::Paused);
    post([worker = m_worker.data()] { worker->stepOnce(); });
}

void RunController::stop()
{
    if (!isActive() || !m_worker)
        return;
    // Set directly, not queued: the engine sees it inside the tick it is in, even in the middle of a slice.
    m_worker->requestStop();
    post([worker = m_worker.data()] { worker->resume(); });
}

void RunController::abandon()
{
    if (m_worker) {
        m_worker->abandon();
        m_worker->deleteLater(); // runs in the worker thread, after whatever it is doing now
        m_worker = nullptr;
    }
    ++m_generation;
    m_snapshot.reset();
    m_announceLater.stop();
    m_snapshotFromHistory = false;
    if (isActive())
        setState(State::Idle);
}

void RunController::reopenFromHistory(const QString& historyPath, qint64 runId)
{
    abandon();
    const uint64_t generation = m_generation;
    const ChartRequest charts = m_chartRequest;
    QPointer<RunController> self(this);
    QMetaObject::invokeMethod(
        m_threadContext,
        [self, path = historyPath.toStdString(), runId, charts, generation] {
            // A connection of this thread's own: RunHistory is used from one thread at a time.
            auto history = RunHistory::openReadOnly(path);
            Result<ReopenedRun> run = history ? reopenRun(*history, runId, charts, generation) : fail(history.error());
            QMetaObject::invokeMethod(
                self.data(),
                [self, run = std::move(run), generation] {
                    if (!self || generation != self->m_generation)
                        return;
                    if (!run) {
                        emit self->reopenFailed(QString::fromStdString(run.error()));
                        return;
                    }
                    self->m_snapshot = run->snapshot;
                    self->m_snapshotFromHistory = true;
                    self->setState(State::Finished);
                    emit self->reopened(run->scenarioText, run->displayName);
                    self->announce(true);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void RunController::rebuildStaticCharts()
{
    if (!m_snapshot)
        return;
    const uint64_t generation = m_generation;
    QPointer<RunController> self(this);
    QMetaObject::invokeMethod(
        m_threadContext,
        [self, snapshot = m_snapshot, charts = m_chartRequest, generation] {
            auto copy = std::make_shared<RunSnapshot>(*snapshot);
            copy->charts = std::make_shared<const ChartData>(buildCharts(*copy, charts));
            QMetaObject::invokeMethod(
                self.data(),
                [self, copy, generation] {
                    if (!self || generation != self->m_generation)
                        return;
                    self->m_snapshot = copy;
                    self->announce(true);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void RunController::setSpeed(double speed)
{
    m_speed = speed;
    post([worker = m_worker.data(), speed] { worker->setSpeed(speed); });
}

void RunController::setChartRequest(const ChartRequest& request)
{
    if (request.width == m_chartRequest.width && request.selectedNode == m_chartRequest.selectedNode)
        return;
    m_chartRequest = request;
    if (m_snapshotFromHistory)
        rebuildStaticCharts();
    post([worker = m_worker.data(), request] { worker->setChartRequest(request.width, request.selectedNode); });
}

void RunController::receive(const RunSnapshotPtr& snapshot)
{
    if (!snapshot || snapshot->generation != m_generation)
        return;
    m_snapshot = snapshot;
    switch (snapshot->phase) {
    case RunPhase::Running:
        if (m_state == State::Paused)
            break; // a snapshot from before the pause request reached the worker
        setState(State::Running);
        break;
    case RunPhase::Paused:
        if (m_state != State::Running)
            setState(State::Paused);
        break;
    case RunPhase::Finished:
        setState(State::Finished);
        break;
    case RunPhase::Cancelled:
        setState(State::Stopped);
        break;
    case RunPhase::Failed:
        setState(State::Failed);
        break;
    }
    announce(snapshot->phase != RunPhase::Running);
}

void RunController::announce(bool now)
{
    if (!m_snapshot)
        return;
    const qint64 since = m_sinceAnnounced.isValid() ? m_sinceAnnounced.elapsed() : kAnnounceIntervalMs;
    if (!now && since < kAnnounceIntervalMs) {
        // Timers may fire a little early; the check above holds the interval whatever they do.
        if (!m_announceLater.isActive())
            m_announceLater.start(static_cast<int>(kAnnounceIntervalMs - since));
        return;
    }
    m_announceLater.stop();
    emit snapshotChanged(m_snapshot);
    // Counted from when the views are done: however long they took to redraw, the loop then has the interval free.
    m_sinceAnnounced.start();
}

void RunController::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace shardsim::ui
