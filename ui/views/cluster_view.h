#pragma once
// `cluster`: every node as a tile coloured by utilisation at the selected tick, grouped by region,
// with the node table below. Selecting a node here selects it in every other view.

#include "views/analysis_view.h"

class QLabel;
class QScrollArea;
class QSortFilterProxyModel;
class QTableView;

namespace shardsim::ui {

class NodeTableModel;
class NodeTilesWidget;

class ClusterView : public AnalysisView {
    Q_OBJECT
public:
    ClusterView(ViewContext* context, QWidget* parent = nullptr);
    QString csv() const override;
    QWidget* exportWidget() override;
    NodeTableModel* model() const { return m_model; }
    NodeTilesWidget* tiles() const { return m_tiles; }

protected:
    void refresh() override;

private:
    void showSelection(int node);

    NodeTilesWidget* m_tiles;
    QScrollArea* m_scroll;
    NodeTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QLabel* m_time;
    bool m_sized = false; // columns fitted to numbers, not just to names
};

} // namespace shardsim::ui
