#pragma once
// `plan`: the capacity plan of the scenario (docs/planner.md) — nodes and monthly cost over the horizon
// with the reshards marked, the timeline with each period's binding constraint, and the alternatives.
// The plan is computed on a worker thread whenever the scenario changes and the view is looked at; a
// scenario without `plan:` is planned for the present with its top-level limits. A scenario split into business
// databases is planned one business database at a time, the one chosen above the plan. A progress bar and Stop sit in
// the toolbar while it plans; a stopped plan is not started again until Plan is pressed or the scenario changes.

#include <atomic>
#include <memory>
#include <optional>

#include "shardsim/planner/capacity_plan.h"
#include "views/analysis_view.h"
#include "views/business_database_chooser.h"
#include "workers/job_runner.h"

QT_BEGIN_NAMESPACE
class QAction;
class QChartView;
class QLabel;
class QProgressBar;
class QTableWidget;
class QTimer;
class QToolButton;
QT_END_NAMESPACE

namespace shardsim::ui {

class PlanView : public AnalysisView {
    Q_OBJECT
public:
    PlanView(ViewContext* context, QWidget* parent = nullptr);

    QString csv() const override;
    QWidget* exportWidget() override { return m_page; }
    bool busy() const override { return m_jobs.busy(); }
    const std::optional<CapacityPlan>& plan() const { return m_plan; }
    QTableWidget* timelineTable() const { return m_timeline; }
    QTableWidget* alternativesTable() const { return m_alternatives; }
    BusinessDatabaseChooser* databaseChooser() const { return m_database; }
    QProgressBar* progressBar() const { return m_progress; }
    // "Stop" while planning; "Plan" after a stop, to plan the scenario again.
    QToolButton* stopButton() const { return m_stop; }

protected:
    void refresh() override;
    void changeEvent(QEvent* event) override; // follows the system palette

private:
    void start(std::shared_ptr<const ScenarioConfig> scenario);
    void finished(Result<CapacityPlan> result);
    void show(const CapacityPlan& plan, bool planned);
    void showChart(const CapacityPlan& plan);
    void stopOrRestart();
    void showBusy(bool busy);
    void showProgress();
    bool stoppedHere(const std::shared_ptr<const ScenarioConfig>& scenario, const QString& database) const;

    QWidget* m_page;
    QLabel* m_databaseLabel;
    BusinessDatabaseChooser* m_database; // the business database planned
    QLabel* m_summary;
    QChartView* m_chart;
    QTableWidget* m_timeline;
    QTableWidget* m_alternatives;

    std::shared_ptr<const ScenarioConfig> m_planned; // the scenario m_plan (or m_error) belongs to
    QString m_plannedDatabase; // and its business database ("" without)
    std::optional<CapacityPlan> m_plan;
    QString m_error;
    bool m_hasPlanSection = false;

    JobRunner m_jobs; // plans the scenario
    std::shared_ptr<const ScenarioConfig> m_workerScenario; // the scenario being planned
    QString m_workerDatabase;

    // The planner's progress, written by the worker and read by m_progressTimer ten times a second.
    struct Progress {
        std::atomic<int> done { 0 };
        std::atomic<int> total { 0 };
    };
    std::shared_ptr<Progress> m_workerProgress;
    QProgressBar* m_progress;
    QToolButton* m_stop;
    QAction* m_progressAction; // the tool bar's actions of the two above: they show and hide them
    QAction* m_stopAction;
    QTimer* m_progressTimer;
    // A plan the user stopped is not started again by itself until the scenario or the business database changes.
    std::shared_ptr<const ScenarioConfig> m_stoppedScenario;
    QString m_stoppedDatabase;
};

} // namespace shardsim::ui
