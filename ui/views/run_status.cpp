#include "views/run_status.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

#include "charts/chart_style.h"

namespace shardsim::ui {

RunStatus::RunStatus(RunController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_state(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_eta(new QLabel(this))
    , m_cancel(new QToolButton(this))
{
    setObjectName(QStringLiteral("runStatus"));
    m_progress->setRange(0, 1000);
    m_progress->setFixedWidth(180);
    m_progress->setTextVisible(true);
    m_progress->setFormat(QStringLiteral("%p%"));
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    m_cancel->setToolTip(tr("Stop the run and keep what was simulated so far"));
    m_cancel->setAutoRaise(true);
    m_eta->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("about 00m 00s left")));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_state);
    layout->addWidget(m_progress);
    layout->addWidget(m_eta);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, controller, &RunController::stop);
    connect(controller, &RunController::snapshotChanged, this, &RunStatus::showSnapshot);
    connect(controller, &RunController::stateChanged, this, &RunStatus::showState);
    showState(controller->state());
}

QString RunStatus::text() const { return m_state->text() + QLatin1Char(' ') + m_eta->text(); }

void RunStatus::showState(RunController::State state)
{
    const bool active = state == RunController::State::Running || state == RunController::State::Paused;
    m_progress->setVisible(state != RunController::State::Idle);
    m_cancel->setVisible(active);
    m_eta->setVisible(active);
    switch (state) {
    case RunController::State::Idle:
        m_state->setText(tr("Ready"));
        m_progress->setValue(0);
        break;
    case RunController::State::Running:
        m_state->setText(tr("Running"));
        break;
    case RunController::State::Paused:
        m_state->setText(tr("Paused"));
        break;
    case RunController::State::Finished:
        m_state->setText(tr("Finished"));
        m_progress->setValue(m_progress->maximum());
        break;
    case RunController::State::Stopped:
        m_state->setText(tr("Stopped"));
        break;
    case RunController::State::Failed:
        m_state->setText(tr("Failed"));
        break;
    }
}

void RunStatus::showSnapshot(const RunSnapshotPtr& snapshot)
{
    if (!snapshot)
        return;
    const double fraction = snapshot->tickCount > 0
        ? static_cast<double>(snapshot->ticksDone) / static_cast<double>(snapshot->tickCount)
        : 0.0;
    m_progress->setValue(static_cast<int>(fraction * m_progress->maximum()));
    m_progress->setToolTip(tr("%1 of %2 ticks").arg(snapshot->ticksDone).arg(snapshot->tickCount));
    if (snapshot->phase == RunPhase::Running && snapshot->etaSeconds >= 0)
        m_eta->setText(tr("about %1 left").arg(formatTime(snapshot->etaSeconds)));
    else if (snapshot->phase == RunPhase::Paused)
        m_eta->setText(tr("at tick %1").arg(snapshot->ticksDone));
    else
        m_eta->clear();
    if (snapshot->phase == RunPhase::Failed)
        m_state->setText(tr("Failed: %1").arg(snapshot->error));
}

} // namespace shardsim::ui
