#pragma once
// `plan`: the capacity plan of the scenario (docs/planner.md) — nodes and monthly cost over the horizon
// with the reshards marked, the timeline with each period's binding constraint, and the alternatives.
// The plan is computed on a worker thread whenever the scenario changes and the view is looked at; a
// scenario without `plan:` is planned for the present with its top-level limits. A scenario split into business
// databases is planned one business database at a time, the one chosen above the plan.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "shardsim/planner/capacity_plan.h"
#include "views/analysis_view.h"
#include "views/business_database_chooser.h"

QT_BEGIN_NAMESPACE
class QChartView;
class QLabel;
class QTableWidget;
QT_END_NAMESPACE

namespace shardsim::ui {

class PlanView : public AnalysisView {
    Q_OBJECT
public:
    PlanView(ViewContext* context, QWidget* parent = nullptr);
    ~PlanView() override;

    QString csv() const override;
    QWidget* exportWidget() override { return m_page; }
    bool busy() const override { return m_running; }
    const std::optional<CapacityPlan>& plan() const { return m_plan; }
    QTableWidget* timelineTable() const { return m_timeline; }
    QTableWidget* alternativesTable() const { return m_alternatives; }
    BusinessDatabaseChooser* databaseChooser() const { return m_database; }

protected:
    void refresh() override;
    void changeEvent(QEvent* event) override; // follows the system palette

private:
    void start(std::shared_ptr<const ScenarioConfig> scenario);
    void finished();
    void show(const CapacityPlan& plan, bool planned);
    void showChart(const CapacityPlan& plan);
    void stopWorker();

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
    bool m_running = false;
    bool m_hasPlanSection = false;

    // The worker: one at a time; its result is handed over under the mutex.
    std::thread m_worker;
    std::atomic<bool> m_cancel { false };
    std::mutex m_mutex;
    std::shared_ptr<const ScenarioConfig> m_workerScenario;
    QString m_workerDatabase;
    std::optional<Result<CapacityPlan>> m_workerResult;
};

} // namespace shardsim::ui
