#pragma once
// The run in the status bar: what it is doing, how far it got, and when it will be done.

#include <QWidget>

#include "workers/run_controller.h"

class QLabel;
class QProgressBar;
class QToolButton;

namespace shardsim::ui {

class RunStatus : public QWidget {
    Q_OBJECT
public:
    RunStatus(RunController* controller, QWidget* parent = nullptr);
    QProgressBar* progress() const { return m_progress; }
    QString text() const;

private:
    void showSnapshot(const RunSnapshotPtr& snapshot);
    void showState(RunController::State state);

    RunController* m_controller;
    QLabel* m_state;
    QProgressBar* m_progress;
    QLabel* m_eta;
    QToolButton* m_cancel;
};

} // namespace shardsim::ui
