#pragma once
// The run commands as actions shared by the Run menu, the toolbar and their shortcuts: Run/Continue,
// Pause, Step, Stop and the speed. Enabled and labelled from the controller's state and whether the
// current text can run.

#include <QObject>

#include <functional>
#include <memory>

#include "workers/run_controller.h"

class QAction;
class QActionGroup;
class QComboBox;
class QMenu;
class QToolBar;
class QWidget;

namespace shardsim::ui {

class AppSettings;

class RunActions : public QObject {
    Q_OBJECT
public:
    // The scenario to run, or null when the current text is not valid.
    using ScenarioSource = std::function<std::shared_ptr<const ScenarioConfig>()>;

    RunActions(RunController* controller, AppSettings* settings, ScenarioSource scenario, QWidget* parent);

    void addTo(QMenu* menu, QToolBar* toolBar);
    // Starts a run of the current scenario; false when there is none that can run.
    bool start();
    // Re-reads the controller's state and the scenario's validity.
    void update();
    void setSpeed(double speed); // simulated s per wall-clock s; 0 = full speed

    QAction* runAction() const { return m_run; }
    QAction* stepAction() const { return m_step; }

private:
    RunController* m_controller;
    AppSettings* m_settings;
    ScenarioSource m_scenario;
    QAction* m_run;
    QAction* m_pause;
    QAction* m_step;
    QAction* m_stop;
    QActionGroup* m_speeds;
    QComboBox* m_speedBox;
};

} // namespace shardsim::ui
