// Lesson mode and File → Examples: the library's scenarios by topic, steps walked with Back and Next,
// each raising its view and stopping the time slider at its moment.
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QTest>
#include <QTextBrowser>
#include <gtest/gtest.h>

#include "lesson/example_library.h"
#include "lesson/lesson_panel.h"
#include "main_window.h"
#include "scenario_document.h"
#include "view_test_support.h"
#include "views/view_context.h"

using namespace shardsim::ui;

namespace {
MainWindowOptions automation() { return MainWindowOptions { false, QString(), false }; }

bool raised(MainWindow& window, const QString& view)
{
    QDockWidget* dock = window.viewDock(view);
    return dock && dock->widget()->isVisible();
}

QStringList actionTexts(QMenu* menu)
{
    QStringList texts;
    for (QAction* action : menu->actions())
        texts << action->text();
    return texts;
}
}

TEST(Examples, TheLibraryIsListedByTopic)
{
    MainWindow window(automation());
    const QStringList topics = window.examples().topics();
    for (const char* topic : { "ids", "replay", "rules", "tables", "workload" })
        EXPECT_TRUE(topics.contains(topic)) << topic;
    auto* rules = window.findChild<QMenu*>("examples-rules");
    ASSERT_NE(rules, nullptr);
    EXPECT_TRUE(actionTexts(rules).contains("range-newest-users"));
    EXPECT_TRUE(actionTexts(rules).contains("db-table-uid-9527"));
    auto* examples = window.findChild<QMenu*>("examplesMenu");
    ASSERT_NE(examples, nullptr);
    EXPECT_TRUE(actionTexts(examples).first().startsWith("Double-11 orders")) << "the default scenario comes first";
    // The published workloads have a menu of their own, not a second "Workloads".
    auto* presets = window.findChild<QMenu*>("examples-workloads");
    ASSERT_NE(presets, nullptr);
    EXPECT_EQ(presets->title(), "Published workloads");
    EXPECT_TRUE(actionTexts(presets).contains("ycsb-e"));
}

TEST(Examples, EveryExampleOpensValidWithItsDataFiles)
{
    MainWindow window(automation());
    ASSERT_GE(window.examples().entries().size(), 15u);
    for (const ExampleEntry& entry : window.examples().entries()) {
        ASSERT_TRUE(window.openLibraryExample(entry.topic, entry.name)) << entry.name.toStdString();
        EXPECT_TRUE(window.document().load().ok())
            << entry.name.toStdString() << ": " << window.document().load().errorText();
        EXPECT_TRUE(window.document().filePath().isEmpty()) << "Save asks where to keep a copy";
    }
    EXPECT_FALSE(window.openLibraryExample("rules", "no-such-lesson"));
}

TEST(Lesson, AScenarioWithALessonOpensItsPanelAtTheFirstStep)
{
    MainWindow window(automation());
    window.show();
    ASSERT_TRUE(window.openLibraryExample("rules", "range-newest-users"));
    LessonPanel* panel = window.lessonPanel();
    EXPECT_TRUE(window.lessonDock()->isVisible());
    ASSERT_EQ(panel->stepCount(), 4);
    EXPECT_EQ(panel->currentStep(), 0);
    EXPECT_EQ(panel->findChild<QLabel*>("lessonTitle")->text(), "Step 1 of 4");
    EXPECT_TRUE(panel->findChild<QTextBrowser*>("lessonText")->toPlainText().startsWith("Users are sharded by uid"));
    EXPECT_FALSE(panel->findChild<QPushButton*>("lessonBack")->isEnabled());
    EXPECT_TRUE(panel->findChild<QPushButton*>("lessonNext")->isEnabled());
    EXPECT_TRUE(raised(window, "cluster"));
    EXPECT_FALSE(window.controller()->isActive()) << "a step without a moment does not run anything";

    // A scenario without a lesson closes the panel.
    window.openBuiltInExample();
    EXPECT_FALSE(window.lessonDock()->isVisible());
    EXPECT_EQ(panel->currentStep(), -1);
}

TEST(Lesson, NextRunsTheScenarioAndStopsTheSliderAtTheStepsMoment)
{
    MainWindow window(automation());
    window.show();
    window.controller()->setSpeed(0);
    ASSERT_TRUE(window.openLibraryExample("rules", "range-newest-users"));
    LessonPanel* panel = window.lessonPanel();
    QTest::mouseClick(panel->findChild<QPushButton*>("lessonNext"), Qt::LeftButton);
    EXPECT_EQ(panel->currentStep(), 1);
    EXPECT_TRUE(raised(window, "heatmap"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !window.controller()->isActive(); }, 120'000));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !panel->pendingTick(); }, 5000));
    EXPECT_EQ(window.viewContext()->tick(), 360) << "1h in 10 s ticks";

    QTest::mouseClick(panel->findChild<QPushButton*>("lessonNext"), Qt::LeftButton);
    EXPECT_TRUE(raised(window, "load"));
    EXPECT_EQ(window.viewContext()->tick(), 1080) << "3h: the run is done, so the slider moves at once";

    QTest::mouseClick(panel->findChild<QPushButton*>("lessonNext"), Qt::LeftButton);
    EXPECT_EQ(panel->findChild<QLabel*>("lessonTitle")->text(), "Step 4 of 4");
    EXPECT_FALSE(panel->findChild<QPushButton*>("lessonNext")->isEnabled());
    EXPECT_EQ(window.viewContext()->tick(), 2159) << "6h is the end of the run: its last tick";

    QTest::mouseClick(panel->findChild<QPushButton*>("lessonBack"), Qt::LeftButton);
    QTest::mouseClick(panel->findChild<QPushButton*>("lessonBack"), Qt::LeftButton);
    EXPECT_EQ(panel->currentStep(), 1);
    EXPECT_EQ(window.viewContext()->tick(), 360);
    EXPECT_TRUE(raised(window, "heatmap"));

    const QImage image = window.lessonDock()->grab().toImage();
    EXPECT_GT(test::contentFraction(image), 0.05) << "the lesson's text is drawn";
}
