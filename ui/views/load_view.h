#pragma once
// `load`: requests/s offered to every node at the selected tick against a node's capacity, split into served, queued
// and shed, and every node's offered load over time (one line per node up to 16 nodes; beyond that the busiest and
// "others") with what the selected node, or the busiest, served and shed.

#include "views/analysis_view.h"

class QLabel;

namespace shardsim::ui {

class NodeBarChart;
class TimeSeriesChart;

class LoadView : public AnalysisView {
    Q_OBJECT
public:
    LoadView(ViewContext* context, QWidget* parent = nullptr);
    QString csv() const override;
    QWidget* exportWidget() override { return m_page; }
    NodeBarChart* bars() const { return m_bars; }
    TimeSeriesChart* lines() const { return m_lines; }

protected:
    void refresh() override;

private:
    void refreshBars();
    void refreshLines();

    NodeBarChart* m_bars;
    TimeSeriesChart* m_lines;
    QWidget* m_page;
    QLabel* m_time;
};

} // namespace shardsim::ui
