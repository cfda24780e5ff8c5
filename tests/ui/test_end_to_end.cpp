// The real simulator behind the window: the built-in example runs in the worker to the end.
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>

#include "main_window.h"
#include "scenario_document.h"

using namespace shardsim::ui;

TEST(EndToEnd, TheDouble11ExampleRunsInTheWorkerAndIsRecorded)
{
    QTemporaryDir directory;
    MainWindow window(MainWindowOptions { false, directory.filePath("history.sqlite"), true });
    window.openBuiltInExample();
    ASSERT_TRUE(window.startRun());
    ASSERT_TRUE(QTest::qWaitFor([&] { return !window.controller()->isActive(); }, 120'000));
    ASSERT_EQ(window.controller()->state(), RunController::State::Finished)
        << window.controller()->snapshot()->error.toStdString();
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.controller()->snapshot()->historyRunId != 0; }, 5000));
    const auto snapshot = window.controller()->snapshot();
    ASSERT_TRUE(snapshot->result);
    EXPECT_EQ(snapshot->ticksDone, 10'800) << "3h in 1s ticks";
    EXPECT_EQ(snapshot->result->expectations.size(), 3u) << "the evening copes, midnight sheds, the load stays even";
    EXPECT_GT(snapshot->result->peak.qps, 12 * 20'000) << "the midnight spike, above what 12 nodes serve";
    EXPECT_EQ(snapshot->nodeCount(), 12) << "8, and the 4 its add_nodes event brings";
}
