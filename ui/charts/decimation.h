#pragma once
// Shrinks a series to what a chart can show: never more points than pixels, and the spikes a user
// is looking for survive because every pixel column keeps its minimum and its maximum.

#include <QPointF>
#include <QVector>

namespace shardsim::ui {

// At most `maxPoints` points (at least 2 when the input has 2). `points` must be sorted by x. Each
// bucket of consecutive points contributes its minimum and maximum, in their original order.
QVector<QPointF> decimateMinMax(const QVector<QPointF>& points, int maxPoints);

} // namespace shardsim::ui
