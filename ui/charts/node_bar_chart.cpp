#include "charts/node_bar_chart.h"

#include <QEvent>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QStackedBarSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <numeric>

#include "charts/chart_style.h"
#include "charts/cluster_series.h"
#include "charts/decimation.h"

namespace shardsim::ui {

namespace {
    const QColor kCapacityColor(0xd6, 0x3a, 0x2f);
    const QColor kQueuedColor(0xe8, 0xa3, 0x3d);
    const QColor kOfferedColor(0x6b, 0x72, 0x80);

    QBarSet* makeSet(const QString& name, const QColor& color)
    {
        auto* set = new QBarSet(name);
        set->setColor(color);
        set->setBorderColor(color);
        set->setSelectedColor(seriesColor(1));
        return set;
    }

    // The part of the offered requests that was neither served nor shed this window: it went into the queue.
    double queuedRate(const NodeTick& load) { return std::max(0.0, load.qps - load.servedQps - load.shedQps); }
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
    m_queued = nullptr;
    m_shed = nullptr;
    m_curve = nullptr;
    m_servedCurve = nullptr;
    m_shedCurve = nullptr;
    m_selected = nullptr;
    m_categories = nullptr;
    m_nodeTicks = nullptr;
    m_x = nullptr;
    m_ranked = ranked;
    m_built = true;

    m_y = new QValueAxis();
    m_y->setLabelFormat(QStringLiteral("%.4g"));
    chart()->addAxis(m_y, Qt::AlignLeft);
    m_capacity = new QLineSeries();
    m_capacity->setName(tr("capacity of a node (max_qps)"));
    QPen capacityPen(kCapacityColor);
    capacityPen.setWidthF(1.6);
    capacityPen.setStyle(Qt::DashLine);

    QAbstractAxis* x = nullptr;
    if (!ranked) {
        m_bars = new QStackedBarSeries();
        m_bars->setBarWidth(0.75);
        m_set = makeSet(tr("served"), seriesColor(0));
        m_queued = makeSet(tr("queued"), kQueuedColor);
        m_shed = makeSet(tr("shed"), shedColor());
        for (QBarSet* set : { m_set, m_queued, m_shed }) {
            m_bars->append(set);
            connect(set, &QBarSet::clicked, this, &NodeBarChart::nodeClicked);
        }
        chart()->addSeries(m_bars);
        m_categories = new QBarCategoryAxis();
        chart()->addAxis(m_categories, Qt::AlignBottom);
        m_nodeTicks = new QCategoryAxis();
        m_nodeTicks->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        m_nodeTicks->setTitleText(tr("node"));
        m_nodeTicks->setGridLineVisible(false);
        chart()->addAxis(m_nodeTicks, Qt::AlignBottom);
        m_bars->attachAxis(m_categories);
        m_bars->attachAxis(m_y);
        x = m_categories;
    } else {
        m_x = new QValueAxis();
        m_x->setLabelFormat(QStringLiteral("%d"));
        m_x->setTitleText(tr("nodes, busiest first"));
        chart()->addAxis(m_x, Qt::AlignBottom);
        x = m_x;
        m_curve = new QLineSeries();
        m_curve->setName(tr("offered"));
        m_servedCurve = new QLineSeries();
        m_servedCurve->setName(tr("served"));
        m_selected = new QScatterSeries();
        m_selected->setName(tr("selected node"));
        m_selected->setColor(seriesColor(1));
        m_selected->setMarkerSize(11);
        m_shedCurve = new QLineSeries();
        m_shedCurve->setName(tr("shed"));
        // The colours of the bars: served blue, shed dark red; offered, their sum and the queue, a neutral grey.
        for (auto [curve, color] : { std::pair { m_curve, kOfferedColor }, std::pair { m_servedCurve, seriesColor(0) },
                 std::pair { m_shedCurve, shedColor() } }) {
            QPen pen(color);
            pen.setWidthF(2.0);
            curve->setPen(pen);
        }
        for (QXYSeries* series :
            std::initializer_list<QXYSeries*> { m_curve, m_servedCurve, m_shedCurve, m_selected }) {
            chart()->addSeries(series);
            series->attachAxis(m_x);
            series->attachAxis(m_y);
        }
    }
    chart()->addSeries(m_capacity);
    m_capacity->attachAxis(x);
    m_capacity->attachAxis(m_y);
    m_capacity->setPen(capacityPen);
    applyPalette(chart(), palette());
}

void NodeBarChart::setLoads(
    const QStringList& names, const std::vector<NodeTick>& loads, double capacity, int selectedNode)
{
    const bool ranked = loads.size() > static_cast<size_t>(kMaxBars);
    if (!m_built || ranked != m_ranked)
        build(ranked);
    double peak = capacity;
    for (const NodeTick& load : loads)
        peak = std::max({ peak, load.qps, load.servedQps + load.shedQps });
    const double divisor = peak >= 2e6 ? 1e6 : peak >= 2e3 ? 1e3 : 1;
    const QString unit = divisor >= 1e6 ? QStringLiteral(" (M)") : divisor >= 1e3 ? QStringLiteral(" (K)") : QString();
    m_y->setTitleText(tr("offered requests/s") + unit);
    m_y->setRange(0, std::max(1e-9, peak * 1.1 / divisor));
    m_y->applyNiceNumbers();
    const int count = static_cast<int>(loads.size());

    if (!ranked) {
        QList<qreal> served;
        QList<qreal> queued;
        QList<qreal> shed;
        for (const NodeTick& load : loads) {
            served.append(load.servedQps / divisor);
            queued.append(queuedRate(load) / divisor);
            shed.append(load.shedQps / divisor);
        }
        if (m_categories->categories() != names) {
            m_categories->clear();
            m_categories->append(names);
        }
        // Past kMaxNamedBars a name under every bar would be cut to "…": the node numbers 1, 8, 16 .. under their bars
        // instead.
        const bool named = count <= kMaxNamedBars;
        m_categories->setVisible(named);
        m_nodeTicks->setVisible(!named);
        for (const QString& label : m_nodeTicks->categoriesLabels())
            m_nodeTicks->remove(label);
        if (!named) {
            const int every = count > 32 ? 8 : 4;
            int last = 1;
            for (int node = 1; node <= count; node = node == 1 ? every : node + every)
                m_nodeTicks->append(QString::number(last = node), node - 1);
            if (count - last >= every / 2) // the last node too, unless its label would touch the one before
                m_nodeTicks->append(QString::number(count), count - 1);
        }
        m_nodeTicks->setRange(-0.5, count - 0.5);
        for (auto [set, values] : { std::pair { m_set, &served }, std::pair { m_queued, &queued },
                 std::pair { m_shed, &shed } }) {
            set->remove(0, set->count());
            set->append(*values);
            set->deselectAllBars();
            if (selectedNode >= 0 && selectedNode < count)
                set->selectBar(selectedNode);
        }
        // The capacity line spans the whole category axis: from the left edge of the first bar to the
        // right edge of the last one.
        m_capacity->replace({ QPointF(-0.5, capacity / divisor), QPointF(count - 0.5, capacity / divisor) });
        return;
    }

    m_order.resize(static_cast<size_t>(count));
    std::iota(m_order.begin(), m_order.end(), 0);
    std::stable_sort(
        m_order.begin(), m_order.end(), [&](int a, int b) { return loads[size_t(a)].qps > loads[size_t(b)].qps; });
    QVector<QPointF> offered;
    QVector<QPointF> served;
    QVector<QPointF> shed;
    offered.reserve(count);
    served.reserve(count);
    shed.reserve(count);
    int selectedRank = -1;
    for (int rank = 0; rank < count; ++rank) {
        const NodeTick& load = loads[size_t(m_order[size_t(rank)])];
        offered.append({ static_cast<double>(rank + 1), load.qps / divisor });
        served.append({ static_cast<double>(rank + 1), load.servedQps / divisor });
        shed.append({ static_cast<double>(rank + 1), load.shedQps / divisor });
        if (m_order[size_t(rank)] == selectedNode)
            selectedRank = rank;
    }
    const int width = std::max(16, static_cast<int>(chart()->plotArea().width()));
    m_curve->replace(decimateMinMax(offered, width));
    m_servedCurve->replace(decimateMinMax(served, width));
    m_shedCurve->replace(decimateMinMax(shed, width));
    m_x->setRange(1, std::max(2, count));
    m_capacity->replace({ QPointF(1, capacity / divisor), QPointF(count, capacity / divisor) });
    if (selectedRank >= 0)
        m_selected->replace({ offered[selectedRank] });
    else
        m_selected->clear();
}

QString NodeBarChart::yTitle() const { return m_y ? m_y->titleText() : QString(); }

QStringList NodeBarChart::xLabels() const
{
    if (m_nodeTicks && m_nodeTicks->isVisible())
        return m_nodeTicks->categoriesLabels();
    return m_categories ? m_categories->categories() : QStringList();
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
