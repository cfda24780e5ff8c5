#include "views/playback_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

#include "charts/chart_style.h"
#include "views/view_context.h"

namespace shardsim::ui {

PlaybackBar::PlaybackBar(ViewContext* context, QWidget* parent)
    : QWidget(parent)
    , m_context(context)
    , m_slider(new QSlider(Qt::Horizontal, this))
    , m_time(new QLabel(this))
    , m_peak(new QToolButton(this))
    , m_latest(new QToolButton(this))
{
    setObjectName(QStringLiteral("playback"));
    auto* first = new QToolButton(this);
    first->setIcon(style()->standardIcon(QStyle::SP_MediaSkipBackward));
    first->setToolTip(tr("Go to the first tick"));
    m_peak->setText(tr("Peak"));
    m_peak->setObjectName(QStringLiteral("peakButton"));
    m_peak->setCheckable(true); // checked while the views show the peak
    m_peak->setToolTip(tr("Go to the busiest moment of the run"));
    m_latest->setIcon(style()->standardIcon(QStyle::SP_MediaSkipForward));
    m_latest->setToolTip(tr("Go to the newest tick and follow the run"));
    m_slider->setObjectName(QStringLiteral("timeSlider"));
    m_slider->setToolTip(tr("Simulated time shown by every view"));
    m_slider->setPageStep(10);
    m_time->setObjectName(QStringLiteral("timeLabel"));
    m_time->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("tick 000000 · 00d 00h / 00d 00h · peak")));
    m_time->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->addWidget(new QLabel(tr("Time"), this));
    layout->addWidget(first);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_latest);
    layout->addWidget(m_peak);
    layout->addWidget(m_time);

    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        if (!m_updating)
            m_context->setTick(value);
    });
    connect(first, &QToolButton::clicked, this, [this] { m_context->setTick(0); });
    connect(m_latest, &QToolButton::clicked, this, [this] {
        if (const auto& snapshot = m_context->snapshot())
            m_context->setTick(snapshot->ticksDone - 1);
    });
    connect(m_peak, &QToolButton::clicked, this, [this] {
        if (const auto& snapshot = m_context->snapshot(); snapshot && snapshot->result)
            m_context->setTick(snapshot->result->peak.tick);
        refresh(); // a click at the peak toggled the button without moving the tick
    });
    connect(context, &ViewContext::snapshotChanged, this, &PlaybackBar::refresh);
    connect(context, &ViewContext::tickChanged, this, &PlaybackBar::refresh);
    refresh();
}

void PlaybackBar::refresh()
{
    const RunSnapshotPtr& snapshot = m_context->snapshot();
    m_updating = true;
    const bool has = snapshot && snapshot->ticksDone > 0;
    setEnabled(has);
    m_slider->setRange(0, has ? static_cast<int>(std::min<int64_t>(snapshot->ticksDone - 1, INT32_MAX)) : 0);
    m_slider->setValue(static_cast<int>(std::min<int64_t>(m_context->tick(), INT32_MAX)));
    m_peak->setEnabled(has && snapshot->result);
    m_peak->setChecked(m_context->atPeak());
    if (has)
        m_time->setText(
            tr("tick %1 · %2 / %3%4")
                .arg(m_context->tick())
                .arg(formatMoment(snapshot->clock, static_cast<double>(m_context->tick()) * snapshot->tickSeconds),
                    formatMoment(snapshot->clock, static_cast<double>(snapshot->tickCount) * snapshot->tickSeconds),
                    m_context->atPeak() ? tr(" · peak") : QString()));
    else
        m_time->setText(tr("no run yet"));
    m_updating = false;
}

} // namespace shardsim::ui
