// A run reopened from the history shows what it showed live, view by view: library scenarios with migrations,
// per-operation fan-out and failed requests are run in the window, recorded, reopened, and every view's text and CSV
// compared between the two.
#include <QLabel>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <gtest/gtest.h>

#include <map>

#include "charts/chart_builder.h"
#include "main_window.h"
#include "scenario_document.h"
#include "shardsim/report/summary_json.h"
#include "views/analysis_view.h"
#include "views/view_context.h"
#include "workers/run_controller.h"

using namespace shardsim;
using namespace shardsim::ui;

namespace {

// What a person reads in a view: its data as CSV and every text on it.
struct ViewText {
    QString csv;
    QString text;
};

struct Shown {
    std::map<QString, ViewText> views;
    RunSnapshotPtr snapshot;
};

struct LiveAndReopened {
    Shown live;
    Shown reopened;
};

const std::vector<const char*> kViews { "overview", "cluster", "load", "heatmap", "fanout", "migration" };

ViewText textOf(MainWindow& window, const QString& id)
{
    window.showView(id);
    AnalysisView* view = window.view(id);
    QTest::qWait(30);
    EXPECT_TRUE(QTest::qWaitFor([view] { return !view->busy(); }, 20'000)) << id.toStdString() << " stays busy";
    view->ensureFresh();
    QTest::qWait(30);
    ViewText shown { view->csv(), {} };
    for (const QTextBrowser* browser : view->findChildren<QTextBrowser*>())
        shown.text += browser->toPlainText() + '\n';
    // The wall time a run took is measured, not simulated: the live run counts its running time, the history from its
    // start to its end; both are checked to be there, not to agree to the tenth of a second.
    static const QRegularExpression wallTime(QStringLiteral("in [0-9.]+ s of wall time"));
    shown.text.replace(wallTime, QStringLiteral("in (measured) s of wall time"));
    for (const QLabel* label : view->findChildren<QLabel*>())
        if (label->isVisibleTo(view))
            shown.text += label->text() + '\n';
    return shown;
}

Shown shownIn(MainWindow& window)
{
    Shown shown;
    for (const char* id : kViews)
        shown.views[QString::fromLatin1(id)] = textOf(window, QString::fromLatin1(id));
    shown.snapshot = window.controller()->snapshot();
    return shown;
}

LiveAndReopened runAndReopen(const QString& scenario)
{
    QTemporaryDir directory;
    MainWindow window(MainWindowOptions { false, directory.filePath("history.sqlite"), true });
    window.resize(1600, 1000);
    window.show();
    EXPECT_TRUE(QTest::qWaitForWindowExposed(&window));
    EXPECT_TRUE(window.openFile(QStringLiteral(SHARDSIM_SOURCE "/scenarios/") + scenario));
    window.controller()->setSpeed(0);
    EXPECT_TRUE(window.startRun());
    EXPECT_TRUE(QTest::qWaitFor([&] { return window.controller()->state() == RunController::State::Finished; }, 60'000));
    EXPECT_TRUE(QTest::qWaitFor([&] { return window.controller()->snapshot()->historyRunId > 0; }, 20'000));
    QTest::qWait(150);
    LiveAndReopened both;
    both.live = shownIn(window);

    QSignalSpy reopened(window.controller(), &RunController::reopened);
    window.viewContext()->requestReopen(both.live.snapshot->historyRunId);
    EXPECT_TRUE(reopened.wait(20'000));
    QTest::qWait(150); // the views refresh and the charts re-decimate for their widths
    both.reopened = shownIn(window);
    return both;
}

// Each scenario runs once for all its views.
const LiveAndReopened& shown(const char* scenario)
{
    static std::map<std::string, LiveAndReopened> runs;
    auto it = runs.find(scenario);
    if (it == runs.end())
        it = runs.emplace(scenario, runAndReopen(QString::fromLatin1(scenario))).first;
    return it->second;
}

const std::vector<const char*> kScenarios { "events/grow-8-to-16.yaml", "events/lose-a-node.yaml" };

// The first line that differs, for a message that says what a person would see differently.
std::string firstDifference(const QString& live, const QString& reopened)
{
    const QStringList a = live.split('\n');
    const QStringList b = reopened.split('\n');
    for (qsizetype i = 0; i < std::max(a.size(), b.size()); ++i) {
        const QString left = i < a.size() ? a[i] : QStringLiteral("(nothing)");
        const QString right = i < b.size() ? b[i] : QStringLiteral("(nothing)");
        if (left != right)
            return QStringLiteral("line %1: live '%2', reopened '%3'").arg(i + 1).arg(left, right).toStdString();
    }
    return {};
}

class ReopenedView : public ::testing::TestWithParam<std::tuple<const char*, const char*>> { };

TEST_P(ReopenedView, ShowsWhatTheLiveRunShowed)
{
    const auto& [scenario, view] = GetParam();
    SCOPED_TRACE(std::string(scenario) + ", view " + view);
    const LiveAndReopened& both = shown(scenario);
    ASSERT_TRUE(both.live.snapshot && both.reopened.snapshot);
    ASSERT_NE(both.reopened.snapshot, both.live.snapshot) << "the reopened run is the stored one";
    const ViewText& live = both.live.views.at(QString::fromLatin1(view));
    const ViewText& reopened = both.reopened.views.at(QString::fromLatin1(view));
    EXPECT_FALSE(live.csv.isEmpty());
    EXPECT_EQ(firstDifference(live.csv, reopened.csv), "") << "in the CSV";
    EXPECT_EQ(firstDifference(live.text, reopened.text), "") << "in the text";
}

INSTANTIATE_TEST_SUITE_P(EveryView, ReopenedView,
    ::testing::Combine(::testing::ValuesIn(kScenarios), ::testing::ValuesIn(kViews)), [](const auto& test) {
        QString name = QString::fromLatin1(std::get<0>(test.param)).section('/', 1).section('.', 0, 0) + "_"
            + std::get<1>(test.param);
        return name.replace(QRegularExpression("[^A-Za-z0-9]"), "_").toStdString();
    });

// What the views are drawn from: the same result, windows, chart points and heat map.
TEST(ReopenedRun, IsTheLiveRunsSnapshot)
{
    for (const char* scenario : kScenarios) {
        SCOPED_TRACE(scenario);
        const LiveAndReopened& both = shown(scenario);
        const RunSnapshot& live = *both.live.snapshot;
        const RunSnapshot& reopened = *both.reopened.snapshot;
        EXPECT_EQ(summaryJson(*reopened.result).dump(), summaryJson(*live.result).dump());
        EXPECT_EQ(reopened.result->cluster.size(), live.result->cluster.size());
        EXPECT_EQ(reopened.result->heatmap.rate.size(), live.result->heatmap.rate.size());
        EXPECT_EQ(reopened.nodeMaxQps, live.nodeMaxQps) << "the capacity line, without reading the scenario";
        EXPECT_EQ(reopened.windowTicks, live.windowTicks);
        EXPECT_GT(reopened.elapsedSeconds, 0) << "the wall time the run took, as the history measured it";
        ASSERT_EQ(reopened.windows.size(), live.windows.size());
        for (size_t w = 0; w < live.windows.size(); ++w) {
            EXPECT_EQ(reopened.windows[w]->clusterQps, live.windows[w]->clusterQps) << w;
            EXPECT_EQ(reopened.windows[w]->qps, live.windows[w]->qps) << w;
            EXPECT_EQ(reopened.windows[w]->p99LatencyMs, live.windows[w]->p99LatencyMs) << w;
        }
        // The charts as the views draw them, for the same width.
        const ChartRequest request { 800, -1 };
        const ChartData a = buildCharts(live, request);
        const ChartData b = buildCharts(reopened, request);
        EXPECT_EQ(b.clusterQps, a.clusterQps);
        EXPECT_EQ(b.clusterShedQps, a.clusterShedQps);
        EXPECT_EQ(b.maxUtilization, a.maxUtilization);
        EXPECT_EQ(b.latencyP99, a.latencyP99);
        ASSERT_EQ(b.nodeLines.size(), a.nodeLines.size());
        for (size_t i = 0; i < a.nodeLines.size(); ++i)
            EXPECT_EQ(b.nodeLines[i].points, a.nodeLines[i].points) << a.nodeLines[i].name.toStdString();
        EXPECT_EQ(b.heatmap, a.heatmap);
        EXPECT_EQ(b.heatmapMaxRate, a.heatmapMaxRate);
    }
    // The parts the desktop app's own reader used to lose.
    const RunResult& grown = *shown(kScenarios[0]).reopened.snapshot->result;
    EXPECT_FALSE(grown.migrations.empty());
    EXPECT_FALSE(shown(kScenarios[0]).reopened.views.at("migration").text.contains("No event moved data"));
    const RunResult& lost = *shown(kScenarios[1]).reopened.snapshot->result;
    EXPECT_GT(lost.availability.failedRequests, 0);
}

} // namespace
