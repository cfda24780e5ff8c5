// The run history in the window: runs are recorded as they finish, listed, compared, reopened (with the heat map
// and charts they had), deleted.
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "../core/history_test_support.h"
#include "charts/chart_builder.h"
#include "main_window.h"
#include "models/run_history_model.h"
#include "scenario_document.h"
#include "scripted_run.h"
#include "view_test_support.h"
#include "views/analysis_view.h"
#include "views/heatmap_view.h"
#include "views/history_view.h"
#include "views/view_context.h"

using namespace shardsim::ui;

namespace {

// Reopens a stored run and waits for it to be in the views.
RunSnapshotPtr reopen(MainWindow& window, qint64 id)
{
    QSignalSpy reopened(window.controller(), &RunController::reopened);
    window.viewContext()->requestReopen(id);
    if (!reopened.wait(20'000))
        return nullptr;
    QTest::qWait(150); // the views refresh and the charts re-decimate for their widths
    return window.controller()->snapshot();
}

// The view as a user sees it once it has drawn.
QImage pictureOf(MainWindow& window, const QString& id)
{
    window.showView(id);
    AnalysisView* view = window.view(id);
    QTest::qWait(50);
    EXPECT_TRUE(QTest::qWaitFor([view] { return !view->busy(); }, 20'000)) << id.toStdString() << " stays busy";
    QTest::qWait(50);
    return view->exportWidget()->grab().toImage();
}

// SHARDSIM_KEEP_EXPORTS=DIR keeps the window as it looks, to look at by eye (as test_views.cpp keeps its exports).
void keepWindow(MainWindow& window, const QString& name)
{
    if (qEnvironmentVariableIsSet("SHARDSIM_KEEP_EXPORTS"))
        window.grab().save(QString::fromLocal8Bit(qgetenv("SHARDSIM_KEEP_EXPORTS")) + "/" + name + ".png");
}

QString captionOf(MainWindow& window)
{
    QString text;
    for (const QLabel* label : window.view("heatmap")->findChildren<QLabel*>())
        text += label->text() + QLatin1Char('\n');
    return text;
}

} // namespace

class HistoryViewTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        window.controller()->setRunFactory(test::scriptedRunFactory({ 4, 50 }));
        window.scenarioDocument()->setText(
            QString::fromStdString(test::scriptedScenarioText(4, "50s")), "scripted.yaml");
        ASSERT_TRUE(window.document().load().ok());
        history = qobject_cast<HistoryView*>(window.view("history"));
        ASSERT_NE(history, nullptr);
    }

    void run()
    {
        ASSERT_TRUE(window.startRun());
        ASSERT_TRUE(
            QTest::qWaitFor([this] { return window.controller()->state() == RunController::State::Finished; }, 20'000));
        ASSERT_TRUE(QTest::qWaitFor([this] { return window.controller()->snapshot()->historyRunId != 0; }, 5000));
        history->ensureFresh(); // the window is not shown: the view reads the file on demand
    }

    QTemporaryDir directory;
    MainWindow window { MainWindowOptions { false, directory.filePath("history.sqlite"), true } };
    HistoryView* history = nullptr;
};

TEST_F(HistoryViewTest, FinishedRunsAreListedNewestFirst)
{
    history->ensureFresh();
    EXPECT_EQ(history->model()->rowCount(), 0);
    run();
    run();
    ASSERT_EQ(history->model()->rowCount(), 2);
    EXPECT_GT(history->model()->record(0)->id, history->model()->record(1)->id);
    EXPECT_EQ(history->model()->record(0)->nodes, 4);
    EXPECT_EQ(history->model()->record(0)->ticks, 50);
}

TEST_F(HistoryViewTest, TwoSelectedRunsAreComparedSideBySide)
{
    run();
    run();
    QTableView* table = history->table();
    table->selectionModel()->select(QItemSelection(history->model()->index(0, 0), history->model()->index(1, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    auto* details = history->findChild<QTextBrowser*>();
    ASSERT_NE(details, nullptr);
    const QString text = details->toPlainText();
    EXPECT_TRUE(text.contains("B against A")) << text.toStdString();
    EXPECT_TRUE(text.contains("Imbalance (max/mean)"));
}

TEST_F(HistoryViewTest, AReopenedRunComesBackInTheViewsWithItsScenario)
{
    run();
    const qint64 id = window.controller()->snapshot()->historyRunId;
    window.scenarioDocument()->setText("name: other\n", "other.yaml");
    window.viewContext()->requestReopen(id);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const auto snapshot = window.controller()->snapshot();
            return snapshot && snapshot->historyRunId == id;
        },
        5000));
    const auto snapshot = window.controller()->snapshot();
    EXPECT_EQ(snapshot->ticksDone, 50);
    EXPECT_EQ(snapshot->nodeCount(), 4);
    ASSERT_FALSE(snapshot->windows.empty());
    EXPECT_FLOAT_EQ(snapshot->windows[3]->qps[1], 200.f);
    ASSERT_TRUE(snapshot->result);
    EXPECT_EQ(snapshot->result->nodes.size(), 4u);
    EXPECT_TRUE(window.document().text().startsWith("name: scripted"));
    EXPECT_TRUE(window.document().load().ok());
}

// A history that cannot take the run: the run ends as usual and the app says why it is not recorded; a history
// that cannot be written is still listed.
class UnwritableHistoryTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        {
            shardsim::RunHistory stored = shardsim::testing::mustOpen(m_path);
            for (uint64_t seed = 1; seed <= 8; ++seed)
                shardsim::testing::recordRun(
                    stored, shardsim::testing::SyntheticRun { .seed = seed, .ticks = 200, .nodes = 8 });
        }
        window.controller()->setRunFactory(test::scriptedRunFactory({ 4, 50 }));
        window.scenarioDocument()->setText(
            QString::fromStdString(test::scriptedScenarioText(4, "50s")), "scripted.yaml");
        ASSERT_TRUE(window.document().load().ok());
        history = qobject_cast<HistoryView*>(window.view("history"));
        ASSERT_NE(history, nullptr);
    }

    QTemporaryDir directory;
    std::filesystem::path m_path = directory.filePath("history.sqlite").toStdString();
    MainWindow window { MainWindowOptions { false, directory.filePath("history.sqlite"), true } };
    HistoryView* history = nullptr;
};

TEST_F(UnwritableHistoryTest, ARunIntoADamagedHistoryFinishesAndSaysItIsNotRecorded)
{
    shardsim::testing::overwriteMiddle(m_path);
    ASSERT_TRUE(window.startRun());
    ASSERT_TRUE(
        QTest::qWaitFor([this] { return window.controller()->state() == RunController::State::Finished; }, 20'000));
    const RunSnapshotPtr snapshot = window.controller()->snapshot();
    EXPECT_EQ(snapshot->historyRunId, 0);
    EXPECT_TRUE(snapshot->error.startsWith(QStringLiteral("Not recorded in the run history: run history ")))
        << snapshot->error.toStdString();
    EXPECT_TRUE(snapshot->error.contains(QStringLiteral("the file is damaged"))) << snapshot->error.toStdString();
    history->ensureFresh();
    EXPECT_EQ(history->model()->rowCount(), 0) << "no part of a damaged file is listed";
}

TEST_F(UnwritableHistoryTest, AReadOnlyHistoryIsListed)
{
    shardsim::testing::WriteProtection protection(m_path);
    if (!protection.ok())
        GTEST_SKIP() << shardsim::testing::WriteProtection::kUnavailable;
    history->ensureFresh();
    EXPECT_EQ(history->model()->rowCount(), 8);
}

TEST_F(HistoryViewTest, DeletingARunRemovesIt)
{
    run();
    run();
    history->table()->selectRow(0);
    history->deleteSelected(false);
    history->ensureFresh();
    ASSERT_EQ(history->model()->rowCount(), 1);
}

// The real simulator, recorded and reopened: drifting-hot-range's 2,880 ticks are stored in windows of two ticks,
// the live run drew windows of two ticks too, so the reopened run has the very same cluster points, the same heat
// map and the same pictures in the Heat map, Overview and Load views.
TEST(HistoryReopen, AReopenedRunShowsTheHeatMapAndTheChartsItShowedLive)
{
    QTemporaryDir directory;
    MainWindow window(MainWindowOptions { false, directory.filePath("history.sqlite"), true });
    ASSERT_TRUE(window.openFile(SHARDSIM_SOURCE "/scenarios/workload/drifting-hot-range.yaml"));
    window.resize(1600, 1000);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    ASSERT_TRUE(window.startRun());
    ASSERT_TRUE(QTest::qWaitFor([&] { return !window.controller()->isActive(); }, 120'000));
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.controller()->snapshot()->historyRunId != 0; }, 5000));
    const QImage liveHeatmap = pictureOf(window, "heatmap");
    const RunSnapshotPtr live = window.controller()->snapshot();
    ASSERT_TRUE(live->result && live->charts);
    const QString liveCsv = window.view("heatmap")->csv();

    const RunSnapshotPtr reopened = reopen(window, live->historyRunId);
    ASSERT_TRUE(reopened);
    ASSERT_NE(reopened, live);
    EXPECT_EQ(reopened->historyRunId, live->historyRunId);
    EXPECT_FALSE(reopened->heatmapNotStored);
    EXPECT_TRUE(reopened->error.isEmpty()) << reopened->error.toStdString();

    // The Heat map view draws it again, with the caption the live run had.
    const QImage heatmap = pictureOf(window, "heatmap");
    keepWindow(window, "reopened-heatmap");
    EXPECT_GT(shardsim::ui::test::contentFraction(heatmap), 0.04) << "the reopened heat map looks empty";
    EXPECT_EQ(heatmap.size(), liveHeatmap.size());
    const QString caption = captionOf(window);
    EXPECT_TRUE(caption.contains(QStringLiteral("t_item · 64 key ranges × 1440 time buckets")))
        << caption.toStdString();
    EXPECT_FALSE(caption.contains(QStringLiteral("older shardsim")));
    ASSERT_FALSE(reopened->charts->heatmap.isNull());
    EXPECT_EQ(reopened->charts->heatmap.size(), live->charts->heatmap.size());
    EXPECT_NEAR(reopened->charts->heatmapMaxRate, live->charts->heatmapMaxRate, live->charts->heatmapMaxRate * 1e-6);
    EXPECT_EQ(window.view("heatmap")->csv().count(QLatin1Char('\n')), liveCsv.count(QLatin1Char('\n')));

    // The cluster series behind the Overview's chart and the Load view: the same windows, the same numbers.
    EXPECT_EQ(reopened->windowTicks, 2);
    EXPECT_EQ(reopened->windowTicks, live->windowTicks);
    ASSERT_EQ(reopened->windows.size(), live->windows.size());
    for (size_t w = 0; w < live->windows.size(); ++w) {
        const TickWindow& a = *live->windows[w];
        const TickWindow& b = *reopened->windows[w];
        ASSERT_EQ(b.firstTick, a.firstTick) << w;
        ASSERT_EQ(b.time, a.time) << w;
        ASSERT_EQ(b.clusterQps, a.clusterQps) << w;
        ASSERT_EQ(b.clusterQpsMax, a.clusterQpsMax) << w;
        ASSERT_EQ(b.maxUtilization, a.maxUtilization) << w;
        ASSERT_EQ(b.clusterShedQps, a.clusterShedQps) << w;
        ASSERT_EQ(b.maxOverMean, a.maxOverMean) << w;
        ASSERT_EQ(b.clusterServedQps, a.clusterServedQps) << w;
        ASSERT_EQ(b.clusterP999LatencyMs, a.clusterP999LatencyMs) << w;
        // Each node's served, shed and queued requests and its percentiles, as the Load and Cluster views show them.
        ASSERT_EQ(b.servedQps, a.servedQps) << w;
        ASSERT_EQ(b.shedQps, a.shedQps) << w;
        ASSERT_EQ(b.queued, a.queued) << w;
        ASSERT_EQ(b.p50LatencyMs, a.p50LatencyMs) << w;
        ASSERT_EQ(b.p999LatencyMs, a.p999LatencyMs) << w;
    }
    EXPECT_EQ(reopened->result->cluster.size(), 1'440u) << "one entry per stored window";
    EXPECT_GT(shardsim::ui::test::contentFraction(pictureOf(window, "overview")), 0.04);
    keepWindow(window, "reopened-overview");
    EXPECT_GT(shardsim::ui::test::contentFraction(pictureOf(window, "load")), 0.04);
    keepWindow(window, "reopened-load");
    // Decimated for the width the views now have, the chart lines are the live run's point for point and the heat
    // map image is the live one but for the odd cell whose colour the float32 rates move by one step.
    const RunSnapshotPtr shown = window.controller()->snapshot();
    const ChartData liveCharts = buildCharts(*live, ChartRequest { shown->charts->width, -1 });
    ASSERT_FALSE(shown->charts->clusterQps.isEmpty());
    EXPECT_EQ(shown->charts->clusterQps, liveCharts.clusterQps);
    EXPECT_EQ(shown->charts->maxUtilization, liveCharts.maxUtilization);
    ASSERT_EQ(shown->charts->heatmap.size(), liveCharts.heatmap.size());
    qint64 same = 0;
    for (int y = 0; y < liveCharts.heatmap.height(); ++y)
        for (int x = 0; x < liveCharts.heatmap.width(); ++x)
            same += shown->charts->heatmap.pixel(x, y) == liveCharts.heatmap.pixel(x, y) ? 1 : 0;
    EXPECT_GE(double(same), 0.99 * liveCharts.heatmap.width() * liveCharts.heatmap.height());
}

// A run stored before the history kept heat maps (schema version 1: no run_heatmaps or cluster_ticks rows, stride 0)
// still reopens, with its node ticks in the charts, and the Heat map view says why it is empty.
TEST_F(HistoryViewTest, ARunStoredBeforeHeatMapsWereKeptReopensAndSaysSo)
{
    run();
    const qint64 id = window.controller()->snapshot()->historyRunId;
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(directory.filePath("history.sqlite").toUtf8().constData(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10'000);
    const std::string strip
        = "DELETE FROM run_heatmaps; DELETE FROM cluster_ticks; UPDATE runs SET cluster_tick_stride = 0";
    ASSERT_EQ(sqlite3_exec(db, strip.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);

    const RunSnapshotPtr reopened = reopen(window, id);
    ASSERT_TRUE(reopened);
    EXPECT_TRUE(reopened->heatmapNotStored);
    EXPECT_TRUE(reopened->charts->heatmap.isNull());
    ASSERT_EQ(reopened->windows.size(), 50u);
    EXPECT_EQ(reopened->windows[3]->clusterQps, 100.0 + 200 + 300 + 400) << "summed from the node ticks";
    EXPECT_FALSE(reopened->charts->clusterQps.isEmpty());
    window.view("heatmap")->ensureFresh();
    EXPECT_TRUE(captionOf(window).contains(QStringLiteral("stored by an older shardsim")))
        << captionOf(window).toStdString();
    window.resize(1400, 900);
    window.show();
    pictureOf(window, "heatmap");
    keepWindow(window, "reopened-old-run");

    // A run recorded now keeps its heat map again.
    run();
    const RunSnapshotPtr fresh = reopen(window, window.controller()->snapshot()->historyRunId);
    ASSERT_TRUE(fresh);
    EXPECT_FALSE(fresh->heatmapNotStored);
    EXPECT_FALSE(fresh->charts->heatmap.isNull());
    window.view("heatmap")->ensureFresh();
    EXPECT_FALSE(captionOf(window).contains(QStringLiteral("older shardsim")));
}
