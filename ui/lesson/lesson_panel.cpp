#include "lesson_panel.h"

#include <QHBoxLayout>

#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>

#include "views/view_context.h"
#include "workers/run_snapshot.h"

namespace shardsim::ui {

namespace {
    bool sameSteps(const std::vector<LessonStep>& a, const std::vector<LessonStep>& b)
    {
        return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const LessonStep& x, const LessonStep& y) {
            return x.text == y.text && x.view == y.view && x.at == y.at && x.tick == y.tick;
        });
    }
}

LessonPanel::LessonPanel(ViewContext* context, LessonHooks hooks, QWidget* parent)
    : QWidget(parent)
    , m_context(context)
    , m_hooks(std::move(hooks))
    , m_title(new QLabel(this))
    , m_text(new QTextBrowser(this))
    , m_note(new QLabel(this))
    , m_back(new QPushButton(tr("◀ &Back"), this))
    , m_next(new QPushButton(tr("&Next ▶"), this))
{
    setObjectName(QStringLiteral("lessonPanel"));
    m_title->setObjectName(QStringLiteral("lessonTitle"));
    m_text->setObjectName(QStringLiteral("lessonText"));
    m_back->setObjectName(QStringLiteral("lessonBack"));
    m_next->setObjectName(QStringLiteral("lessonNext"));
    m_note->setObjectName(QStringLiteral("lessonNote"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_note->setWordWrap(true);
    m_text->setOpenLinks(false);
    QFont textFont = m_text->font();
    textFont.setPointSizeF(textFont.pointSizeF() * 1.15);
    m_text->setFont(textFont);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addStretch();
    buttons->addWidget(m_next);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_note);
    layout->addLayout(buttons);

    connect(m_back, &QPushButton::clicked, this, &LessonPanel::back);
    connect(m_next, &QPushButton::clicked, this, &LessonPanel::next);
    connect(m_context, &ViewContext::scenarioChanged, this, &LessonPanel::readLesson);
    // Queued: the context moves a live run's slider to the newest tick right after it announces a snapshot.
    connect(m_context, &ViewContext::snapshotChanged, this, &LessonPanel::applyPendingTick, Qt::QueuedConnection);
    update();
    readLesson();
}

void LessonPanel::readLesson()
{
    const auto scenario = m_context->scenario();
    if (!scenario)
        return; // a scenario being edited keeps its lesson until it is valid again
    m_tickSeconds = scenario->tick;
    m_lastTick = std::max<int64_t>(0, scenario->tickCount() - 1);
    if (sameSteps(scenario->lesson, m_steps))
        return;
    m_steps = scenario->lesson;
    m_pendingTick.reset();
    m_current = m_steps.empty() ? -1 : 0;
    update();
    emit lessonChanged(!m_steps.empty());
    if (m_current == 0)
        goTo(0);
}

void LessonPanel::goTo(int step)
{
    if (step < 0 || step >= stepCount())
        return;
    m_current = step;
    const LessonStep& current = m_steps[static_cast<size_t>(step)];
    m_note->clear();
    if (!current.view.empty() && !m_hooks.showView(QString::fromStdString(current.view)))
        m_note->setText(tr("This version has no view '%1'.").arg(QString::fromStdString(current.view)));
    m_pendingTick = current.stopTick(m_tickSeconds);
    if (m_pendingTick) // `at: 6h` in a 6 h run is its end: the last tick
        m_pendingTick = std::min(*m_pendingTick, m_lastTick);
    if (m_pendingTick) {
        const RunSnapshotPtr& snapshot = m_context->snapshot();
        const bool reached = snapshot && snapshot->ticksDone > *m_pendingTick;
        if (!reached && !m_hooks.runActive() && !m_hooks.startRun())
            m_note->setText(tr("The scenario cannot run, so the moment of this step cannot be shown."));
        applyPendingTick();
    }
    update();
    emit stepChanged(step);
}

void LessonPanel::applyPendingTick()
{
    if (!m_pendingTick)
        return;
    const RunSnapshotPtr& snapshot = m_context->snapshot();
    if (!snapshot)
        return;
    // A live run's slider follows its newest tick for as long as it sits there, so the moment is applied
    // once the run is past it (or over): only then does setting it stop the slider.
    const int64_t newest = snapshot->ticksDone - 1;
    if (newest < *m_pendingTick || (newest == *m_pendingTick && m_hooks.runActive()))
        return;
    const int64_t tick = *m_pendingTick;
    m_pendingTick.reset();
    m_context->setTick(tick);
}

void LessonPanel::update()
{
    const bool has = m_current >= 0;
    m_back->setEnabled(has && m_current > 0);
    m_next->setEnabled(has && m_current + 1 < stepCount());
    if (!has) {
        m_title->setText(tr("No lesson"));
        m_text->setPlainText(tr("This scenario has no lesson: steps. Open one from File → Examples, or add "
                                "a lesson: section (docs/scenario-format.md)."));
        return;
    }
    m_title->setText(tr("Step %1 of %2").arg(m_current + 1).arg(stepCount()));
    m_text->setPlainText(QString::fromStdString(m_steps[static_cast<size_t>(m_current)].text));
}

} // namespace shardsim::ui
