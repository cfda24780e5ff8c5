#pragma once
// `overview`: the run in plain words (peak, imbalance, hottest node and shard, requests offered, served, shed and
// queued, latency percentiles, how a node serves, expectations) above the cluster's requests offered, served and shed
// and its busiest node's offered load over time.

#include "views/analysis_view.h"

class QSplitter;
class QTextBrowser;

namespace shardsim::ui {

class TimeSeriesChart;

class OverviewView : public AnalysisView {
    Q_OBJECT
public:
    OverviewView(ViewContext* context, QWidget* parent = nullptr);
    QString csv() const override;
    QWidget* exportWidget() override;

protected:
    void changeEvent(QEvent* event) override;

    void refresh() override;

private:
    void refreshText();
    void refreshChart();

    QTextBrowser* m_text;
    TimeSeriesChart* m_chart;
    QWidget* m_page;
    QSplitter* m_splitter;
};

} // namespace shardsim::ui
