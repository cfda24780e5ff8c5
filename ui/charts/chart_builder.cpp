#include "charts/chart_builder.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "charts/color_scales.h"
#include "charts/decimation.h"

namespace shardsim::ui {

namespace {
    // One number of every window over time; `value` reads it from a window.
    template <typename Value> QVector<QPointF> overTime(const RunSnapshot& snapshot, int width, Value value)
    {
        QVector<QPointF> points;
        points.reserve(static_cast<qsizetype>(snapshot.windows.size()));
        for (const auto& window : snapshot.windows)
            points.append({ window->time, static_cast<double>(value(*window)) });
        return decimateMinMax(points, width);
    }

    QVector<QPointF> nodeSeries(const RunSnapshot& snapshot, int node, int width, std::vector<float> TickWindow::*field)
    {
        const auto index = static_cast<size_t>(node);
        return overTime(snapshot, width, [index, field](const TickWindow& window) {
            const std::vector<float>& values = window.*field;
            return index < values.size() ? values[index] : 0.0f;
        });
    }
}

ChartData buildCharts(const RunSnapshot& snapshot, const ChartRequest& request)
{
    ChartData charts;
    charts.width = std::max(16, request.width);
    const int width = charts.width;
    charts.clusterQps = overTime(snapshot, width, [](const TickWindow& w) { return w.clusterQps; });
    charts.clusterServedQps = overTime(snapshot, width, [](const TickWindow& w) { return w.clusterServedQps; });
    charts.clusterShedQps = overTime(snapshot, width, [](const TickWindow& w) { return w.clusterShedQps; });
    charts.maxUtilization = overTime(snapshot, width, [](const TickWindow& w) { return w.maxUtilization * 100.0; });
    charts.latencyP50 = overTime(snapshot, width, [](const TickWindow& w) { return w.clusterP50LatencyMs; });
    charts.latencyP95 = overTime(snapshot, width, [](const TickWindow& w) { return w.clusterP95LatencyMs; });
    charts.latencyP99 = overTime(snapshot, width, [](const TickWindow& w) { return w.clusterP99LatencyMs; });
    charts.latencyP999 = overTime(snapshot, width, [](const TickWindow& w) { return w.clusterP999LatencyMs; });

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
            nodeSeries(snapshot, node, width, &TickWindow::qps) });
    // What became of one node's offered requests: the selected node's, else the busiest node's.
    charts.detailNode = request.selectedNode >= 0 && request.selectedNode < nodes ? request.selectedNode
        : nodes > 0                                                            ? order.front()
                                                                               : -1;
    if (charts.detailNode >= 0) {
        charts.detailServedQps = nodeSeries(snapshot, charts.detailNode, width, &TickWindow::servedQps);
        charts.detailShedQps = nodeSeries(snapshot, charts.detailNode, width, &TickWindow::shedQps);
    }

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
