#include "charts/node_bar_chart.h"

#include <QEvent>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <numeric>

#include "charts/chart_style.h"
#include "charts/decimation.h"

namespace shardsim::ui {

namespace {
    const QColor kCapacityColor(0xd6, 0x3a, 0x2f);
}

NodeBarChart::NodeBarChart(QWidget* parent)
    : QChartView(makeChart(), parent)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
}

void NodeBarChart::build(bool ranked)
{
    chart()->removeAllSeries();
    for (QAbstractAxis* axis : chart()->axes()) {
        chart()->removeAxis(axis);
        delete axis;
    }
    m_bars = nullptr;
    m_set = nullptr;
    m_curve = nullptr;
    m_selected = nullptr;
    m_categories = nullptr;
    m_x = nullptr;
    m_ranked = ranked;
    m_built = true;

    m_y = new QValueAxis();
    m_y->setLabelFormat(QStringLiteral("%.4g"));
    chart()->addAxis(m_y, Qt::AlignLeft);
    m_capacity = new QLineSeries();
    m_capacity->setName(tr("capacity of a node"));
    QPen capacityPen(kCapacityColor);
    capacityPen.setWidthF(1.6);
    capacityPen.setStyle(Qt::DashLine);

    if (!ranked) {
        m_bars = new QBarSeries();
        m_bars->setBarWidth(0.75);
        m_set = new QBarSet(tr("requests/s at the selected time"));
        m_set->setColor(seriesColor(0));
        m_set->setBorderColor(seriesColor(0));
        m_set->setSelectedColor(seriesColor(1));
        m_bars->append(m_set);
        chart()->addSeries(m_bars);
        m_categories = new QBarCategoryAxis();
        chart()->addAxis(m_categories, Qt::AlignBottom);
        m_bars->attachAxis(m_categories);
        m_bars->attachAxis(m_y);
        connect(m_set, &QBarSet::clicked, this, &NodeBarChart::nodeClicked);
        chart()->addSeries(m_capacity);
        m_capacity->attachAxis(m_categories);
        m_capacity->attachAxis(m_y);
    } else {
        m_x = new QValueAxis();
        m_x->setLabelFormat(QStringLiteral("%d"));
        m_x->setTitleText(tr("nodes, busiest first"));
        chart()->addAxis(m_x, Qt::AlignBottom);
        m_curve = new QLineSeries();
        m_curve->setName(tr("requests/s at the selected time"));
        QPen pen(seriesColor(0));
        pen.setWidthF(2.0);
        m_curve->setPen(pen);
        chart()->addSeries(m_curve);
        m_curve->attachAxis(m_x);
        m_curve->attachAxis(m_y);
        m_selected = new QScatterSeries();
        m_selected->setName(tr("selected node"));
        m_selected->setColor(seriesColor(1));
        m_selected->setMarkerSize(11);
        chart()->addSeries(m_selected);
        m_selected->attachAxis(m_x);
        m_selected->attachAxis(m_y);
        chart()->addSeries(m_capacity);
        m_capacity->attachAxis(m_x);
        m_capacity->attachAxis(m_y);
    }
    m_capacity->setPen(capacityPen);
    applyPalette(chart(), palette());
}

void NodeBarChart::setLoads(const QStringList& names, const std::vector<double>& qps, double capacity, int selectedNode)
{
    const bool ranked = qps.size() > static_cast<size_t>(kMaxBars);
    if (!m_built || ranked != m_ranked)
        build(ranked);
    const double peak = std::max(capacity, qps.empty() ? 0.0 : *std::max_element(qps.begin(), qps.end()));
    const double divisor = peak >= 2e6 ? 1e6 : peak >= 2e3 ? 1e3 : 1;
    const QString unit = divisor >= 1e6 ? QStringLiteral(" (M)") : divisor >= 1e3 ? QStringLiteral(" (K)") : QString();
    m_y->setTitleText(tr("requests/s") + unit);
    m_y->setRange(0, std::max(1e-9, peak * 1.1 / divisor));
    m_y->applyNiceNumbers();
    const int count = static_cast<int>(qps.size());

    if (!ranked) {
        QList<qreal> values;
        values.reserve(count);
        for (double value : qps)
            values.append(value / divisor);
        if (m_categories->categories() != names) {
            m_categories->clear();
            m_categories->append(names);
        }
        m_set->remove(0, m_set->count());
        m_set->append(values);
        m_set->deselectAllBars();
        if (selectedNode >= 0 && selectedNode < count)
            m_set->selectBar(selectedNode);
        // The capacity line spans the whole category axis: from the left edge of the first bar to the
        // right edge of the last one.
        m_capacity->replace({ QPointF(-0.5, capacity / divisor), QPointF(count - 0.5, capacity / divisor) });
        m_categories->setLabelsAngle(count > 16 ? -90 : 0);
        return;
    }

    m_order.resize(static_cast<size_t>(count));
    std::iota(m_order.begin(), m_order.end(), 0);
    std::stable_sort(m_order.begin(), m_order.end(), [&](int a, int b) { return qps[size_t(a)] > qps[size_t(b)]; });
    QVector<QPointF> points;
    points.reserve(count);
    int selectedRank = -1;
    for (int rank = 0; rank < count; ++rank) {
        points.append({ static_cast<double>(rank + 1), qps[size_t(m_order[size_t(rank)])] / divisor });
        if (m_order[size_t(rank)] == selectedNode)
            selectedRank = rank;
    }
    const int width = std::max(16, static_cast<int>(chart()->plotArea().width()));
    m_curve->replace(decimateMinMax(points, width));
    m_x->setRange(1, std::max(2, count));
    m_capacity->replace({ QPointF(1, capacity / divisor), QPointF(count, capacity / divisor) });
    if (selectedRank >= 0)
        m_selected->replace({ points[selectedRank] });
    else
        m_selected->clear();
}

int NodeBarChart::pointCount() const
{
    if (m_ranked && m_curve)
        return static_cast<int>(m_curve->count());
    return m_set ? static_cast<int>(m_set->count()) : 0;
}

void NodeBarChart::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette(chart(), palette());
    QChartView::changeEvent(event);
}

} // namespace shardsim::ui
