#include "workers/simulation_worker.h"

#include <QTimer>

#include <cmath>

#include "shardsim/report/non_finite.h"
#include "shardsim/report/summary_json.h"

namespace shardsim::ui {

namespace {
    // Ticks are stepped for at most this long before the worker looks at its queue again, so a
    // pause or a speed change takes effect within a frame or two.
    constexpr qint64 kSliceMs = 20;
    // At most ten snapshots a second: more would only make the GUI thread busier, not the views better.
    constexpr qint64 kPublishIntervalMs = 100;
}

SimulationWorker::SimulationWorker(
    std::shared_ptr<const ScenarioConfig> config, uint64_t generation, RunFactory factory, WorkerSettings settings)
    : m_config(std::move(config))
    , m_generation(generation)
    , m_factory(std::move(factory))
    , m_settings(std::move(settings))
{
}

// The run refers to the sinks, so it goes first.
SimulationWorker::~SimulationWorker()
{
    m_run.reset();
    m_historySink.reset();
}

void SimulationWorker::start()
{
    const ScenarioConfig& config = *m_config;
    m_collector = std::make_unique<RunCollector>(
        config.tickCount(), config.tick, config.cluster.node.maxQps, config.cluster.nodes);
    RunOptions options;
    options.cancel = &m_interrupt;
    options.sinks.push_back(m_collector.get());
    if (!m_settings.historyPath.empty()) {
        auto history = RunHistory::open(m_settings.historyPath);
        if (history) {
            m_history.emplace(std::move(history.value()));
            m_historySink = std::make_unique<HistorySink>(
                *m_history, config, [](const RunResult& result) { return summaryJson(result).dump(); });
            options.sinks.push_back(m_historySink.get());
        } else {
            m_historyError = QString::fromStdString(history.error());
        }
    }
    auto run = m_factory ? m_factory(config, std::move(options))
                         : Result<std::unique_ptr<SteppedRun>>(shardsim::fail("no simulator"));
    if (!run) {
        fail(QString::fromStdString(run.error()));
        return;
    }
    m_run = std::move(run.value());
    m_phase = m_settings.startPaused ? RunPhase::Paused : RunPhase::Running;
    m_sinceLastPublish.start();
    if (m_phase == RunPhase::Running) {
        m_runningClock.start();
        restartPacing();
        scheduleChunk(0);
    }
    publish(true);
}

void SimulationWorker::restartPacing()
{
    m_paceClock.start();
    m_paceStartTick = m_run ? m_run->tick() : 0;
}

void SimulationWorker::pause()
{
    if (m_phase != RunPhase::Running)
        return;
    m_phase = RunPhase::Paused;
    m_runningSeconds += static_cast<double>(m_runningClock.elapsed()) / 1000.0;
    publish(true);
}

void SimulationWorker::resume()
{
    if (m_phase != RunPhase::Paused)
        return;
    m_phase = RunPhase::Running;
    m_runningClock.start();
    restartPacing();
    scheduleChunk(0);
    publish(true);
}

void SimulationWorker::stepOnce()
{
    if (m_phase == RunPhase::Running)
        pause();
    if (m_phase != RunPhase::Paused)
        return;
    ++m_pendingSteps;
    scheduleChunk(0);
}

void SimulationWorker::setSpeed(double speed)
{
    m_settings.speed = std::max(0.0, speed);
    restartPacing();
}

void SimulationWorker::setChartRequest(int width, int selectedNode)
{
    m_settings.charts = ChartRequest { width, selectedNode };
    // A running simulation republishes soon anyway; anything else needs the new charts now.
    if (m_phase != RunPhase::Running)
        publish(true);
}

void SimulationWorker::scheduleChunk(int delayMs)
{
    if (m_chunkScheduled)
        return;
    m_chunkScheduled = true;
    QTimer::singleShot(delayMs, this, [this] {
        m_chunkScheduled = false;
        runChunk();
    });
}

void SimulationWorker::runChunk()
{
    if (m_abandon.load() || !m_run)
        return;
    if (m_stop.load()) {
        endRun(true);
        return;
    }
    if (m_phase == RunPhase::Paused && m_pendingSteps > 0) {
        --m_pendingSteps;
        if (!m_run->step()) {
            endStepping();
            return;
        }
        publish(true);
        if (m_pendingSteps > 0)
            scheduleChunk(0);
        return;
    }
    if (m_phase != RunPhase::Running)
        return;

    QElapsedTimer slice;
    slice.start();
    while (slice.elapsed() < kSliceMs) {
        if (m_settings.speed > 0) {
            // Paced: only the ticks whose simulated time has come.
            const double simulated = static_cast<double>(m_paceClock.elapsed()) / 1000.0 * m_settings.speed;
            const auto due = m_paceStartTick + static_cast<int64_t>(std::floor(simulated / m_config->tick)) + 1;
            if (m_run->tick() >= due) {
                const double wait
                    = (static_cast<double>(m_run->tick() + 1 - m_paceStartTick) * m_config->tick / m_settings.speed)
                        * 1000.0
                    - static_cast<double>(m_paceClock.elapsed());
                publish(false);
                scheduleChunk(static_cast<int>(std::clamp(wait, 1.0, 100.0)));
                return;
            }
        }
        if (m_abandon.load())
            return;
        if (m_stop.load()) {
            endRun(true);
            return;
        }
        if (!m_run->step()) {
            endStepping();
            return;
        }
    }
    publish(false);
    scheduleChunk(0);
}

void SimulationWorker::endStepping()
{
    // step() also says false when the cancel flag cut a tick short.
    if (m_abandon.load())
        return;
    endRun(m_stop.load());
}

void SimulationWorker::endRun(bool stopped)
{
    if (m_phase == RunPhase::Running)
        m_runningSeconds += static_cast<double>(m_runningClock.elapsed()) / 1000.0;
    // finish() notifies the sinks: the collector keeps the result, the history stores the run.
    m_run->finish();
    m_phase = stopped ? RunPhase::Cancelled : RunPhase::Finished;
    // The CLI's last line of defence too: a result holding NaN or an infinity is an error, never a success.
    if (const RunResult* result = m_collector ? m_collector->result() : nullptr) {
        if (auto metric = firstNonFiniteMetric(*result)) {
            m_phase = RunPhase::Failed;
            m_error = QString::fromStdString(nonFiniteMessage(*metric));
        }
    }
    m_run.reset();
    publish(true);
}

void SimulationWorker::fail(const QString& message)
{
    m_phase = RunPhase::Failed;
    m_error = message;
    publish(true);
}

void SimulationWorker::publish(bool force)
{
    if (m_abandon.load())
        return;
    if (!force && m_sinceLastPublish.isValid() && m_sinceLastPublish.elapsed() < kPublishIntervalMs)
        return;
    m_sinceLastPublish.start();
    std::shared_ptr<RunSnapshot> snapshot = m_collector ? m_collector->snapshot() : std::make_shared<RunSnapshot>();
    snapshot->generation = m_generation;
    snapshot->phase = m_phase;
    snapshot->error = m_error;
    if (!m_historyError.isEmpty())
        snapshot->error = tr("Not recorded in the run history: %1").arg(m_historyError);
    else if (m_historySink && !m_historySink->error().empty())
        snapshot->error = tr("Not recorded in the run history: %1").arg(QString::fromStdString(m_historySink->error()));
    snapshot->scenario = m_config->name;
    if (snapshot->tickCount == 0)
        snapshot->tickCount = m_config->tickCount();
    double running = m_runningSeconds;
    if (m_phase == RunPhase::Running)
        running += static_cast<double>(m_runningClock.elapsed()) / 1000.0;
    snapshot->elapsedSeconds = running;
    const int64_t remaining = snapshot->tickCount - snapshot->ticksDone;
    if (m_phase == RunPhase::Running && snapshot->ticksDone > 0 && running > 0.2) {
        const double perTick = running / static_cast<double>(snapshot->ticksDone);
        const double paced = m_settings.speed > 0 ? m_config->tick / m_settings.speed : 0.0;
        snapshot->etaSeconds = static_cast<double>(remaining) * std::max(perTick, paced);
    }
    if (m_historySink && m_historySink->runId())
        snapshot->historyRunId = *m_historySink->runId();
    snapshot->charts = std::make_shared<const ChartData>(buildCharts(*snapshot, m_settings.charts));
    emit snapshotReady(std::move(snapshot));
}

} // namespace shardsim::ui
