#include "charts/cluster_series.h"

#include <QCoreApplication>

#include "charts/chart_style.h"

namespace shardsim::ui {

namespace {
    QString tr(const char* text) { return QCoreApplication::translate("ClusterSeries", text); }
}

QColor shedColor() { return QColor(0xb0, 0x1e, 0x3c); }

std::vector<SeriesSpec> requestSeries(const ChartData& charts)
{
    return {
        SeriesSpec { tr("offered requests/s"), seriesColor(0), charts.clusterQps, 2.0 },
        SeriesSpec { tr("served"), seriesColor(2), charts.clusterServedQps, 1.6, Qt::DashLine },
        SeriesSpec { tr("shed"), shedColor(), charts.clusterShedQps, 1.6 },
    };
}

std::vector<SeriesSpec> latencySeries(const ChartData& charts)
{
    // Light to dark as the percentile rises, so the tail reads as the heaviest line.
    return {
        SeriesSpec { tr("p50"), QColor(0x8f, 0xc1, 0xef), charts.latencyP50, 1.6 },
        SeriesSpec { tr("p95"), QColor(0x4a, 0x90, 0xd9), charts.latencyP95, 1.6 },
        SeriesSpec { tr("p99"), QColor(0x23, 0x5f, 0xa8), charts.latencyP99, 2.0 },
        SeriesSpec { tr("p99.9"), QColor(0x10, 0x2f, 0x5e), charts.latencyP999, 2.0 },
    };
}

} // namespace shardsim::ui
