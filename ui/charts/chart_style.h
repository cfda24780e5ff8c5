#pragma once
// Charts that follow the window's palette (light or dark) and never animate live data.

#include <QColor>
#include <QtCharts/QChart>

class QPalette;
class QWidget;

namespace shardsim::ui {

// A chart with no animations, a slim margin and the palette's colours.
QChart* makeChart();
// Re-colours background, axes, grid and legend for `palette`; call again when the palette changes.
void applyPalette(QChart* chart, const QPalette& palette);
// The i-th colour of the series palette: distinct hues that read on light and dark backgrounds.
QColor seriesColor(int index);
// Per-second rates in the units people say: 950/s, 12K/s, 1.5M/s.
QString formatRate(double perSecond);
// "1 shard", "10 shards": English plurals without a translation catalogue.
QString countText(qint64 count, const QString& one, const QString& many);
// Simulated time as a clock, "1h 02m" or "2d 3h".
QString formatTime(double seconds);

} // namespace shardsim::ui
