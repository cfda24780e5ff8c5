#pragma once
// `compare`: the scenario's workload through two or more rules, on a shared time axis — the busiest node's
// utilisation (in percent of its capacity) and the imbalance of every rule tick by tick, each rule in its own colour
// and dash pattern so lines that coincide stay apart — the table of `shardsim-cli compare` (imbalance, hottest node,
// fan-out, the cost of the scenario's growth step; docs/migration-model.md, section 5) and what became of each event
// of the file in each rule's run.
//
// The rules come from the field in the view's tool bar (comma-separated specs, a spec's own parameters staying
// with it); the growth box beside it picks the step the growth column measures (the file's next step, +1 or ×2, as
// `compare --growth next|+1|x2` does). It starts with the scenario's rule and the classic strategies at its number of
// databases (jump, ring, mod); the comparison runs when a run of the scenario finishes and whenever Compare is pressed,
// each rule with the expected engine and the scenario's seed, on a worker thread so the window never waits for it.

#include <vector>

#include "shardsim/migration/rule_comparison.h"
#include "views/analysis_view.h"
#include "workers/job_runner.h"

class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QTableWidget;

namespace shardsim::ui {

class SeriesLegend;
class TimeSeriesChart;

class CompareView : public AnalysisView {
    Q_OBJECT
public:
    CompareView(ViewContext* context, QWidget* parent = nullptr);
    QString csv() const override;
    bool busy() const override { return m_jobs.busy(); }
    QWidget* exportWidget() override { return m_page; }

    QLineEdit* rulesField() const { return m_rules; }
    QComboBox* growthBox() const { return m_growth; } // in the order of GrowthChoice
    TimeSeriesChart* utilizationChart() const { return m_utilization; }
    SeriesLegend* legend() const { return m_legend; }
    QTableWidget* table() const { return m_table; }
    QString eventsText() const; // a line per rule and event of the file
    const std::vector<RuleComparison>& rows() const { return m_rows; }
    // Starts the comparison with the field's rules; false (and a notice) when they are not valid. The rows arrive
    // when busy() turns false.
    bool compareNow();

protected:
    void refresh() override;

private:
    void finished(Result<std::vector<RuleComparison>> result);
    void fillCharts();
    void fillTable();
    void fillEvents();
    void fitRulesField();
    QString defaultRules() const;

    QLineEdit* m_rules;
    QComboBox* m_growth;
    TimeSeriesChart* m_utilization;
    TimeSeriesChart* m_imbalance;
    SeriesLegend* m_legend;
    QTableWidget* m_table;
    QPlainTextEdit* m_events;
    QWidget* m_page;
    std::vector<RuleComparison> m_rows;
    QString m_error;
    const void* m_rulesFor = nullptr; // the scenario the field's default was made for
    uint64_t m_comparedGeneration = 0; // the finished run the comparison followed
    bool m_userEdited = false;
    JobRunner m_jobs; // runs the comparison
};

} // namespace shardsim::ui
