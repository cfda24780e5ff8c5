#pragma once
// Renders a widget (a chart, the tiles, the heat map) to an SVG file: a paint device whose engine
// writes every path, polygon, text run and image as an SVG element. Paths stay vectors, text stays
// text; pixmaps (cached items, the heat map image) are embedded as PNG.

#include <QString>

class QWidget;

namespace shardsim::ui {

// Writes `widget` as it looks now; `error` says why not on failure.
bool writeWidgetSvg(QWidget* widget, const QString& path, const QString& title, QString* error);

} // namespace shardsim::ui
