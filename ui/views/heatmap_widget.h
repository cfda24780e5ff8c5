#pragma once
// The key-range x time heat map: a QImage built in the worker, scaled into a plot area with a key
// axis (and the rule's shard boundaries on it), a time axis, a colour legend and the selected time. Under an
// auto-range rule the boundaries move: each range's first key is drawn over the time it stood (range_timeline.h).

#include <QImage>
#include <QWidget>

#include <memory>

#include "models/range_timeline.h"
#include "shardsim/engine/run_result.h"

namespace shardsim::ui {

class HeatmapWidget : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapWidget(QWidget* parent = nullptr);

    // `result` holds the numbers behind the image (for tooltips); `image` comes from heatmapImage().
    void setHeatmap(std::shared_ptr<const RunResult> result, QImage image, double maxRate);
    void setMarker(double seconds); // negative hides it
    // What the plot says while it has no image; empty: how to get one (run the scenario).
    void setEmptyText(const QString& text);
    QRect plotRect() const;
    bool hasImage() const { return !m_image.isNull(); }
    // The auto-range run's moving boundaries as drawn; empty for other rules.
    const std::vector<BoundarySegment>& rangeSegments() const { return m_rangeSegments; }

    QSize sizeHint() const override { return { 800, 520 }; }
    QSize minimumSizeHint() const override { return { 360, 240 }; }

signals:
    void timeClicked(double seconds);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    double duration() const;
    double keyAt(double fraction) const; // fraction 0 (bottom) .. 1 (top) of the key axis
    double fractionOfKey(double key) const;
    void paintAxes(QPainter& painter, const QRect& plot) const;
    void paintLegend(QPainter& painter, const QRect& plot) const;
    void paintRangeBoundaries(QPainter& painter, const QRect& plot) const;

    std::shared_ptr<const RunResult> m_result;
    QImage m_image;
    double m_maxRate = 0;
    std::vector<BoundarySegment> m_rangeSegments;
    double m_marker = -1;
    QString m_emptyText;
};

} // namespace shardsim::ui
