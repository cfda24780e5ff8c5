// The plan view: a growth plan's timeline, reshards and alternatives, an infeasible hot key, and a
// scenario without a plan: section planned for the present.
#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <gtest/gtest.h>

#include "main_window.h"
#include "scenario_document.h"
#include "view_test_support.h"
#include "views/plan_view.h"

using namespace shardsim;
using namespace shardsim::ui;

namespace {

QString readText(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

class PlanViewTest : public ::testing::Test {
protected:
    PlanView* openPlan(const QString& file) { return openPlanAt(QStringLiteral(SHARDSIM_TEST_DATA "/plans/") + file); }

    PlanView* openPlanAt(const QString& path)
    {
        window = std::make_unique<MainWindow>(MainWindowOptions { false, directory.filePath("history.sqlite"), true });
        window->scenarioDocument()->setText(readText(path), path);
        EXPECT_TRUE(window->document().load().ok()) << window->document().load().errorText();
        window->resize(1600, 1000);
        window->show();
        EXPECT_TRUE(QTest::qWaitForWindowExposed(window.get()));
        EXPECT_TRUE(window->showView(QStringLiteral("plan")));
        auto* view = qobject_cast<PlanView*>(window->view(QStringLiteral("plan")));
        EXPECT_NE(view, nullptr);
        if (!view)
            return nullptr;
        EXPECT_TRUE(QTest::qWaitFor([view] { return view->plan().has_value() && !view->busy(); }, 60'000));
        QTest::qWait(100);
        return view;
    }

    QTemporaryDir directory;
    std::unique_ptr<MainWindow> window;
};

} // namespace

TEST_F(PlanViewTest, ScenarioWithoutPlanSectionShowsThePlanOfTheCommandLine)
{
    // A library scenario without a plan: section; `shardsim-cli plan` prints this same plan (PlanCli,
    // ScenarioWithoutPlanSectionIsPlannedForThePresent): four nodes of jump now.
    PlanView* view = openPlanAt(QStringLiteral(SHARDSIM_SOURCE "/scenarios/events/grow-8-to-16.yaml"));
    ASSERT_NE(view, nullptr);
    const CapacityPlan& plan = *view->plan();
    EXPECT_TRUE(plan.feasible);
    EXPECT_EQ(plan.recommended.nodes, 4);
    EXPECT_EQ(plan.recommended.rule, "jump:buckets=4");
    EXPECT_EQ(plan.horizon, "now only");
    ASSERT_EQ(view->timelineTable()->rowCount(), 1);
    EXPECT_EQ(view->timelineTable()->item(0, 1)->text(), QString::number(4));
    bool noticed = false;
    for (const QLabel* label : view->findChildren<QLabel*>())
        noticed = noticed || (label->isVisible() && label->text().contains(QStringLiteral("no plan: section")));
    EXPECT_TRUE(noticed) << "the view says the plan is of the present only";
}

TEST_F(PlanViewTest, BusinessDatabasesArePlannedOneAtATimeByChoice)
{
    PlanView* view = openPlan(QStringLiteral("business-databases.yaml"));
    ASSERT_NE(view, nullptr);
    QComboBox* chooser = view->databaseChooser();
    ASSERT_EQ(chooser->count(), 3);
    EXPECT_FALSE(chooser->isHidden());
    EXPECT_EQ(chooser->currentText(), QStringLiteral("order_db"));
    chooser->setCurrentText(QStringLiteral("member_db"));
    // member_db: 12K/s on nodes of 10K/s at 70% at most.
    ASSERT_TRUE(QTest::qWaitFor(
        [view] { return !view->busy() && view->plan() && view->plan()->recommended.nodes == 2; }, 60'000));
    EXPECT_EQ(view->timelineTable()->item(0, 1)->text(), QStringLiteral("2"));
}

TEST_F(PlanViewTest, GrowthPlanShowsTimelineReshardsAndAlternatives)
{
    PlanView* view = openPlan(QStringLiteral("growth-quarters.yaml"));
    ASSERT_NE(view, nullptr);
    const CapacityPlan& plan = *view->plan();
    ASSERT_TRUE(plan.feasible);
    EXPECT_EQ(view->timelineTable()->rowCount(), 13);
    EXPECT_EQ(view->timelineTable()->item(0, 0)->text(), QStringLiteral("now"));
    EXPECT_EQ(view->timelineTable()->item(0, 1)->text(), QStringLiteral("9"));
    EXPECT_EQ(view->timelineTable()->item(12, 1)->text(), QStringLiteral("26"));
    EXPECT_EQ(view->timelineTable()->item(12, 8)->text(), QStringLiteral("qps"));
    ASSERT_EQ(view->alternativesTable()->rowCount(), 1);
    EXPECT_EQ(view->alternativesTable()->item(0, 0)->text(), QStringLiteral("mod"));
    // Every reshard is a marker on the chart, and every period a marker of its binding constraint.
    auto* chartView = view->exportWidget()->findChild<QChartView*>();
    ASSERT_NE(chartView, nullptr);
    int reshards = 0;
    int bindings = 0;
    for (QAbstractSeries* series : chartView->chart()->series())
        if (auto* scatter = qobject_cast<QScatterSeries*>(series)) {
            if (scatter->name() == QStringLiteral("Reshard"))
                reshards += int(scatter->count());
            else if (scatter->name().startsWith(QStringLiteral("bound by ")))
                bindings += int(scatter->count());
        }
    EXPECT_EQ(reshards, int(plan.reshards.size()));
    EXPECT_EQ(bindings, 13);
    const QImage picture = view->exportWidget()->grab().toImage();
    EXPECT_GT(test::contentFraction(picture), 0.04) << "the plan view looks empty";
    bool summaryNamesRule = false;
    bool summaryShowsToday = false;
    for (QLabel* label : view->exportWidget()->findChildren<QLabel*>()) {
        summaryNamesRule |= label->text().contains(QStringLiteral("jump:buckets=9"));
        // growth-quarters.yaml runs on 4 nodes today.
        summaryShowsToday |= label->text().contains(QStringLiteral("4 nodes today → <b>9</b>"));
    }
    EXPECT_TRUE(summaryNamesRule);
    EXPECT_TRUE(summaryShowsToday);
    const QString csv = view->csv();
    EXPECT_TRUE(csv.startsWith(QStringLiteral("period,nodes,")));
    EXPECT_EQ(csv.count(QLatin1Char('\n')), 14);
}

TEST_F(PlanViewTest, ThePlanChartIsTallEnoughToReadWithWholeNodesOnItsAxis)
{
    PlanView* view = openPlan(QStringLiteral("growth-quarters.yaml"));
    ASSERT_NE(view, nullptr);
    auto* chartView = view->exportWidget()->findChild<QChartView*>();
    ASSERT_NE(chartView, nullptr);
    // At the window's default size the plot itself, inside title, legend and axis titles, keeps room to read.
    EXPECT_GE(chartView->height(), 380);
    EXPECT_GE(chartView->chart()->plotArea().height(), 200);
    // 26 nodes at most: ticks 0, 5, 10 .. 30, every one a whole number (never "0 1 1 2 2").
    auto* nodes = qobject_cast<QValueAxis*>(chartView->chart()->axes(Qt::Vertical).constFirst());
    ASSERT_NE(nodes, nullptr);
    EXPECT_EQ(nodes->tickType(), QValueAxis::TicksDynamic);
    EXPECT_EQ(nodes->tickInterval(), 5.0);
    EXPECT_EQ(nodes->max(), 30.0);
}

TEST_F(PlanViewTest, HotKeyIsShownInfeasibleWithItsReason)
{
    PlanView* view = openPlan(QStringLiteral("hot-key.yaml"));
    ASSERT_NE(view, nullptr);
    EXPECT_FALSE(view->plan()->feasible);
    bool reasonShown = false;
    for (QLabel* label : view->exportWidget()->findChildren<QLabel*>())
        reasonShown |= label->text().contains(QStringLiteral("the hottest key alone needs"));
    EXPECT_TRUE(reasonShown);
}

TEST_F(PlanViewTest, NoColumnIsNarrowerThanItsContent)
{
    // The default window size, as screenshots and the first start use it.
    PlanView* view = openPlanAt(QStringLiteral(SHARDSIM_SOURCE "/scenarios/planning/orders-capacity-plan.yaml"));
    ASSERT_NE(view, nullptr);
    for (QTableWidget* table : { view->timelineTable(), view->alternativesTable() }) {
        SCOPED_TRACE(table == view->timelineTable() ? "timeline" : "alternatives");
        ASSERT_GT(table->rowCount(), 0);
        const bool wraps = table == view->alternativesTable(); // "Why not" wraps its sentences
        for (int column = 0; column < table->columnCount(); ++column) {
            SCOPED_TRACE(table->horizontalHeaderItem(column)->text().toStdString());
            EXPECT_GE(table->columnWidth(column), table->horizontalHeader()->sectionSizeHint(column));
            if (wraps && column == table->columnCount() - 1) {
                const QFontMetrics metrics(table->font());
                for (int row = 0; row < table->rowCount(); ++row) {
                    const QString text = table->item(row, column)->text();
                    const QRect needed = metrics.boundingRect(
                        QRect(0, 0, table->columnWidth(column) - 12, 1 << 20), Qt::TextWordWrap, text);
                    EXPECT_GE(table->rowHeight(row), needed.height()) << text.toStdString();
                }
                continue;
            }
            // The widest cell (sizeHintForColumn is public on the item view, protected on the table view).
            EXPECT_GE(table->columnWidth(column), static_cast<QAbstractItemView*>(table)->sizeHintForColumn(column));
        }
        // Every column in sight: nothing is cut at the table's right edge.
        EXPECT_LE(table->horizontalHeader()->length(), table->viewport()->width());
    }
}

TEST_F(PlanViewTest, StopEndsThePlanningAndPlanStartsItAgain)
{
    window = std::make_unique<MainWindow>(MainWindowOptions { false, directory.filePath("history.sqlite"), true });
    // Thirty years by month from 100 req/s doubling every year, as the planner's benchmark plans it: many seconds of
    // sizing, long enough to be stopped half way. (From the file's 15K/s growing 60% a year, no rule fits the
    // present and the plan is done before Stop can be pressed.)
    const QString path = QStringLiteral(SHARDSIM_SOURCE "/scenarios/planning/orders-capacity-plan.yaml");
    QString text = readText(path);
    text.replace(QStringLiteral("horizon: 3y"), QStringLiteral("horizon: 30y"));
    text.replace(QStringLiteral("step: quarter"), QStringLiteral("step: month"));
    text.replace(QStringLiteral("base: 15K/s"), QStringLiteral("base: 100/s"));
    text.replace(QStringLiteral("growth: 60%/year"), QStringLiteral("growth: 100%/year"));
    ASSERT_TRUE(text.contains(QStringLiteral("base: 100/s")) && text.contains(QStringLiteral("growth: 100%/year")));
    window->scenarioDocument()->setText(text, path);
    ASSERT_TRUE(window->document().load().ok()) << window->document().load().errorText();
    window->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
    ASSERT_TRUE(window->showView(QStringLiteral("plan")));
    auto* view = qobject_cast<PlanView*>(window->view(QStringLiteral("plan")));
    ASSERT_NE(view, nullptr);
    ASSERT_TRUE(QTest::qWaitFor([view] { return view->busy(); }, 10'000));
    EXPECT_TRUE(view->progressBar()->isVisible());
    ASSERT_TRUE(view->stopButton()->isVisible());
    EXPECT_TRUE(view->stopButton()->isEnabled()) << "a button the user can press";
    EXPECT_EQ(view->stopButton()->text(), QStringLiteral("Stop"));
    // The bar moves as periods are sized.
    EXPECT_TRUE(QTest::qWaitFor([view] { return view->progressBar()->value() > 0; }, 60'000));
    QTest::mouseClick(view->stopButton(), Qt::LeftButton);
    // The view drops the plan in progress at once; the worker ends on its own within a run.
    EXPECT_FALSE(view->busy());
    EXPECT_FALSE(view->progressBar()->isVisible());
    EXPECT_TRUE(view->stopButton()->isVisible());
    EXPECT_TRUE(view->stopButton()->isEnabled());
    EXPECT_EQ(view->stopButton()->text(), QStringLiteral("Plan"));
    const auto saysStopped = [view] {
        for (const QLabel* label : view->findChildren<QLabel*>())
            if (label->isVisible() && label->text().contains(QStringLiteral("stopped")))
                return true;
        return false;
    };
    EXPECT_TRUE(saysStopped()) << "the view says planning was stopped";
    // Nothing the stopped planner still finishes reaches the view: no plan, no table rows, still stopped.
    QTest::qWait(1'500);
    EXPECT_FALSE(view->plan().has_value());
    EXPECT_EQ(view->timelineTable()->rowCount(), 0);
    EXPECT_FALSE(view->busy());
    EXPECT_TRUE(saysStopped());
    // Looking at the view again does not restart it by itself; Plan does.
    window->showView(QStringLiteral("plan"));
    QTest::qWait(50);
    EXPECT_FALSE(view->busy());
    QTest::mouseClick(view->stopButton(), Qt::LeftButton);
    EXPECT_TRUE(view->busy());
    EXPECT_EQ(view->stopButton()->text(), QStringLiteral("Stop"));
    EXPECT_TRUE(view->progressBar()->isVisible());
    EXPECT_FALSE(saysStopped());
    // A fresh plan whose bar moves again; stopped, it too shows nothing.
    EXPECT_TRUE(QTest::qWaitFor([view] { return view->progressBar()->value() > 0; }, 60'000));
    QTest::mouseClick(view->stopButton(), Qt::LeftButton);
    EXPECT_FALSE(view->busy());
    EXPECT_FALSE(view->plan().has_value());
}
