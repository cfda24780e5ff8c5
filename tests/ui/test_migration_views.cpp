// The migration and compare views after a real run: the bytes an 8 -> 16 growth copies over time, each node's
// bytes in and out, the moved fraction against the optimum, and two or more rules on one time axis.
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>

#include "charts/time_series_chart.h"
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

class MigrationViewsTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        window = std::make_unique<MainWindow>(MainWindowOptions { false, directory.filePath("history.sqlite"), true });
        window->scenarioDocument()->setText(QString::fromLatin1(kGrowth), "growth.yaml");
        ASSERT_TRUE(window->document().load().ok()) << window->document().load().errorText();
        window->resize(1600, 1000);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
        window->controller()->setSpeed(0);
        ASSERT_TRUE(window->startRun());
        ASSERT_TRUE(QTest::qWaitFor(
            [this] { return window->controller()->state() == RunController::State::Finished; }, 60'000));
        QTest::qWait(150);
    }

    QTemporaryDir directory;
    std::unique_ptr<MainWindow> window;
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
    ASSERT_GE(view->rows().size(), 3u);
    EXPECT_EQ(view->rows()[0].spec, "mod:n=8");
    EXPECT_EQ(view->rows()[0].growthMovedFraction, 0.5);
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
        "growth_to,growth_moved_fraction,growth_optimum_fraction,growth_moved_bytes\nmod:n=8,")))
        << view->csv().toStdString();
    view->rulesField()->setText(QStringLiteral("mod:n=8"));
    EXPECT_FALSE(view->compareNow()) << "one rule is no comparison";
    EXPECT_GT(test::contentFraction(view->exportWidget()->grab().toImage()), 0.04);
}
