#pragma once
// `load`: requests/s offered to every node at the selected tick against a node's capacity, split into served, queued
// and shed, and every node's offered load over time (one line per node up to 16 nodes; beyond that the busiest and
// "others"; no two visible lines share a colour and dash pattern) with what the cluster and the selected node, or the
// busiest, served and shed. The legend beside the lines names every one in full.

#include "views/analysis_view.h"

class QLabel;

namespace shardsim::ui {

class NodeBarChart;
class SeriesLegend;
class TimeSeriesChart;

class LoadView : public AnalysisView {
    Q_OBJECT
public:
    LoadView(ViewContext* context, QWidget* parent = nullptr);
    QString csv() const override;
    QWidget* exportWidget() override { return m_page; }
    NodeBarChart* bars() const { return m_bars; }
    TimeSeriesChart* lines() const { return m_lines; }
    SeriesLegend* legend() const { return m_legend; }

protected:
    void refresh() override;

private:
    void refreshBars();
    void refreshLines();

    NodeBarChart* m_bars;
    TimeSeriesChart* m_lines;
    SeriesLegend* m_legend;
    QWidget* m_page;
    QLabel* m_time;
};

} // namespace shardsim::ui
