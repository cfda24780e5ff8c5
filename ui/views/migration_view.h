#pragma once
// `migration`: the data the run's events moved — bytes copied per second over time, each node's bytes sent and
// received, and each migration's moved fraction against the optimum, next to what the classic strategies (mod,
// jump, ring, rendezvous) would move for a growth step of the scenario's shard count: the file's own next step (its
// first add_nodes or reshard), +1 or x2, chosen in the tool bar (docs/migration-model.md).

#include <QString>

#include <vector>

#include "views/analysis_view.h"

QT_BEGIN_NAMESPACE
class QChartView;
class QComboBox;
class QLabel;
QT_END_NAMESPACE

namespace shardsim::ui {

class TimeSeriesChart;

class MigrationView : public AnalysisView {
    Q_OBJECT
public:
    MigrationView(ViewContext* context, QWidget* parent = nullptr);
    QString csv() const override;
    QWidget* exportWidget() override { return m_page; }
    TimeSeriesChart* bytesChart() const { return m_bytes; }

    struct FractionBar {
        QString label; // "add_nodes 8 at 1m40s", "jump 8 -> 16"
        double moved = 0;
        double optimum = 0;
    };
    const std::vector<FractionBar>& fractions() const { return m_fractions; }
    QComboBox* growthBox() const { return m_growth; }
    // The strategies' step and where it comes from: "8→9 (+1: add_nodes 1 at 10m (line 29))".
    QString strategySteps() const { return m_strategySteps; }

protected:
    void refresh() override;
    void changeEvent(QEvent* event) override;

private:
    void refreshBytes();
    void refreshNodes();
    void refreshFractions();
    // The strategies' growth steps at the scenario's shard count, measured once per scenario.
    const std::vector<FractionBar>& strategyBars();

    TimeSeriesChart* m_bytes;
    QChartView* m_nodes;
    QChartView* m_fractionChart;
    QComboBox* m_growth;
    QLabel* m_growthSource;
    QWidget* m_page;
    std::vector<FractionBar> m_fractions;
    const void* m_strategyScenario = nullptr;
    int m_strategyChoice = -1;
    std::vector<FractionBar> m_strategies;
    QString m_strategySteps;
    QString m_strategyStep; // "8→9 (+1)"
};

} // namespace shardsim::ui
