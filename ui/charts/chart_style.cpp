#include "charts/chart_style.h"

#include <QGraphicsLayout>
#include <QPalette>
#include <QtCharts/QAbstractAxis>
#include <QtCharts/QLegend>

#include <algorithm>
#include <array>
#include <cmath>

#include "shardsim/common/units.h"

namespace shardsim::ui {

QChart* makeChart()
{
    auto* chart = new QChart();
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignBottom);
    return chart;
}

void applyPalette(QChart* chart, const QPalette& palette)
{
    const QColor text = palette.color(QPalette::WindowText);
    QColor grid = palette.color(QPalette::Mid);
    grid.setAlpha(90);
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setBackgroundPen(Qt::NoPen);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setGridLineColor(grid);
        axis->setMinorGridLineColor(grid);
        axis->setLinePenColor(palette.color(QPalette::Mid));
    }
}

QColor seriesColor(int index)
{
    // Hand-picked to stay apart from each other and from the red used for capacity and overload.
    static const std::array<QColor, kSeriesColors> colors { {
        QColor(0x2f, 0x7e, 0xd8),
        QColor(0xe0, 0x8a, 0x1e),
        QColor(0x2a, 0xa1, 0x98),
        QColor(0x8e, 0x5c, 0xd9),
        QColor(0x6a, 0x9a, 0x2b),
        QColor(0xd4, 0x5b, 0x9b),
        QColor(0x4a, 0xb8, 0xe8),
        QColor(0xa0, 0x78, 0x4a),
        QColor(0x5c, 0x6b, 0xc0),
        QColor(0xc9, 0xa2, 0x27),
    } };
    return colors[static_cast<size_t>(std::max(0, index)) % colors.size()];
}

Qt::PenStyle seriesStyle(int index)
{
    static const std::array<Qt::PenStyle, 4> styles { Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine };
    return styles[static_cast<size_t>(std::max(0, index) / kSeriesColors) % styles.size()];
}

AxisScale axisScale(double largest)
{
    // Switch units at twice the unit, so the ticks keep a digit before the point (2, not 0.5 K... 1.5 K).
    if (largest >= 2e9)
        return { 1e9, QStringLiteral(" (B)") };
    if (largest >= 2e6)
        return { 1e6, QStringLiteral(" (M)") };
    if (largest >= 2e3)
        return { 1e3, QStringLiteral(" (K)") };
    return {};
}

QString formatRate(double perSecond)
{
    if (!std::isfinite(perSecond))
        return QStringLiteral("–");
    return QString::fromStdString(units::formatCount(perSecond)) + QStringLiteral("/s");
}

QString countText(qint64 count, const QString& one, const QString& many)
{
    return QStringLiteral("%1 %2").arg(count).arg(count == 1 ? one : many);
}

QString formatTime(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("–");
    const auto total = static_cast<int64_t>(std::llround(seconds));
    const int64_t days = total / 86400;
    const int64_t hours = total / 3600 % 24;
    const int64_t minutes = total / 60 % 60;
    const int64_t secs = total % 60;
    // Two units at most, the second left out when it is zero: "2d 3h", "1h", "1h 05m", "45s".
    auto pair = [](int64_t major, const char* majorUnit, int64_t minor, const char* minorUnit) {
        QString text = QString::number(major) + QLatin1String(majorUnit);
        if (minor > 0)
            text += QStringLiteral(" %1%2").arg(minor, 2, 10, QLatin1Char('0')).arg(QLatin1String(minorUnit));
        return text;
    };
    if (days > 0)
        return pair(days, "d", hours, "h");
    if (hours > 0)
        return pair(hours, "h", minutes, "m");
    if (minutes > 0)
        return pair(minutes, "m", secs, "s");
    return QStringLiteral("%1s").arg(secs);
}

QString formatMoment(const RunClock& clock, double seconds)
{
    if (!clock.onClock() || !std::isfinite(seconds))
        return formatTime(seconds);
    return QString::fromStdString(clock.format(seconds));
}

} // namespace shardsim::ui
