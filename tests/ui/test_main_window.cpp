#include <QListWidget>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>
#include <gtest/gtest.h>

#include "main_window.h"
#include "scenario_document.h"

using shardsim::ui::MainWindow;
using shardsim::ui::ScenarioDocument;

TEST(MainWindow, OpensTheBuiltInExampleValid)
{
    MainWindow window;
    window.openBuiltInExample();
    EXPECT_TRUE(window.document().load().ok());
    EXPECT_EQ(window.problems()->count(), 0);
    auto* outline = window.findChild<QTreeWidget*>();
    ASSERT_NE(outline, nullptr);
    EXPECT_EQ(outline->topLevelItem(0)->text(0), "double-11-orders");
    EXPECT_TRUE(window.windowTitle().contains("double-11-orders.yaml"));
}

TEST(MainWindow, ABrokenFileListsItsErrorsAndClickingJumpsToTheLine)
{
    MainWindow window;
    ASSERT_TRUE(window.openFile(SHARDSIM_TEST_DATA "/cli/broken.yaml"));
    ASSERT_FALSE(window.document().load().ok());
    ASSERT_GE(window.problems()->count(), 2);
    QListWidgetItem* nodes = nullptr;
    for (int i = 0; i < window.problems()->count(); ++i)
        if (window.problems()->item(i)->text().contains("cluster.nodes"))
            nodes = window.problems()->item(i);
    ASSERT_NE(nodes, nullptr);
    window.problems()->itemClicked(nodes);
    auto* editor = window.findChild<QPlainTextEdit*>();
    EXPECT_EQ(editor->textCursor().blockNumber() + 1, 5) << "cluster.nodes is on line 5 of broken.yaml";
}

TEST(MainWindow, EditingRevalidatesAfterAPause)
{
    MainWindow window;
    window.openBuiltInExample();
    auto* editor = window.findChild<QPlainTextEdit*>();
    QSignalSpy validated(&window.document(), &ScenarioDocument::validated);
    editor->setPlainText(editor->toPlainText().replace("nodes: 8", "nodes: 0"));
    ASSERT_TRUE(validated.wait(2000));
    EXPECT_FALSE(window.document().load().ok());
    EXPECT_GE(window.problems()->count(), 1);
}

TEST(MainWindow, AMissingFileSaysSoInsteadOfCrashing)
{
    MainWindow window;
    EXPECT_FALSE(window.openFile("/nonexistent/scenario.yaml"));
    ASSERT_EQ(window.problems()->count(), 1);
    EXPECT_TRUE(window.problems()->item(0)->text().contains("/nonexistent/scenario.yaml"));
}
