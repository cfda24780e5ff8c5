#include "commands/run_actions.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QMenu>
#include <QStyle>
#include <QToolBar>
#include <QWidget>

#include "app_settings.h"

namespace shardsim::ui {

namespace {
    struct Speed {
        double value; // simulated s per wall-clock s; 0 = as fast as possible
        const char* label;
    };
    // From watching every tick to as fast as the simulator goes.
    constexpr Speed kSpeeds[] = {
        { 0, QT_TRANSLATE_NOOP("shardsim::ui::RunActions", "Full speed") },
        { 86400, QT_TRANSLATE_NOOP("shardsim::ui::RunActions", "1 day per second") },
        { 3600, QT_TRANSLATE_NOOP("shardsim::ui::RunActions", "1 hour per second") },
        { 600, QT_TRANSLATE_NOOP("shardsim::ui::RunActions", "10 minutes per second") },
        { 60, QT_TRANSLATE_NOOP("shardsim::ui::RunActions", "1 minute per second") },
        { 1, QT_TRANSLATE_NOOP("shardsim::ui::RunActions", "Real time") },
    };
}

RunActions::RunActions(RunController* controller, AppSettings* settings, ScenarioSource scenario, QWidget* parent)
    : QObject(parent)
    , m_controller(controller)
    , m_settings(settings)
    , m_scenario(std::move(scenario))
    , m_run(new QAction(parent->style()->standardIcon(QStyle::SP_MediaPlay), tr("&Run"), this))
    , m_pause(new QAction(parent->style()->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), this))
    , m_step(new QAction(parent->style()->standardIcon(QStyle::SP_MediaSeekForward), tr("&Step"), this))
    , m_stop(new QAction(parent->style()->standardIcon(QStyle::SP_MediaStop), tr("S&top"), this))
    , m_speeds(new QActionGroup(this))
    , m_speedBox(new QComboBox(parent))
{
    m_run->setShortcut(Qt::Key_F5);
    m_run->setToolTip(tr("Run the scenario, or continue a paused run (F5)"));
    m_pause->setShortcut(Qt::Key_F6);
    m_pause->setToolTip(tr("Hold the run where it is (F6)"));
    m_step->setShortcut(Qt::Key_F10);
    m_step->setToolTip(tr("Simulate one tick (F10)"));
    m_stop->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_stop->setToolTip(tr("Stop the run and keep what was simulated so far (Shift+F5)"));
    connect(m_run, &QAction::triggered, this, [this] {
        if (m_controller->state() == RunController::State::Paused)
            m_controller->resume();
        else
            start();
    });
    connect(m_pause, &QAction::triggered, m_controller, &RunController::pause);
    connect(m_step, &QAction::triggered, this, [this] {
        if (!m_controller->isActive()) {
            auto config = m_scenario();
            if (!config)
                return;
            m_controller->start(std::move(config), true);
        }
        m_controller->step();
    });
    connect(m_stop, &QAction::triggered, m_controller, &RunController::stop);
    connect(m_controller, &RunController::stateChanged, this, &RunActions::update);

    m_speedBox->setObjectName(QStringLiteral("speed"));
    m_speedBox->setToolTip(tr("How fast simulated time passes"));
    for (const Speed& speed : kSpeeds) {
        auto* action = new QAction(tr(speed.label), m_speeds);
        action->setCheckable(true);
        action->setData(speed.value);
        m_speedBox->addItem(tr(speed.label), speed.value);
        connect(action, &QAction::triggered, this, [this, value = speed.value] { setSpeed(value); });
    }
    connect(m_speedBox, &QComboBox::activated, this,
        [this](int index) { setSpeed(m_speedBox->itemData(index).toDouble()); });
    setSpeed(m_settings->runSpeed());
    update();
}

void RunActions::addTo(QMenu* menu, QToolBar* toolBar)
{
    menu->addActions({ m_run, m_pause, m_step, m_stop });
    menu->addSeparator();
    menu->addMenu(tr("Sp&eed"))->addActions(m_speeds->actions());
    toolBar->addActions({ m_run, m_pause, m_step, m_stop });
    toolBar->addSeparator();
    toolBar->addWidget(m_speedBox);
}

bool RunActions::start()
{
    auto config = m_scenario();
    if (!config)
        return false;
    m_controller->start(std::move(config));
    return true;
}

void RunActions::setSpeed(double speed)
{
    // Settings from another version may hold a speed that is no longer offered: take the nearest below.
    int index = 0;
    for (int i = 0; i < m_speedBox->count(); ++i)
        if (m_speedBox->itemData(i).toDouble() == speed)
            index = i;
    speed = m_speedBox->itemData(index).toDouble();
    m_speedBox->setCurrentIndex(index);
    m_speeds->actions().at(index)->setChecked(true);
    m_controller->setSpeed(speed);
    m_settings->setRunSpeed(speed);
}

void RunActions::update()
{
    const RunController::State state = m_controller->state();
    const bool runnable = m_scenario() != nullptr;
    const bool active = m_controller->isActive();
    m_run->setEnabled((runnable && state != RunController::State::Running) || state == RunController::State::Paused);
    m_run->setText(state == RunController::State::Paused ? tr("&Continue") : tr("&Run"));
    m_pause->setEnabled(state == RunController::State::Running);
    m_step->setEnabled(runnable || active);
    m_stop->setEnabled(active);
}

} // namespace shardsim::ui
