#pragma once
// A line chart over simulated time with a marker at the selected moment. Series are reused between
// updates and filled with replace(), never cleared and appended point by point; the points arrive
// already decimated from the worker.

#include <QtCharts/QChartView>

#include <vector>

#include "charts/event_markers.h"
#include "shardsim/common/run_clock.h"

QT_BEGIN_NAMESPACE
class QCategoryAxis;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace shardsim::ui {

struct SeriesSpec {
    QString name;
    QColor color;
    QVector<QPointF> points; // x: s since the start; y: in the axis' unit
    qreal width = 1.6;
    Qt::PenStyle style = Qt::SolidLine;
    bool rightAxis = false;
};

class TimeSeriesChart : public QChartView {
    Q_OBJECT
public:
    explicit TimeSeriesChart(QWidget* parent = nullptr);

    // `rightTitle` empty: no right axis (hidden when an earlier call made one). Y values are shown in K or M when they are large.
    void setAxisTitles(const QString& leftTitle, const QString& rightTitle = QString());
    // The time axis runs over [0, seconds]; a clock with a start labels it with the time of day ("22:00", "22:30").
    void setDuration(double seconds, const RunClock& clock = {});
    QStringList timeLabels() const; // the time axis' labels as drawn, for tests
    void setSeries(const std::vector<SeriesSpec>& series);
    void setMarker(double seconds); // negative hides it
    // The scenario's events, drawn as labelled lines on the time axis; hovering or clicking one names it.
    void setEvents(std::vector<EventMark> events);
    const std::vector<EventMark>& events() const { return m_events; }
    // The event drawn within a few pixels of `position` (viewport coordinates), or -1.
    int eventAt(const QPoint& position) const;
    // The event's line in viewport coordinates, for tests that hover it.
    QPoint eventPosition(int event) const;
    void setRightRange(double min, double max);
    // Whether large left values are shown in K or M (requests/s); off for units that must read as they are (ms).
    void setLeftScaled(bool scaled);
    QString leftTitle() const; // as shown, with its K or M
    QStringList seriesNames() const;
    const QLineSeries* series(const QString& name) const; // null when there is no such series
    int plotWidth() const;
    // Points handed to the chart over all series: the test of "no more points than pixels".
    int largestSeriesSize() const;

signals:
    void timeClicked(double seconds);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    bool viewportEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void updateAxes();
    void updateClockAxis(); // the time-of-day labels over [0, m_duration]
    double sceneX(double seconds) const; // the scene column of a time

    QValueAxis* m_time; // time since the start; hidden when the clock has a start
    QCategoryAxis* m_clockAxis; // the same range labelled with the time of day
    QValueAxis* m_left;
    QValueAxis* m_right = nullptr;
    QLineSeries* m_marker;
    std::vector<QLineSeries*> m_series;
    QString m_leftTitle;
    double m_duration = 1;
    RunClock m_clock;
    double m_timeDivisor = 1; // seconds per axis unit
    double m_leftDivisor = 1; // the axis shows y / divisor
    bool m_leftScaled = true;
    double m_leftMax = 1;
    double m_markerTime = -1;
    std::vector<EventMark> m_events;
};

} // namespace shardsim::ui
