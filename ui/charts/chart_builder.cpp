#include "charts/chart_builder.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "charts/color_scales.h"
#include "charts/decimation.h"

namespace shardsim::ui {

namespace {
    QVector<QPointF> nodeSeries(const RunSnapshot& snapshot, int node)
    {
        QVector<QPointF> points;
        points.reserve(static_cast<qsizetype>(snapshot.windows.size()));
        for (const auto& window : snapshot.windows) {
            const auto index = static_cast<size_t>(node);
            points.append({ window->time, index < window->qps.size() ? window->qps[index] : 0.0 });
        }
        return points;
    }
}

ChartData buildCharts(const RunSnapshot& snapshot, const ChartRequest& request)
{
    ChartData charts;
    charts.width = std::max(16, request.width);
    QVector<QPointF> qps;
    QVector<QPointF> utilization;
    qps.reserve(static_cast<qsizetype>(snapshot.windows.size()));
    utilization.reserve(static_cast<qsizetype>(snapshot.windows.size()));
    for (const auto& window : snapshot.windows) {
        qps.append({ window->time, window->clusterQps });
        utilization.append({ window->time, window->maxUtilization * 100.0 });
    }
    charts.clusterQps = decimateMinMax(qps, charts.width);
    charts.maxUtilization = decimateMinMax(utilization, charts.width);

    // Rank nodes by what they served over the run so far.
    const int nodes = snapshot.nodeCount();
    std::vector<double> totals(static_cast<size_t>(nodes), 0.0);
    for (const auto& window : snapshot.windows)
        for (size_t i = 0; i < window->qps.size() && i < totals.size(); ++i)
            totals[i] += window->qps[i];
    std::vector<int> order(static_cast<size_t>(nodes));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return totals[size_t(a)] > totals[size_t(b)]; });

    std::vector<int> shown;
    if (nodes <= kMaxNodeLines) {
        shown.resize(static_cast<size_t>(nodes));
        std::iota(shown.begin(), shown.end(), 0);
    } else {
        shown.assign(order.begin(), order.begin() + kTopNodeLines);
        if (request.selectedNode >= 0 && request.selectedNode < nodes
            && std::find(shown.begin(), shown.end(), request.selectedNode) == shown.end())
            shown.push_back(request.selectedNode);
    }
    for (int node : shown)
        charts.nodeLines.push_back(ChartLine { QString::fromStdString(snapshot.nodes[size_t(node)].name), node,
            decimateMinMax(nodeSeries(snapshot, node), charts.width) });

    if (nodes > kMaxNodeLines) {
        // "Others" is the mean of the nodes without a line, so it stays on the same scale as they are.
        std::vector<bool> isShown(static_cast<size_t>(nodes), false);
        for (int node : shown)
            isShown[size_t(node)] = true;
        const int others = nodes - static_cast<int>(shown.size());
        QVector<QPointF> points;
        for (const auto& window : snapshot.windows) {
            double sum = 0;
            for (size_t i = 0; i < window->qps.size(); ++i)
                if (i < isShown.size() && !isShown[i])
                    sum += window->qps[i];
            points.append({ window->time, sum / std::max(1, others) });
        }
        charts.nodeLines.push_back(
            ChartLine { QCoreApplication::translate("ChartBuilder", "others (mean of %1 nodes)").arg(others), -1,
                decimateMinMax(points, charts.width) });
    }

    if (snapshot.result)
        charts.heatmap = heatmapImage(snapshot.result->heatmap, charts.width, &charts.heatmapMaxRate);
    return charts;
}

QImage heatmapImage(const HeatMap& heatmap, int maxWidth, double* maxRate)
{
    const int keys = heatmap.keyBuckets;
    const int times = heatmap.timeBuckets;
    if (keys <= 0 || times <= 0 || heatmap.rate.size() < static_cast<size_t>(keys) * static_cast<size_t>(times))
        return {};
    const int columns = std::clamp(maxWidth, 1, times);
    std::vector<double> cells(static_cast<size_t>(columns) * static_cast<size_t>(keys), 0.0);
    double peak = 0;
    for (int t = 0; t < times; ++t) {
        const int column = static_cast<int>(static_cast<int64_t>(t) * columns / times);
        for (int k = 0; k < keys; ++k) {
            double& cell = cells[size_t(column) * size_t(keys) + size_t(k)];
            cell = std::max(cell, heatmap.rate[size_t(t) * size_t(keys) + size_t(k)]);
            peak = std::max(peak, cell);
        }
    }
    if (maxRate)
        *maxRate = peak;
    QImage image(columns, keys, QImage::Format_RGB32);
    const double scale = peak > 0 ? std::log1p(peak) : 1.0;
    for (int column = 0; column < columns; ++column) {
        for (int k = 0; k < keys; ++k) {
            const double rate = cells[size_t(column) * size_t(keys) + size_t(k)];
            // Row 0 is the top of the image: the largest keys go there.
            image.setPixel(column, keys - 1 - k, heatColor(std::log1p(std::max(0.0, rate)) / scale).rgb());
        }
    }
    return image;
}

} // namespace shardsim::ui
