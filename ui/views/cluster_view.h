#pragma once
// `cluster`: every node as a tile coloured by its offered load at the selected tick, grouped by region; the cluster's
// requests (offered, served, shed) and served requests' latency percentiles over time; and the node table with the
// same numbers per node. Selecting a node here selects it in every other view.

#include "views/analysis_view.h"

class QLabel;
class QScrollArea;
class QSortFilterProxyModel;
class QTableView;

namespace shardsim::ui {

class NodeTableModel;
class NodeTilesWidget;
class TimeSeriesChart;

class ClusterView : public AnalysisView {
    Q_OBJECT
public:
    ClusterView(ViewContext* context, QWidget* parent = nullptr);
    QString csv() const override;
    QWidget* exportWidget() override;
    NodeTableModel* model() const { return m_model; }
    NodeTilesWidget* tiles() const { return m_tiles; }
    TimeSeriesChart* requestsChart() const { return m_requests; }
    TimeSeriesChart* latencyChart() const { return m_latency; }

protected:
    void refresh() override;

private:
    void showSelection(int node);
    void refreshCharts();
    void widenColumns();

    NodeTilesWidget* m_tiles;
    QScrollArea* m_scroll;
    TimeSeriesChart* m_requests;
    TimeSeriesChart* m_latency;
    NodeTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QLabel* m_time;
    bool m_sized = false; // columns fitted to numbers, not just to names
};

} // namespace shardsim::ui
