#pragma once
// `compare`: the scenario's workload through two or more rules, on a shared time axis — the busiest node's
// utilisation and the imbalance of every rule tick by tick — and the table of `shardsim-cli compare` (imbalance,
// hottest node, fan-out, the cost of the next growth step; docs/migration-model.md, section 5).
//
// The rules come from the field in the view's tool bar (comma-separated specs, a spec's own parameters staying
// with it). It starts with the scenario's rule and the classic strategies at its number of databases (jump, ring,
// mod); the comparison runs when a run of the scenario finishes and whenever Compare is pressed, each rule with
// the expected engine and the scenario's seed, on a worker thread so the window never waits for it.

#include <vector>

#include "shardsim/migration/rule_comparison.h"
#include "views/analysis_view.h"
#include "workers/job_runner.h"

class QLineEdit;
class QTableWidget;

namespace shardsim::ui {

class TimeSeriesChart;

class CompareView : public AnalysisView {
    Q_OBJECT
public:
    CompareView(ViewContext* context, QWidget* parent = nullptr);
    QString csv() const override;
    bool busy() const override { return m_jobs.busy(); }
    QWidget* exportWidget() override { return m_page; }

    QLineEdit* rulesField() const { return m_rules; }
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
    QString defaultRules() const;

    QLineEdit* m_rules;
    TimeSeriesChart* m_utilization;
    TimeSeriesChart* m_imbalance;
    QTableWidget* m_table;
    QWidget* m_page;
    std::vector<RuleComparison> m_rows;
    QString m_error;
    const void* m_rulesFor = nullptr; // the scenario the field's default was made for
    uint64_t m_comparedGeneration = 0; // the finished run the comparison followed
    bool m_userEdited = false;
    JobRunner m_jobs; // runs the comparison
};

} // namespace shardsim::ui
