#pragma once
// Requests/s of every node at one moment, against the capacity of a node. Up to 64 nodes get a bar
// each; larger clusters are drawn as one curve of the nodes ranked from busiest to idlest, decimated
// to the plot's width, so a thousand nodes still read as a shape rather than a smear.

#include <QtCharts/QChartView>

#include <vector>

QT_BEGIN_NAMESPACE
class QBarCategoryAxis;
class QBarSeries;
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

    explicit NodeBarChart(QWidget* parent = nullptr);

    // `qps` per node in node order; `capacity` requests/s of one node at 100%.
    void setLoads(const QStringList& names, const std::vector<double>& qps, double capacity, int selectedNode);
    int pointCount() const; // what the chart holds: bars, or points of the ranked curve
    bool ranked() const { return m_ranked; }
    QBarSet* barSet() const { return m_set; } // the bars; none in ranked mode

signals:
    void nodeClicked(int node);

protected:
    void changeEvent(QEvent* event) override;

private:
    void build(bool ranked);

    bool m_ranked = false;
    bool m_built = false;
    QBarSeries* m_bars = nullptr;
    QBarSet* m_set = nullptr;
    QBarCategoryAxis* m_categories = nullptr;
    QLineSeries* m_curve = nullptr;
    QScatterSeries* m_selected = nullptr;
    QLineSeries* m_capacity = nullptr;
    QValueAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
    std::vector<int> m_order; // ranked mode: node at each rank
};

} // namespace shardsim::ui
