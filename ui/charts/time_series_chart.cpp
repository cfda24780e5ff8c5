#include "charts/time_series_chart.h"

#include <QEvent>
#include <QFontMetrics>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QToolTip>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <cmath>

#include "charts/chart_style.h"

namespace shardsim::ui {

namespace {
    struct TimeUnit {
        double seconds;
        const char* name;
    };

    TimeUnit timeUnitFor(double duration)
    {
        if (duration > 3 * 365 * 86400.0)
            return { 365 * 86400.0, QT_TRANSLATE_NOOP("shardsim::ui::TimeSeriesChart", "years") };
        if (duration > 3 * 86400.0)
            return { 86400.0, QT_TRANSLATE_NOOP("shardsim::ui::TimeSeriesChart", "days") };
        if (duration > 3 * 3600.0)
            return { 3600.0, QT_TRANSLATE_NOOP("shardsim::ui::TimeSeriesChart", "hours") };
        if (duration > 3 * 60.0)
            return { 60.0, QT_TRANSLATE_NOOP("shardsim::ui::TimeSeriesChart", "minutes") };
        return { 1.0, QT_TRANSLATE_NOOP("shardsim::ui::TimeSeriesChart", "seconds") };
    }

    // Seconds between time-of-day labels: the shortest round step that puts at most six steps on the axis.
    double clockStep(double duration)
    {
        static constexpr double kSteps[]
            = { 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 2 * 86400, 7 * 86400 };
        for (const double step : kSteps)
            if (duration / step <= 6)
                return step;
        return std::ceil(duration / 6 / (7 * 86400)) * 7 * 86400;
    }
}

TimeSeriesChart::TimeSeriesChart(QWidget* parent)
    : QChartView(makeChart(), parent)
    , m_time(new QValueAxis(this))
    , m_clockAxis(new QCategoryAxis(this))
    , m_left(new QValueAxis(this))
    , m_marker(new QLineSeries(this))
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    chart()->addAxis(m_time, Qt::AlignBottom);
    chart()->addAxis(m_clockAxis, Qt::AlignBottom);
    chart()->addAxis(m_left, Qt::AlignLeft);
    m_clockAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_clockAxis->setVisible(false);
    m_time->setLabelFormat(QStringLiteral("%.4g"));
    m_left->setLabelFormat(QStringLiteral("%.4g"));
    m_left->setMin(0);
    chart()->addSeries(m_marker);
    m_marker->attachAxis(m_time);
    m_marker->attachAxis(m_left);
    QPen pen(palette().color(QPalette::WindowText));
    pen.setStyle(Qt::DashLine);
    pen.setWidthF(1.0);
    m_marker->setPen(pen);
    for (QLegendMarker* marker : chart()->legend()->markers(m_marker))
        marker->setVisible(false);
    applyPalette(chart(), palette());
}

void TimeSeriesChart::setAxisTitles(const QString& leftTitle, const QString& rightTitle)
{
    m_leftTitle = leftTitle;
    if (!rightTitle.isEmpty() && !m_right) {
        m_right = new QValueAxis(this);
        m_right->setLabelFormat(QStringLiteral("%.0f"));
        chart()->addAxis(m_right, Qt::AlignRight);
        applyPalette(chart(), palette());
    }
    if (m_right) { // once made, the right axis stays; an empty title hides it
        m_right->setTitleText(rightTitle);
        m_right->setVisible(!rightTitle.isEmpty());
    }
    updateAxes();
}

void TimeSeriesChart::setDuration(double seconds, const RunClock& clock)
{
    m_duration = std::max(1e-9, seconds);
    m_clock = clock;
    updateAxes();
    updateClockAxis();
}

void TimeSeriesChart::updateClockAxis()
{
    for (const QString& label : m_clockAxis->categoriesLabels())
        m_clockAxis->remove(label);
    m_time->setVisible(!m_clock.onClock());
    m_clockAxis->setVisible(m_clock.onClock());
    // The last time of day sits on the plot's right edge: room for half of it when no right axis makes some.
    QMargins margins = chart()->margins();
    margins.setRight(m_right || !m_clock.onClock()
            ? 4
            : 4 + QFontMetrics(m_clockAxis->labelsFont()).horizontalAdvance(QStringLiteral("00:00")) / 2);
    chart()->setMargins(margins);
    if (!m_clock.onClock())
        return;
    const double step = clockStep(m_duration);
    // The first label sits on the first round time of day at or after the start: 22:00, 22:30, ... not 22:07.
    const double first = std::ceil(*m_clock.start() / step - 1e-9) * step - *m_clock.start();
    m_clockAxis->setStartValue(0);
    for (double at = first; at <= m_duration + 1e-9; at += step) {
        const QString label = QString::fromStdString(m_clock.format(at));
        if (!m_clockAxis->categoriesLabels().contains(label)) // a label names one position only
            m_clockAxis->append(label, at / m_timeDivisor);
    }
    m_clockAxis->setTitleText(tr("time of day"));
}

QStringList TimeSeriesChart::timeLabels() const
{
    if (m_clock.onClock())
        return m_clockAxis->categoriesLabels();
    QStringList labels;
    const int ticks = m_time->tickCount();
    for (int i = 0; i < ticks; ++i)
        labels << QString::asprintf(
            "%.4g", m_time->min() + (m_time->max() - m_time->min()) * i / std::max(1, ticks - 1));
    return labels;
}

void TimeSeriesChart::setRightRange(double min, double max)
{
    if (!m_right)
        return;
    m_right->setRange(min, max);
    m_right->applyNiceNumbers();
}

void TimeSeriesChart::setSeries(const std::vector<SeriesSpec>& specs)
{
    // Recreate only when the set of lines changes; otherwise replace the points in place.
    bool same = specs.size() == m_series.size();
    for (size_t i = 0; same && i < specs.size(); ++i)
        same = m_series[i]->name() == specs[i].name;
    if (!same) {
        for (QLineSeries* series : m_series) {
            chart()->removeSeries(series);
            delete series;
        }
        m_series.clear();
        for (const SeriesSpec& spec : specs) {
            auto* series = new QLineSeries();
            series->setName(spec.name);
            chart()->addSeries(series);
            series->attachAxis(m_time);
            series->attachAxis(spec.rightAxis && m_right ? m_right : m_left);
            m_series.push_back(series);
        }
    }
    double maxLeft = 0;
    for (const SeriesSpec& spec : specs)
        if (!spec.rightAxis)
            for (const QPointF& point : spec.points)
                maxLeft = std::max(maxLeft, point.y());
    m_leftMax = maxLeft > 0 ? maxLeft : 1;
    m_leftDivisor = !m_leftScaled ? 1 : m_leftMax >= 2e6 ? 1e6 : m_leftMax >= 2e3 ? 1e3 : 1;
    const double timeDivisor = timeUnitFor(m_duration).seconds;
    for (size_t i = 0; i < specs.size(); ++i) {
        const SeriesSpec& spec = specs[i];
        const double yDivisor = spec.rightAxis ? 1.0 : m_leftDivisor;
        QList<QPointF> points;
        points.reserve(spec.points.size());
        for (const QPointF& point : spec.points)
            points.append({ point.x() / timeDivisor, point.y() / yDivisor });
        QPen pen(spec.color);
        pen.setWidthF(spec.width);
        pen.setStyle(spec.style);
        m_series[i]->setPen(pen);
        m_series[i]->replace(points);
    }
    updateAxes();
}

void TimeSeriesChart::setLeftScaled(bool scaled)
{
    m_leftScaled = scaled;
    m_left->setLabelFormat(scaled ? QStringLiteral("%.4g") : QStringLiteral("%.6g")); // 10000 ms, not 1e+04
    updateAxes();
}

QString TimeSeriesChart::leftTitle() const { return m_left->titleText(); }

QStringList TimeSeriesChart::seriesNames() const
{
    QStringList names;
    for (const QLineSeries* series : m_series)
        names.append(series->name());
    return names;
}

const QLineSeries* TimeSeriesChart::series(const QString& name) const
{
    for (const QLineSeries* series : m_series)
        if (series->name() == name)
            return series;
    return nullptr;
}

void TimeSeriesChart::setMarker(double seconds)
{
    m_markerTime = seconds;
    updateAxes();
}

void TimeSeriesChart::updateAxes()
{
    const TimeUnit unit = timeUnitFor(m_duration);
    m_timeDivisor = unit.seconds;
    m_time->setRange(0, m_duration / unit.seconds);
    m_clockAxis->setRange(0, m_duration / unit.seconds);
    m_time->setTitleText(tr("simulated time (%1)").arg(tr(unit.name)));
    m_left->setRange(0, m_leftMax * 1.08 / m_leftDivisor);
    m_left->applyNiceNumbers();
    const QString suffix = m_leftDivisor >= 1e6 ? QStringLiteral(" (M)")
        : m_leftDivisor >= 1e3                  ? QStringLiteral(" (K)")
                                                : QString();
    m_left->setTitleText(m_leftTitle + suffix);
    if (m_markerTime >= 0) {
        const double x = m_markerTime / unit.seconds;
        m_marker->replace({ QPointF(x, m_left->min()), QPointF(x, m_left->max()) });
    } else {
        m_marker->clear();
    }
}

int TimeSeriesChart::plotWidth() const { return static_cast<int>(chart()->plotArea().width()); }

int TimeSeriesChart::largestSeriesSize() const
{
    int largest = 0;
    for (const QLineSeries* series : m_series)
        largest = std::max(largest, static_cast<int>(series->count()));
    return largest;
}

void TimeSeriesChart::setEvents(std::vector<EventMark> events)
{
    m_events = std::move(events);
    scene()->update();
}

double TimeSeriesChart::sceneX(double seconds) const
{
    return chart()->mapToScene(chart()->mapToPosition(QPointF(seconds / m_timeDivisor, 0), m_marker)).x();
}

int TimeSeriesChart::eventAt(const QPoint& position) const
{
    const QPointF scenePosition = mapToScene(position);
    if (!chart()->mapRectToScene(chart()->plotArea()).adjusted(-6, 0, 6, 0).contains(scenePosition))
        return -1;
    return eventMarkAt(m_events, scenePosition.x(), [this](double seconds) { return sceneX(seconds); });
}

QPoint TimeSeriesChart::eventPosition(int event) const
{
    if (event < 0 || static_cast<size_t>(event) >= m_events.size())
        return {};
    const QRectF plot = chart()->mapRectToScene(chart()->plotArea());
    return mapFromScene(QPointF(sceneX(m_events[size_t(event)].at), plot.center().y()));
}

void TimeSeriesChart::drawForeground(QPainter* painter, const QRectF& rect)
{
    QChartView::drawForeground(painter, rect);
    paintEventMarks(
        *painter, chart()->mapRectToScene(chart()->plotArea()), m_events,
        [this](double seconds) { return sceneX(seconds); }, palette().color(QPalette::WindowText));
}

bool TimeSeriesChart::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int mark = eventAt(help->pos());
        if (mark >= 0)
            QToolTip::showText(help->globalPos(), m_events[size_t(mark)].description, viewport());
        else
            QToolTip::hideText();
        return true;
    }
    return QChartView::viewportEvent(event);
}

void TimeSeriesChart::mousePressEvent(QMouseEvent* event)
{
    // A click on an event's line names it and moves the views to it.
    if (const int mark = eventAt(event->pos()); mark >= 0) {
        QToolTip::showText(event->globalPosition().toPoint(), m_events[size_t(mark)].description, viewport());
        emit timeClicked(m_events[size_t(mark)].at);
        QChartView::mousePressEvent(event);
        return;
    }
    const QPointF value = chart()->mapToValue(chart()->mapFromScene(mapToScene(event->pos())), m_marker);
    if (chart()->plotArea().contains(chart()->mapFromScene(mapToScene(event->pos()))))
        emit timeClicked(std::max(0.0, value.x() * m_timeDivisor));
    QChartView::mousePressEvent(event);
}

void TimeSeriesChart::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        applyPalette(chart(), palette());
        QPen pen = m_marker->pen();
        pen.setColor(palette().color(QPalette::WindowText));
        m_marker->setPen(pen);
    }
    QChartView::changeEvent(event);
}

} // namespace shardsim::ui
