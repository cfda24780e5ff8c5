#pragma once
// Charts that follow the window's palette (light or dark) and never animate live data.

#include <QColor>
#include <QtCharts/QChart>

#include "shardsim/common/run_clock.h"

class QPalette;
class QWidget;

namespace shardsim::ui {

// A chart with no animations, a slim margin and the palette's colours.
QChart* makeChart();
// Re-colours background, axes, grid and legend for `palette`; call again when the palette changes.
void applyPalette(QChart* chart, const QPalette& palette);
// The i-th colour of the series palette: distinct hues that read on light and dark backgrounds. It repeats after
// kSeriesColors; seriesStyle tells the repeats apart.
inline constexpr int kSeriesColors = 10;
QColor seriesColor(int index);
// The i-th series' dash pattern: solid for the first kSeriesColors, then dashed, dotted, dash-dotted.
Qt::PenStyle seriesStyle(int index);
// How an axis shows large counts: values divided by `divisor`, the title followed by `suffix` (" (K)", " (M)",
// " (B)"), so ticks read 2.81, never 2811889637 or 2.81e+09.
struct AxisScale {
    double divisor = 1;
    QString suffix;
};
AxisScale axisScale(double largest);
// Per-second rates in the units people say: 950/s, 12K/s, 1.5M/s.
QString formatRate(double perSecond);
// "1 shard", "10 shards": English plurals without a translation catalogue.
QString countText(qint64 count, const QString& one, const QString& many);
// Simulated time since the start, "1h 02m" or "2d 3h".
QString formatTime(double seconds);
// A moment `seconds` after the start as the run's clock reads it: the time of day ("23:40") when the scenario has a
// `start:`, else formatTime's time since the start.
QString formatMoment(const RunClock& clock, double seconds);

} // namespace shardsim::ui
