#include "charts/decimation.h"

#include <algorithm>

namespace shardsim::ui {

QVector<QPointF> decimateMinMax(const QVector<QPointF>& points, int maxPoints)
{
    maxPoints = std::max(2, maxPoints);
    if (points.size() <= maxPoints)
        return points;
    const qsizetype buckets = maxPoints / 2;
    QVector<QPointF> out;
    out.reserve(buckets * 2);
    for (qsizetype b = 0; b < buckets; ++b) {
        // Bucket b covers [begin, end): the split is even to within one point.
        const qsizetype begin = b * points.size() / buckets;
        const qsizetype end = (b + 1) * points.size() / buckets;
        qsizetype low = begin;
        qsizetype high = begin;
        for (qsizetype i = begin + 1; i < end; ++i) {
            if (points[i].y() < points[low].y())
                low = i;
            if (points[i].y() > points[high].y())
                high = i;
        }
        if (low == high) {
            out.append(points[low]);
        } else {
            out.append(points[std::min(low, high)]);
            out.append(points[std::max(low, high)]);
        }
    }
    return out;
}

} // namespace shardsim::ui
