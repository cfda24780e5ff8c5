// The migration and compare views after a real run: the bytes an 8 -> 16 growth copies over time, each node's
// bytes in and out, the moved fraction against the optimum, and two or more rules on one time axis.
#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <gtest/gtest.h>

#include "charts/series_legend.h"
#include "charts/time_series_chart.h"
#include "finished_run_test.h"
#include "main_window.h"
#include "scenario_document.h"
#include "view_test_support.h"
#include "views/compare_view.h"
#include "views/migration_view.h"
#include "workers/run_controller.h"

using namespace shardsim;
using namespace shardsim::ui;

namespace {

const char* kGrowth = R"(name: growth
duration: 300s
tick: 1s
cluster: { nodes: 8, node: { max_qps: 2K } }
data:
  tables:
    - { name: t_user, key: uid, rows: 8M, row_size: 1KB }
sharding: { rule: "mod:n=8" }
workload:
  rate: 4K/s
  keys: { distribution: uniform }
events:
  - { at: 60s, add_nodes: 8, reshard: "mod:n=16", migration: { bandwidth: 40MB/s } }
)";

class MigrationViewsTest : public test::FinishedRunTest {
protected:
    void SetUp() override { runText(kGrowth, "growth.yaml"); }
};

} // namespace

TEST_F(MigrationViewsTest, MigrationViewShowsTheCopyAndTheOptimum)
{
    ASSERT_TRUE(window->showView(QStringLiteral("migration")));
    QTest::qWait(100);
    auto* view = qobject_cast<MigrationView*>(window->view(QStringLiteral("migration")));
    ASSERT_NE(view, nullptr);
    view->ensureFresh();
    // Half of 8 GB at 40 MB/s: 100 s of copying, drawn as a plateau of 40 MB/s.
    ASSERT_FALSE(view->fractions().empty());
    EXPECT_DOUBLE_EQ(view->fractions().front().moved, 0.5);
    EXPECT_DOUBLE_EQ(view->fractions().front().optimum, 0.5);
    // The strategies' next growth step: jump near the optimum, mod exactly half for a doubling.
    bool sawJump = false;
    for (const auto& bar : view->fractions()) {
        if (bar.label.startsWith(QStringLiteral("jump"))) {
            sawJump = true;
            EXPECT_NEAR(bar.moved, 0.5, 0.01);
        }
    }
    EXPECT_TRUE(sawJump);
    EXPECT_GT(view->bytesChart()->largestSeriesSize(), 0);
    const QString csv = view->csv();
    EXPECT_TRUE(csv.contains(QStringLiteral("reshard to mod:n=16"))) << csv.toStdString();
    EXPECT_TRUE(csv.contains(QStringLiteral(",4000000000,100\n"))) << csv.toStdString();
    EXPECT_GT(test::contentFraction(view->exportWidget()->grab().toImage()), 0.04);
}

TEST_F(MigrationViewsTest, CompareViewRunsEveryRuleOnTheSameWorkload)
{
    ASSERT_TRUE(window->showView(QStringLiteral("compare")));
    QTest::qWait(100);
    auto* view = qobject_cast<CompareView*>(window->view(QStringLiteral("compare")));
    ASSERT_NE(view, nullptr);
    view->ensureFresh();
    // The comparison runs on its own thread; the window stays responsive meanwhile.
    ASSERT_TRUE(QTest::qWaitFor([view] { return !view->busy(); }, 60'000));
    // The scenario's rule and the strategies at its 8 databases.
    EXPECT_TRUE(view->rulesField()->text().startsWith(QStringLiteral("mod:n=8,jump:buckets=8")))
        << view->rulesField()->text().toStdString();
    // The whole list shows in the field, not its first half.
    EXPECT_GE(
        view->rulesField()->width(), view->rulesField()->fontMetrics().horizontalAdvance(view->rulesField()->text()));
    ASSERT_GE(view->rows().size(), 3u);
    EXPECT_EQ(view->rows()[0].spec, "mod:n=8");
    EXPECT_EQ(view->rows()[0].growthMovedFraction, 0.5);
    // The file's reshard to mod:n=16 is a doubling: every rule's run doubles too, so the added nodes take data.
    EXPECT_EQ(view->rows()[1].spec, "jump:buckets=8");
    EXPECT_EQ(view->rows()[1].run.migrations.size(), 1u);
    EXPECT_TRUE(view->eventsText().contains(QStringLiteral(
        "add_nodes 8, reshard to mod:n=16 at 1m (line 13): reshard as jump:buckets=8 -> jump:buckets=16 (x2); the "
        "rest kept")))
        << view->eventsText().toStdString();
    EXPECT_EQ(view->table()->horizontalHeaderItem(5)->text(), QStringLiteral("growth x2 moves (optimum), bytes"));
    // Every column whole beside the editor at the window's default size.
    EXPECT_LE(view->table()->horizontalHeader()->length(), view->table()->viewport()->width());
    // One time axis: every rule ran the same ticks.
    for (const auto& row : view->rows())
        EXPECT_EQ(row.run.cluster.size(), 300u);
    // A list the user types replaces it.
    view->rulesField()->setText(QStringLiteral("mod:n=8,db-table:dbs=4,tables=2"));
    ASSERT_TRUE(view->compareNow());
    EXPECT_TRUE(view->busy());
    ASSERT_TRUE(QTest::qWaitFor([view] { return !view->busy(); }, 60'000));
    ASSERT_EQ(view->rows().size(), 2u);
    EXPECT_EQ(view->rows()[1].spec, "db-table:dbs=4,tables=2");
    EXPECT_TRUE(view->csv().contains(QStringLiteral("db-table:dbs=4,tables=2")));
    // The export's columns are the fields of `compare --format json` (docs/outputs.md).
    EXPECT_TRUE(view->csv().startsWith(QStringLiteral(
        "rule,imbalance,peak_imbalance,hottest_node,hottest_share,peak_utilization,fanout,requests,failed_requests,"
        "events,growth_to,growth_moved_fraction,growth_optimum_fraction,growth_moved_bytes\nmod:n=8,")))
        << view->csv().toStdString();
    view->rulesField()->setText(QStringLiteral("mod:n=8"));
    EXPECT_FALSE(view->compareNow()) << "one rule is no comparison";
    EXPECT_GT(test::contentFraction(view->exportWidget()->grab().toImage()), 0.04);
}

TEST_F(MigrationViewsTest, CompareViewKeepsCoincidentLinesApartInPercentOfCapacity)
{
    ASSERT_TRUE(window->showView(QStringLiteral("compare")));
    auto* view = qobject_cast<CompareView*>(window->view(QStringLiteral("compare")));
    ASSERT_NE(view, nullptr);
    view->ensureFresh();
    ASSERT_TRUE(QTest::qWaitFor([view] { return !view->busy(); }, 60'000));
    ASSERT_GE(view->rows().size(), 3u);
    QTest::qWait(50);
    const TimeSeriesChart& chart = *view->utilizationChart();
    // Percent as it is, never "(K)": 4,000% of capacity reads 4000 on the axis, not 4.
    EXPECT_EQ(chart.leftTitle(), QStringLiteral("% of its capacity (max_qps)"));
    auto* axis = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Vertical).constFirst());
    ASSERT_NE(axis, nullptr);
    double peak = 0;
    for (const auto& row : view->rows())
        peak = std::max(peak, 100 * row.peakUtilization);
    EXPECT_GE(axis->max(), std::max(100.0, peak)) << "the busiest node's peak and the 100% line are on the chart";
    EXPECT_LE(axis->max(), 2 * std::max(100.0, peak));
    // mod:n=8 and jump:buckets=8 spread uniform keys alike, so their lines coincide: a dash pattern and a width
    // of their own keep both visible.
    const QPen mod = chart.series(QStringLiteral("mod:n=8"))->pen();
    const QPen jump = chart.series(QStringLiteral("jump:buckets=8"))->pen();
    EXPECT_NE(mod.style(), jump.style());
    EXPECT_GT(mod.widthF(), jump.widthF()) << "the first line is drawn wider, under the second";
    // One legend for both charts, every name whole.
    EXPECT_FALSE(chart.chart()->legend()->isVisible());
    const QStringList names = view->legend()->names();
    for (const auto& row : view->rows())
        EXPECT_TRUE(names.contains(QString::fromStdString(row.spec))) << row.spec;
    EXPECT_GE(view->legend()->height(), view->legend()->heightForWidth(view->legend()->width()));
}

TEST_F(MigrationViewsTest, CompareViewsGrowthColumnMeasuresTheStepChosen)
{
    ASSERT_TRUE(window->showView(QStringLiteral("compare")));
    auto* view = qobject_cast<CompareView*>(window->view(QStringLiteral("compare")));
    ASSERT_NE(view, nullptr);
    view->ensureFresh();
    ASSERT_TRUE(QTest::qWaitFor([view] { return !view->busy(); }, 60'000));
    const auto movedBy = [view](const std::string& spec) {
        for (const auto& row : view->rows())
            if (row.spec == spec)
                return row.growthMovedFraction;
        return -1.0;
    };
    // The file's own step doubles (mod:n=8 -> mod:n=16): mod and jump both move half of the rows.
    EXPECT_EQ(view->growthBox()->currentText(), QStringLiteral("the file's next step"));
    EXPECT_EQ(view->table()->horizontalHeaderItem(5)->text(), QStringLiteral("growth x2 moves (optimum), bytes"));
    EXPECT_NEAR(movedBy("mod:n=8"), 0.5, 1e-9);
    EXPECT_NEAR(movedBy("jump:buckets=8"), 0.5, 0.01);

    // One more shard: mod rehashes 8 of every 9 keys, jump moves only the new bucket's 1/9.
    view->growthBox()->setCurrentIndex(1);
    EXPECT_TRUE(view->busy()) << "choosing a step compares again";
    ASSERT_TRUE(QTest::qWaitFor([view] { return !view->busy(); }, 60'000));
    EXPECT_EQ(view->table()->horizontalHeaderItem(5)->text(), QStringLiteral("growth +1 moves (optimum), bytes"));
    EXPECT_NEAR(movedBy("mod:n=8"), 8.0 / 9, 0.001);
    EXPECT_NEAR(movedBy("jump:buckets=8"), 1.0 / 9, 0.01);

    view->growthBox()->setCurrentIndex(2);
    ASSERT_TRUE(QTest::qWaitFor([view] { return !view->busy(); }, 60'000));
    EXPECT_EQ(view->table()->horizontalHeaderItem(5)->text(), QStringLiteral("growth x2 moves (optimum), bytes"));
    EXPECT_NEAR(movedBy("mod:n=8"), 0.5, 1e-9);
}

TEST(MigrationViewGrowth, StrategiesGrowByTheScenariosOwnStepOrTheOneChosen)
{
    QTemporaryDir directory;
    MainWindow window(MainWindowOptions { false, directory.filePath("history.sqlite"), true });
    QFile file(QStringLiteral(SHARDSIM_SOURCE "/scenarios/events/ring-jump-modulo-growth-mod.yaml"));
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    window.scenarioDocument()->setText(QString::fromUtf8(file.readAll()), "ring-jump-modulo-growth-mod.yaml");
    ASSERT_TRUE(window.document().load().ok()) << window.document().load().errorText();
    window.resize(1600, 1000);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    ASSERT_TRUE(window.showView(QStringLiteral("migration")));
    auto* view = qobject_cast<MigrationView*>(window.view(QStringLiteral("migration")));
    ASSERT_NE(view, nullptr);
    view->ensureFresh();
    const auto moved = [view](const QString& strategy) {
        for (const auto& bar : view->fractions())
            if (bar.label == strategy)
                return bar.moved;
        return -1.0;
    };
    // The file adds one node (mod:n=8 -> mod:n=9): mod moves 8/9 of the keys, jump and a ring about 1/9.
    EXPECT_EQ(view->strategySteps(), QStringLiteral("8→9 (+1: add_nodes 1, reshard to mod:n=9 at 10m (line 29))"));
    EXPECT_NEAR(moved(QStringLiteral("mod")), 8.0 / 9, 0.001);
    EXPECT_NEAR(moved(QStringLiteral("jump")), 1.0 / 9, 0.01);
    EXPECT_NEAR(moved(QStringLiteral("ring")), 1.0 / 9, 0.05);

    // Doubling instead: every strategy moves about half, the lesson the old chart taught by mistake.
    view->growthBox()->setCurrentIndex(2);
    view->ensureFresh();
    EXPECT_EQ(view->strategySteps(), QStringLiteral("8→16 (x2)"));
    EXPECT_NEAR(moved(QStringLiteral("mod")), 0.5, 0.001);
    EXPECT_NEAR(moved(QStringLiteral("jump")), 0.5, 0.01);
    view->growthBox()->setCurrentIndex(1);
    view->ensureFresh();
    EXPECT_EQ(view->strategySteps(), QStringLiteral("8→9 (+1)"));
}
