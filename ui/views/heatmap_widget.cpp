#include "views/heatmap_widget.h"

#include <QHelpEvent>
#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

#include "charts/chart_style.h"
#include "charts/color_scales.h"
#include "shardsim/common/units.h"

namespace shardsim::ui {

namespace {
    constexpr int kLeft = 78; // key labels
    constexpr int kRight = 96; // colour legend
    constexpr int kTop = 12;
    constexpr int kBottom = 44; // time labels and title
    constexpr int kMaxBoundaryLabels = 24;

    QString keyLabel(double key) { return QString::fromStdString(units::formatCount(std::round(key))); }
}

HeatmapWidget::HeatmapWidget(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void HeatmapWidget::setHeatmap(std::shared_ptr<const RunResult> result, QImage image, double maxRate)
{
    m_result = std::move(result);
    m_rangeSegments
        = m_result && m_result->ranges ? rangeBoundarySegments(*m_result->ranges) : std::vector<BoundarySegment>();
    m_image = std::move(image);
    m_maxRate = maxRate;
    update();
}

void HeatmapWidget::setEmptyText(const QString& text)
{
    m_emptyText = text;
    update();
}

void HeatmapWidget::setMarker(double seconds)
{
    m_marker = seconds;
    update();
}

QRect HeatmapWidget::plotRect() const { return rect().adjusted(kLeft, kTop, -kRight, -kBottom); }

double HeatmapWidget::duration() const
{
    if (!m_result)
        return 1;
    const HeatMap& heatmap = m_result->heatmap;
    return std::max(1e-9, heatmap.secondsPerTimeBucket * heatmap.timeBuckets);
}

double HeatmapWidget::keyAt(double fraction) const
{
    const HeatMap& heatmap = m_result->heatmap;
    return heatmap.keyMin + fraction * (heatmap.keyMax - heatmap.keyMin);
}

double HeatmapWidget::fractionOfKey(double key) const
{
    const HeatMap& heatmap = m_result->heatmap;
    const double span = heatmap.keyMax - heatmap.keyMin;
    return span > 0 ? (key - heatmap.keyMin) / span : 0.0;
}

void HeatmapWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QRect plot = plotRect();
    if (m_image.isNull() || !m_result) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
            !m_emptyText.isEmpty()
                ? m_emptyText
                : tr("The heat map appears when a run finishes: key ranges up the side, time along the bottom,\n"
                     "brighter cells for more requests/s."));
        return;
    }
    // Cells are data: scale without smoothing so their edges stay where the buckets end.
    painter.drawImage(plot, m_image);
    paintAxes(painter, plot);
    paintLegend(painter, plot);

    if (m_marker >= 0) {
        const int x = plot.left() + static_cast<int>(m_marker / duration() * plot.width());
        painter.setPen(QPen(QColor(255, 255, 255, 220), 1.5, Qt::DashLine));
        painter.drawLine(x, plot.top(), x, plot.bottom());
    }
}

void HeatmapWidget::paintAxes(QPainter& painter, const QRect& plot) const
{
    const HeatMap& heatmap = m_result->heatmap;
    const QColor text = palette().color(QPalette::WindowText);
    const QFontMetrics metrics = painter.fontMetrics();
    painter.setPen(text);

    // Key axis: five evenly spaced keys.
    for (int i = 0; i <= 4; ++i) {
        const double fraction = i / 4.0;
        const int y = plot.bottom() - static_cast<int>(fraction * plot.height());
        painter.drawLine(plot.left() - 4, y, plot.left(), y);
        painter.drawText(QRect(0, y - metrics.height() / 2, plot.left() - 8, metrics.height()),
            Qt::AlignRight | Qt::AlignVCenter, keyLabel(keyAt(fraction)));
    }
    painter.save();
    painter.translate(14, plot.center().y());
    painter.rotate(-90);
    painter.drawText(QRect(-plot.height() / 2, -12, plot.height(), 20), Qt::AlignCenter,
        tr("key of %1").arg(QString::fromStdString(heatmap.table)));
    painter.restore();

    // Shard boundaries: where a range rule's shards start, across the map and marked on the key axis. An auto-range
    // rule's move over time instead.
    static const std::vector<double> kNone;
    const auto& boundaries = m_rangeSegments.empty() ? heatmap.shardBoundaries : kNone;
    paintRangeBoundaries(painter, plot);
    const int labelEvery = std::max<int>(1, static_cast<int>(boundaries.size()) / kMaxBoundaryLabels + 1);
    for (size_t i = 0; i < boundaries.size(); ++i) {
        const double fraction = fractionOfKey(boundaries[i]);
        if (fraction <= 0 || fraction >= 1)
            continue;
        const int y = plot.bottom() - static_cast<int>(fraction * plot.height());
        painter.setPen(QPen(QColor(255, 255, 255, 150), 1, Qt::DashLine));
        painter.drawLine(plot.left(), y, plot.right(), y);
        painter.setPen(QPen(QColor(0x2f, 0x7e, 0xd8), 3));
        painter.drawLine(plot.left() - 7, y, plot.left() - 1, y);
        if (static_cast<int>(i) % labelEvery == 0) {
            // On a dark plate: the label must stay readable where it crosses the hottest cells.
            const QString label = tr("shard boundary %1").arg(keyLabel(boundaries[i]));
            const QRect plate(
                plot.left() + 2, y - metrics.height() - 2, metrics.horizontalAdvance(label) + 8, metrics.height());
            painter.fillRect(plate, QColor(0, 0, 0, 150));
            painter.setPen(QColor(255, 255, 255, 235));
            painter.drawText(plate, Qt::AlignCenter, label);
        }
    }

    // Time axis, on the run's clock.
    const RunClock clock = m_result ? m_result->clock() : RunClock();
    painter.setPen(text);
    for (int i = 0; i <= 6; ++i) {
        const double fraction = i / 6.0;
        const int x = plot.left() + static_cast<int>(fraction * plot.width());
        painter.drawLine(x, plot.bottom(), x, plot.bottom() + 4);
        const QString label = formatMoment(clock, fraction * duration());
        const int w = metrics.horizontalAdvance(label);
        painter.drawText(QPoint(std::clamp(x - w / 2, 0, width() - w), plot.bottom() + 6 + metrics.ascent()), label);
    }
    painter.drawText(QRect(plot.left(), plot.bottom() + 8 + metrics.height(), plot.width(), metrics.height()),
        Qt::AlignCenter, clock.onClock() ? tr("time of day") : tr("simulated time"));
}

void HeatmapWidget::paintRangeBoundaries(QPainter& painter, const QRect& plot) const
{
    if (m_rangeSegments.empty())
        return;
    const double seconds = duration();
    QVector<QLineF> lines;
    QVector<QLineF> ticks; // where the ranges stand at the selected moment, on the key axis
    lines.reserve(static_cast<qsizetype>(m_rangeSegments.size()));
    for (const BoundarySegment& segment : m_rangeSegments) {
        const double fraction = fractionOfKey(static_cast<double>(segment.key));
        if (fraction <= 0 || fraction >= 1)
            continue;
        const double y = plot.bottom() - fraction * plot.height();
        const double from = plot.left() + std::clamp(segment.from / seconds, 0.0, 1.0) * plot.width();
        const double to = plot.left() + std::clamp(segment.to / seconds, 0.0, 1.0) * plot.width();
        lines.append(QLineF(from, y, std::max(to, from + 1), y));
        if (m_marker >= segment.from && m_marker < segment.to)
            ticks.append(QLineF(plot.left() - 7, y, plot.left() - 1, y));
    }
    painter.setPen(QPen(QColor(255, 255, 255, 170), 1));
    painter.drawLines(lines);
    painter.setPen(QPen(QColor(0x2f, 0x7e, 0xd8), 3));
    painter.drawLines(ticks);
}

void HeatmapWidget::paintLegend(QPainter& painter, const QRect& plot) const
{
    const QRect bar(plot.right() + 16, plot.top(), 14, plot.height());
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (int i = 0; i <= 10; ++i)
        gradient.setColorAt(i / 10.0, heatColor(i / 10.0));
    painter.fillRect(bar, gradient);
    painter.setPen(palette().color(QPalette::WindowText));
    const QFontMetrics metrics = painter.fontMetrics();
    // The scale is log(1 + rate): label the points that are round fractions of it.
    for (int i = 0; i <= 4; ++i) {
        const double fraction = i / 4.0;
        const double rate = std::expm1(fraction * std::log1p(m_maxRate));
        const int y = bar.bottom() - static_cast<int>(fraction * bar.height());
        painter.drawText(QPoint(bar.right() + 4, y + metrics.ascent() / 2), formatRate(rate));
    }
}

void HeatmapWidget::mousePressEvent(QMouseEvent* event)
{
    const QRect plot = plotRect();
    if (m_result && plot.contains(event->position().toPoint()))
        emit timeClicked((event->position().x() - plot.left()) / plot.width() * duration());
    QWidget::mousePressEvent(event);
}

bool HeatmapWidget::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    const QRect plot = plotRect();
    if (!m_result || m_image.isNull() || !plot.contains(help->pos())) {
        QToolTip::hideText();
        return true;
    }
    const HeatMap& heatmap = m_result->heatmap;
    const double tx = double(help->pos().x() - plot.left()) / plot.width();
    const double ky = double(plot.bottom() - help->pos().y()) / plot.height();
    const int t = std::clamp(static_cast<int>(tx * heatmap.timeBuckets), 0, heatmap.timeBuckets - 1);
    const int k = std::clamp(static_cast<int>(ky * heatmap.keyBuckets), 0, heatmap.keyBuckets - 1);
    const double rate = heatmap.rate[size_t(t) * size_t(heatmap.keyBuckets) + size_t(k)];
    const double from = keyAt(double(k) / heatmap.keyBuckets);
    const double to = keyAt(double(k + 1) / heatmap.keyBuckets);
    QToolTip::showText(help->globalPos(),
        tr("<b>%1</b> requests/s<br>keys %2 – %3<br>%4 – %5")
            .arg(formatRate(rate), keyLabel(from), keyLabel(to),
                formatMoment(m_result->clock(), t * heatmap.secondsPerTimeBucket),
                formatMoment(m_result->clock(), (t + 1) * heatmap.secondsPerTimeBucket)),
        this);
    return true;
}

} // namespace shardsim::ui
