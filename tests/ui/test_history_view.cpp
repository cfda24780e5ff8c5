// The run history in the window: runs are recorded as they finish, listed, compared, reopened, deleted.
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <gtest/gtest.h>

#include "main_window.h"
#include "models/run_history_model.h"
#include "scenario_document.h"
#include "scripted_run.h"
#include "views/history_view.h"
#include "views/view_context.h"

using namespace shardsim::ui;

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

TEST_F(HistoryViewTest, DeletingARunRemovesIt)
{
    run();
    run();
    history->table()->selectRow(0);
    history->deleteSelected(false);
    history->ensureFresh();
    ASSERT_EQ(history->model()->rowCount(), 1);
}
