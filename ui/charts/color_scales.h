#pragma once
// The colours that carry meaning: node utilisation and heat-map intensity. Both read on light and
// dark palettes and stay distinguishable for the common forms of colour blindness (no red/green-only
// contrast: lightness changes along both scales).

#include <QColor>

namespace shardsim::ui {

// 0 = idle .. 1 = at capacity; above 1 overloaded (the darkest red).
QColor utilizationColor(double utilization);
// 0..1 along a dark-to-bright scale for heat maps.
QColor heatColor(double intensity);
// Text that reads on top of `background`.
QColor textColorOn(const QColor& background);

} // namespace shardsim::ui
