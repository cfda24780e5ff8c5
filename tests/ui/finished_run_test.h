#pragma once
// The fixture of the window-level tests that look at a finished run: a main window shown at 1600 x 1000 that has run
// a scenario to its end at full speed with the real simulator.

#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>

#include <memory>

#include "main_window.h"
#include "scenario_document.h"
#include "workers/run_controller.h"

namespace shardsim::ui::test {

class FinishedRunTest : public ::testing::Test {
protected:
    // The scenario `yaml`, as if opened from a file called `name`; runs are recorded in a history of their own.
    void runText(const char* yaml, const QString& name)
    {
        window = std::make_unique<MainWindow>(MainWindowOptions { false, directory.filePath("history.sqlite"), true });
        window->scenarioDocument()->setText(QString::fromLatin1(yaml), name);
        showAndRun();
    }

    // The scenario file at `path`, without a run history.
    void runFile(const QString& path)
    {
        window = std::make_unique<MainWindow>(MainWindowOptions { false, QString(), false });
        ASSERT_TRUE(window->openFile(path));
        showAndRun();
    }

    QTemporaryDir directory;
    std::unique_ptr<MainWindow> window;

private:
    void showAndRun()
    {
        ASSERT_TRUE(window->document().load().ok()) << window->document().load().errorText();
        window->resize(1600, 1000);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
        window->controller()->setSpeed(0);
        ASSERT_TRUE(window->startRun());
        ASSERT_TRUE(QTest::qWaitFor(
            [this] { return window->controller()->state() == RunController::State::Finished; }, 120'000));
        QTest::qWait(150);
    }
};

} // namespace shardsim::ui::test
