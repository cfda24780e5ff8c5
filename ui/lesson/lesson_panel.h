#pragma once
// Lesson mode: the scenario's `lesson:` steps, one at a time, with Back and Next. Entering a step raises
// its view and moves the time slider to its moment; when the run has not got there yet, the scenario
// is run and the slider stops there as soon as the tick exists.

#include <QWidget>

#include <functional>
#include <optional>
#include <vector>

#include "shardsim/scenario/lesson_config.h"

class QLabel;
class QPushButton;
class QTextBrowser;

namespace shardsim::ui {

class ViewContext;

struct LessonHooks {
    std::function<bool(const QString& view)> showView; // false for a view this version does not have
    std::function<bool()> startRun; // runs the scenario; false when it cannot run
    std::function<bool()> runActive; // a run is under way (running or paused)
};

class LessonPanel : public QWidget {
    Q_OBJECT
public:
    LessonPanel(ViewContext* context, LessonHooks hooks, QWidget* parent = nullptr);

    int stepCount() const { return static_cast<int>(m_steps.size()); }
    int currentStep() const { return m_current; } // -1 without a lesson
    const std::vector<LessonStep>& steps() const { return m_steps; }
    std::optional<int64_t> pendingTick() const { return m_pendingTick; }

    void goTo(int step);
    void next() { goTo(m_current + 1); }
    void back() { goTo(m_current - 1); }

signals:
    // The scenario brought a different lesson (or none): the window shows or hides the panel.
    void lessonChanged(bool hasLesson);
    void stepChanged(int step);

private:
    void readLesson();
    void applyPendingTick();
    void update();

    ViewContext* m_context;
    LessonHooks m_hooks;
    std::vector<LessonStep> m_steps;
    double m_tickSeconds = 1;
    int64_t m_lastTick = 0;
    int m_current = -1;
    std::optional<int64_t> m_pendingTick;
    QLabel* m_title;
    QTextBrowser* m_text;
    QLabel* m_note;
    QPushButton* m_back;
    QPushButton* m_next;
};

} // namespace shardsim::ui
