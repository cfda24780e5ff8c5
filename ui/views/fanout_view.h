#pragma once
// `fanout`: what the queries of a finished run cost the shards — per operation its fan-out histogram,
// amplification, rows read and cross-shard share, and which operations drive each node's load.

#include "shardsim/engine/run_result.h"
#include "views/analysis_view.h"

QT_BEGIN_NAMESPACE
class QChartView;
class QTableView;
QT_END_NAMESPACE

namespace shardsim::ui {

class QueryTableModel;

class FanoutView : public AnalysisView {
    Q_OBJECT
public:
    // Operations drawn with their own colour in the charts; the rest are summed as "others".
    static constexpr int kMaxSeries = 8;
    // Fan-outs up to kMaxFanoutBars - 1 get a bar each; larger ones are binned into at most kMaxFanoutBins equal
    // ranges that end at the largest fan-out (so an 80-shard report is on the chart), few enough for every range's
    // label to stand level under its bar.
    static constexpr int kMaxFanoutBars = 32;
    static constexpr int kMaxFanoutBins = 12;
    // Nodes shown in the load chart: the busiest, few enough for their numbers to stand level under the bars.
    static constexpr int kMaxNodes = 24;

    FanoutView(ViewContext* context, QWidget* parent = nullptr);
    QString csv() const override;
    QWidget* exportWidget() override { return m_page; }
    QueryTableModel* model() const { return m_model; }
    QChartView* histogram() const { return m_histogram; }
    QChartView* nodeLoad() const { return m_nodeLoad; }
    int histogramTop() const { return m_histogramTop; } // the largest fan-out the histogram's last bar covers

protected:
    void refresh() override;
    void changeEvent(QEvent* event) override;

private:
    void refreshHistogram(const RunResult& result);
    void refreshNodeLoad(const RunResult& result);

    QueryTableModel* m_model;
    QTableView* m_table;
    QChartView* m_histogram;
    QChartView* m_nodeLoad;
    QWidget* m_page;
    int m_histogramTop = 0;
};

} // namespace shardsim::ui
