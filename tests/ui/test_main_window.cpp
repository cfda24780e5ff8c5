#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QListView>
#include <QMimeData>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QTreeWidget>
#include <QtCharts/QChartView>
#include <gtest/gtest.h>

#include "app_settings.h"
#include "editor/code_editor.h"
#include "main_window.h"
#include "models/problems_model.h"
#include "scenario_document.h"
#include "view_test_support.h"
#include "views/analysis_view.h"
#include "views/route_key_panel.h"
#include "views/view_context.h"

using namespace shardsim::ui;

namespace {
MainWindowOptions automation() { return MainWindowOptions { false, QString(), false }; }
}

TEST(MainWindow, OpensTheBuiltInExampleValid)
{
    MainWindow window(automation());
    window.openBuiltInExample();
    EXPECT_TRUE(window.document().load().ok());
    EXPECT_EQ(window.problemsModel()->rowCount(), 0);
    auto* outline = window.findChild<QTreeWidget*>();
    ASSERT_NE(outline, nullptr);
    EXPECT_EQ(outline->topLevelItem(0)->text(0), "double-11-orders");
    EXPECT_TRUE(window.windowTitle().contains("double-11-orders.yaml"));
    EXPECT_EQ(window.viewContext()->layout().shardCount(), 80);
}

TEST(MainWindow, TheStatusBarSaysWhatTheValidScenarioLaysOut)
{
    MainWindow window(automation());
    window.openBuiltInExample();
    const auto* summary = window.findChild<QLabel*>(QStringLiteral("validationSummary"));
    ASSERT_NE(summary, nullptr);
    EXPECT_EQ(summary->text(), QStringLiteral("Valid — 80 logical shards on 8 nodes"));
    // Ranges that split have no fixed count before the run: the bar says what they are instead of "1 logical shards".
    ASSERT_TRUE(window.openFile(SHARDSIM_SOURCE "/scenarios/ranges/add-node-balancer.yaml"));
    EXPECT_EQ(summary->text(), QStringLiteral("Valid — ranges that split, merge and move on 4 nodes"));
}

TEST(MainWindow, ABrokenFileListsItsErrorsAndClickingOneJumpsToItsLine)
{
    MainWindow window(automation());
    ASSERT_TRUE(window.openFile(SHARDSIM_TEST_DATA "/cli/broken.yaml"));
    ASSERT_FALSE(window.document().load().ok());
    ProblemsModel* problems = window.problemsModel();
    ASSERT_EQ(problems->rowCount(), 3);
    QModelIndex nodes;
    for (int i = 0; i < problems->rowCount(); ++i)
        if (problems->index(i).data().toString().contains("cluster.nodes"))
            nodes = problems->index(i);
    ASSERT_TRUE(nodes.isValid());
    emit window.problemsView()->clicked(nodes);
    EXPECT_EQ(window.editor()->textCursor().blockNumber() + 1, 5) << "cluster.nodes is on line 5 of broken.yaml";
    EXPECT_EQ(window.editor()->extraSelections().size(), 3) << "every error is underlined";
    EXPECT_FALSE(window.controller()->isActive());
    EXPECT_FALSE(window.startRun()) << "a broken scenario does not run";
}

TEST(MainWindow, TheBrokenFileIsStillRenderedWithItsErrors)
{
    MainWindow window(automation());
    window.openFile(SHARDSIM_TEST_DATA "/cli/broken.yaml");
    window.resize(1400, 900);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    EXPECT_TRUE(window.problemsView()->isVisible()) << "the problems are in front";
    EXPECT_GT(test::contentFraction(window.problemsView()->grab().toImage()), 0.02);
}

TEST(MainWindow, EditingRevalidatesAfterAPause)
{
    MainWindow window(automation());
    window.openBuiltInExample();
    QSignalSpy validated(window.scenarioDocument(), &ScenarioDocument::validated);
    QTextCursor cursor = window.scenarioDocument()->textDocument()->find("nodes: 8");
    cursor.insertText("nodes: 0");
    ASSERT_TRUE(validated.wait(2000));
    EXPECT_FALSE(window.document().load().ok());
    EXPECT_GE(window.problemsModel()->rowCount(), 1);
    EXPECT_TRUE(window.isWindowModified());
}

TEST(MainWindow, AMissingFileSaysSoInsteadOfCrashing)
{
    MainWindow window(automation());
    EXPECT_FALSE(window.openFile("/nonexistent/scenario.yaml"));
    ASSERT_EQ(window.problemsModel()->rowCount(), 1);
    EXPECT_TRUE(window.problemsModel()->index(0).data().toString().contains("/nonexistent/scenario.yaml"));
}

TEST(MainWindow, SaveAsWritesTheTextAndClearsTheModifiedMark)
{
    QTemporaryDir directory;
    MainWindow window(automation());
    window.openBuiltInExample();
    window.form(); // the form shares the document; nothing to do with it here
    QTextCursor cursor = window.scenarioDocument()->textDocument()->find("seed: 42");
    cursor.insertText("seed: 43");
    EXPECT_TRUE(window.document().isModified());
    QString error;
    const QString path = directory.filePath("mine.yaml");
    ASSERT_TRUE(window.scenarioDocument()->saveAs(path, &error)) << error.toStdString();
    EXPECT_FALSE(window.document().isModified());
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    EXPECT_TRUE(file.readAll().contains("seed: 43"));
}

TEST(MainWindow, DroppingAFileOpensIt)
{
    MainWindow window(automation());
    window.openBuiltInExample();
    QMimeData data;
    data.setUrls({ QUrl::fromLocalFile(SHARDSIM_TEST_DATA "/cli/broken.yaml") });
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    EXPECT_TRUE(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    EXPECT_TRUE(window.document().filePath().endsWith("broken.yaml"));
}

TEST(MainWindow, TheRouteToolExplainsWhereAKeyGoes)
{
    MainWindow window(automation());
    window.openBuiltInExample();
    RouteKeyPanel* route = window.routePanel();
    route->setKey("9527");
    EXPECT_EQ(route->resultText(), "9527 → db1.t_7 on node-1");
    ASSERT_GE(route->steps().size(), 3);
    EXPECT_EQ(route->steps().at(1), "952 % 8 + 1 = 1: database db1");
    route->setKey("not a number");
    EXPECT_TRUE(route->resultText().startsWith("Cannot route") || route->resultText().startsWith("Not a key"));
}

TEST(MainWindow, TheRouteToolRoutesInsideTheChosenBusinessDatabase)
{
    MainWindow window(automation());
    ASSERT_TRUE(window.openFile(SHARDSIM_TEST_DATA "/scenarios/valid/business-databases.yaml"));
    RouteKeyPanel* route = window.routePanel();
    auto* database = route->findChild<QComboBox*>("routeKeyDatabase");
    ASSERT_NE(database, nullptr);
    ASSERT_EQ(database->count(), 3);
    EXPECT_FALSE(database->isHidden());
    // 9527 / 8 = 1190, 1190 % 4 + 1 = 3: db3.t_7, the third logical database of whichever business database.
    route->setKey("9527");
    EXPECT_EQ(route->resultText(), "9527 → order_db/db3.t_7 on node-3"); // order_db: node-1..node-4
    database->setCurrentText("member_db");
    EXPECT_EQ(route->resultText(), "9527 → member_db/db3.t_7 on node-7"); // member_db: node-7, node-8

    // The cluster table groups the nodes by business database.
    window.showView("cluster");
    window.view("cluster")->ensureFresh();
    auto* table = window.view("cluster")->findChild<QTableView*>();
    ASSERT_NE(table, nullptr);
    EXPECT_EQ(table->model()->headerData(1, Qt::Horizontal).toString(), "Database");
    EXPECT_EQ(table->model()->index(6, 1).data().toString(), "member_db");
}

TEST(AppSettings, RecentFilesAreUniqueNewestFirstAndCapped)
{
    QTemporaryDir directory;
    AppSettings settings(directory.filePath("s.ini"));
    for (int i = 0; i < 12; ++i)
        settings.addRecentFile(directory.filePath(QStringLiteral("f%1.yaml").arg(i)));
    settings.addRecentFile(directory.filePath("f5.yaml"));
    const QStringList files = settings.recentFiles();
    ASSERT_EQ(files.size(), AppSettings::kMaxRecentFiles);
    EXPECT_TRUE(files.first().endsWith("f5.yaml"));
    EXPECT_EQ(files.count(directory.filePath("f5.yaml")), 1);
}

TEST(AppSettings, ALayoutFromAnotherVersionIsIgnored)
{
    QTemporaryDir directory;
    AppSettings settings(directory.filePath("s.ini"));
    settings.setWindowState("state-bytes", 1);
    EXPECT_EQ(settings.windowState(1), QByteArray("state-bytes"));
    EXPECT_TRUE(settings.windowState(2).isEmpty());
    EXPECT_DOUBLE_EQ(settings.runSpeed(), 0.0) << "full speed unless chosen otherwise";
}

TEST(MainWindow, FollowsAChangeOfTheSystemPalette)
{
    MainWindow window(automation());
    window.openBuiltInExample();
    const QPalette original = QApplication::palette();
    QPalette dark = original;
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    QApplication::setPalette(dark);
    QCoreApplication::processEvents();
    for (auto* chart : window.findChildren<QChartView*>())
        EXPECT_EQ(chart->chart()->backgroundBrush().color(), QColor(0x1e, 0x1e, 0x1e));
    // Keys are drawn in a light blue on dark backgrounds.
    const QTextBlock block = window.scenarioDocument()->textDocument()->findBlockByNumber(1); // "name: ..."
    ASSERT_FALSE(block.layout()->formats().isEmpty());
    EXPECT_GT(block.layout()->formats().first().format.foreground().color().lightness(), 128);
    QApplication::setPalette(original);
}
