#pragma once
// Requests/s offered to every node at one moment, against the capacity of a node. Up to 64 nodes get a bar
// each, stacked from what the node served, what it queued and what it shed, so the bar's height is the offered load;
// larger clusters are drawn as curves (offered, served and shed) of the nodes ranked from busiest to idlest, decimated
// to the plot's width, so a thousand nodes still read as a shape rather than a smear.

#include <QtCharts/QChartView>

#include <vector>

#include "shardsim/engine/run_result.h"

QT_BEGIN_NAMESPACE
class QBarCategoryAxis;
class QCategoryAxis;
class QStackedBarSeries;
class QBarSet;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace shardsim::ui {

class NodeBarChart : public QChartView {
    Q_OBJECT
public:
    static constexpr int kMaxBars = 64;
    static constexpr int kMaxNamedBars = 16; // up to this many bars are named under each bar

    explicit NodeBarChart(QWidget* parent = nullptr);

    // Every node's numbers in node order (qps offered, servedQps, shedQps); `capacity` requests/s of one node at 100%.
    void setLoads(const QStringList& names, const std::vector<NodeTick>& loads, double capacity, int selectedNode);
    int pointCount() const; // what the chart holds: bars, or points of the ranked offered curve
    bool ranked() const { return m_ranked; }
    QBarSet* barSet() const { return m_set; } // the served part of the bars; none in ranked mode
    QBarSet* queuedSet() const { return m_queued; } // offered but neither served nor shed: queued
    QBarSet* shedSet() const { return m_shed; }
    QString yTitle() const; // the value axis' title
    QStringList xLabels() const; // the labels under the bars, as shown

signals:
    void nodeClicked(int node);

protected:
    void changeEvent(QEvent* event) override;

private:
    void build(bool ranked);

    bool m_ranked = false;
    bool m_built = false;
    QStackedBarSeries* m_bars = nullptr;
    QBarSet* m_set = nullptr;
    QBarSet* m_queued = nullptr;
    QBarSet* m_shed = nullptr;
    QBarCategoryAxis* m_categories = nullptr;
    QCategoryAxis* m_nodeTicks = nullptr; // past kMaxNamedBars: node numbers every few bars instead of every name
    QLineSeries* m_curve = nullptr; // ranked mode: offered
    QLineSeries* m_servedCurve = nullptr; // ranked mode: served, in the offered curve's order
    QLineSeries* m_shedCurve = nullptr; // ranked mode: shed, in the offered curve's order
    QScatterSeries* m_selected = nullptr;
    QLineSeries* m_capacity = nullptr;
    QValueAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
    std::vector<int> m_order; // ranked mode: node at each rank
};

} // namespace shardsim::ui
