#pragma once
// `overview`: the run in plain words (peak, imbalance, hottest node and shard, requests offered, served, shed and
// queued, latency percentiles, how a node serves, expectations) above the cluster's requests offered, served and shed
// and its busiest node's offered load over time. A run in which nodes failed tells each failover in words
// (shardsim/report/failover_story.h, the lines `run` prints); a run under an auto-range rule tells what its ranges did
// (shardsim/report/range_story.h, the CLI's "Ranges" paragraph).

#include "shardsim/engine/run_result.h"
#include "views/analysis_view.h"

class QSplitter;
class QTextBrowser;

namespace shardsim::ui {

class TimeSeriesChart;

// The run's failovers as the Overview shows them: one heading per failed node, its consequences listed below; empty
// without a result or without failures.
QString failoverHtml(const RunResult* result);

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
