// Files that are not scenarios open the way the CLI reads them: refused with the CLI's own words, or shown with
// their error at once, never loaded into the form as garbage and never a hang.

#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>

#include <limits>

#include "main_window.h"
#include "models/problems_model.h"
#include "scenario_document.h"
#include "scripted_run.h"
#include "shardsim/scenario/scenario_reader.h"
#include "workers/run_controller.h"

using namespace shardsim::ui;

namespace {

MainWindowOptions automation() { return MainWindowOptions { false, QString(), false }; }

QString problemsText(MainWindow& window)
{
    QStringList rows;
    for (int i = 0; i < window.problemsModel()->rowCount(); ++i)
        rows.append(window.problemsModel()->index(i).data().toString());
    return rows.join(QLatin1Char('\n'));
}

// Opens `text` as a file in a shown window, so the editor lays out and paints the line.
void openShown(MainWindow& window, const QTemporaryDir& dir, const std::string& text)
{
    const QString path = dir.filePath(QStringLiteral("long-line.yaml"));
    std::ofstream(path.toStdString(), std::ios::binary) << text;
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    ASSERT_TRUE(window.openFile(path));
    QCoreApplication::processEvents();
    window.repaint();
}

} // namespace

TEST(HostileFiles, A200KBLineOfBracketsShowsItsError)
{
    QTemporaryDir dir;
    MainWindow window(automation());
    openShown(window, dir, std::string(200'000, '['));
    EXPECT_FALSE(window.document().load().ok());
    ASSERT_GE(window.problemsModel()->rowCount(), 1);
    EXPECT_TRUE(problemsText(window).contains(QStringLiteral("Line 1:"))) << problemsText(window).toStdString();
}

TEST(HostileFiles, A200KBLineOfNestedFlowMappingsShowsItsError)
{
    // The editor's own locator reads flow mappings too; it must not recurse 40,000 levels deep.
    std::string text = "name: x\nduration: ";
    for (int i = 0; i < 40'000; ++i)
        text += "{a: ";
    text += std::string(40'000, '}') + "\n";
    QTemporaryDir dir;
    MainWindow window(automation());
    openShown(window, dir, text);
    EXPECT_FALSE(window.document().load().ok());
    ASSERT_GE(window.problemsModel()->rowCount(), 1);
    EXPECT_TRUE(problemsText(window).contains(QStringLiteral("Line 2:"))) << problemsText(window).toStdString();
}

TEST(HostileFiles, DirectoriesAndFifosAreRefusedWithWhatTheyAre)
{
    QTemporaryDir dir;
    ASSERT_EQ(::mkfifo(dir.filePath(QStringLiteral("fifo.yaml")).toLocal8Bit().constData(), 0600), 0);
    MainWindow window(automation());
    // A FIFO with no writer would block the open: returning at all shows it is not opened.
    EXPECT_FALSE(window.openFile(dir.filePath(QStringLiteral("fifo.yaml"))));
    EXPECT_TRUE(problemsText(window).contains(QStringLiteral("fifo.yaml: error: cannot open the file: it is not a "
                                                             "regular file (it is a FIFO)")))
        << problemsText(window).toStdString();
    EXPECT_FALSE(window.openFile(dir.path()));
    EXPECT_TRUE(problemsText(window).contains(QStringLiteral("cannot open the file: it is a directory")))
        << problemsText(window).toStdString();
    EXPECT_FALSE(window.openFile(QStringLiteral("/dev/zero")));
    EXPECT_TRUE(problemsText(window).contains(QStringLiteral("it is not a regular file (it is a character device)")))
        << problemsText(window).toStdString();
}

TEST(HostileFiles, ABinaryFileIsDescribedAsTheCliDescribesItAndNotLoaded)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("binary.yaml"));
    std::ofstream(path.toStdString(), std::ios::binary) << "\x7f" << "ELF" << std::string(3, '\0') << "\xff\xfe";
    MainWindow window(automation());
    window.openBuiltInExample();
    const QString before = window.document().text();
    EXPECT_FALSE(window.openFile(path));
    const std::string cli = shardsim::loadScenarioFile(path.toStdString()).diagnostics.front().format();
    EXPECT_EQ(problemsText(window).toStdString(), cli);
    EXPECT_EQ(cli, path.toStdString() + ":1: error: not a text file: found a NUL byte");
    EXPECT_EQ(window.document().text(), before) << "the binary file's bytes must not reach the editor or the form";
}

TEST(HostileFiles, ARatePastTheLimitIsAProblemOfTheFile)
{
    // The app reads with the CLI's reader: the same limit, the same place, the same words.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("growth.yaml"));
    std::ofstream(path.toStdString()) << "name: growth\nduration: 100y\ntick: 30d\ncluster: { nodes: 4 }\n"
                                         "data: { tables: [ { name: t_user, key: uid, rows: 1M } ] }\n"
                                         "sharding: { rule: mod:n=4 }\n"
                                         "workload: { rate: { shape: constant, base: 1T/s, growth: 100000%/year } }\n";
    MainWindow window(automation());
    ASSERT_TRUE(window.openFile(path));
    EXPECT_FALSE(window.document().load().ok());
    ASSERT_EQ(window.problemsModel()->rowCount(), 1);
    const QString problem = problemsText(window);
    EXPECT_TRUE(problem.startsWith(QStringLiteral("Line 7:"))) << problem.toStdString();
    EXPECT_TRUE(problem.contains(QStringLiteral("workload.rate.growth: 100000%/year over 36500d")))
        << problem.toStdString();
    EXPECT_TRUE(problem.contains(QStringLiteral("the limit of 10^12 requests/s (1T/s)"))) << problem.toStdString();
}

TEST(HostileFiles, ARunWithANonFiniteResultEndsAsAnErrorNamingTheMetric)
{
    // The last line of defence behind the reader: the same check as the CLI's, shown as the run's error.
    RunController controller;
    shardsim::ui::test::ScriptOptions script;
    script.ticks = 5;
    script.baseQps = std::numeric_limits<double>::infinity();
    controller.setRunFactory(shardsim::ui::test::scriptedRunFactory(script));
    controller.start(shardsim::ui::test::scriptedScenario());
    ASSERT_TRUE(QTest::qWaitFor([&] { return controller.state() == RunController::State::Failed; }, 20'000));
    QTest::qWait(20); // the last snapshot is queued behind the state change
    ASSERT_TRUE(controller.snapshot());
    EXPECT_TRUE(controller.snapshot()->error.contains(QStringLiteral("not a finite number for requests")))
        << controller.snapshot()->error.toStdString();
}

TEST(HostileFiles, A200KBLineOfLettersShowsItsError)
{
    // Letters with no colon: the worst case for the highlighter's key pattern.
    QTemporaryDir dir;
    MainWindow window(automation());
    openShown(window, dir, "name: " + std::string(200'000, 'a') + "\n");
    EXPECT_FALSE(window.document().load().ok());
    ASSERT_GE(window.problemsModel()->rowCount(), 1);
}
