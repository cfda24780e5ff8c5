// A scenario with `start:` reads on the clock everywhere a person looks: the Overview's peak, every time chart's axis
// and event marks, the playback bar, and the moment --at names.
#include <QLabel>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <gtest/gtest.h>

#include "charts/time_series_chart.h"
#include "finished_run_test.h"
#include "main_window.h"
#include "scenario_document.h"
#include "views/analysis_view.h"
#include "views/playback_bar.h"
#include "views/view_context.h"
#include "workers/run_controller.h"

using namespace shardsim;
using namespace shardsim::ui;

namespace {

// Half an hour before midnight to half an hour after; the spike at 30m is 00:00 on the clock.
const char* kNight = R"(name: night
start: "23:30"
duration: 1h
tick: 10s
cluster: { nodes: 4, node: { max_qps: 2K } }
data:
  tables:
    - { name: t_user, key: uid, rows: 1M, row_size: 1KB }
sharding: { rule: "mod:n=4" }
workload:
  rate: { shape: double-11, base: 1K/s, peak: 5x, at: 30m, ramp: 1m, hold: 5m, decay: 5m }
  keys: { distribution: uniform }
events:
  - { at: 20m, add_nodes: 2 }
)";

class ClockTimeTest : public test::FinishedRunTest {
protected:
    void SetUp() override { runText(kNight, "night.yaml"); }
};

} // namespace

TEST_F(ClockTimeTest, TheOverviewItsChartAndTheSliderReadTheTimeOfDay)
{
    const auto snapshot = window->controller()->snapshot();
    ASSERT_TRUE(snapshot && snapshot->result);
    const double peak = snapshot->result->peak.time;
    ASSERT_GE(peak, 30 * 60.0) << "the spike starts at 30m";
    ASSERT_LT(peak, 40 * 60.0);
    // The peak is minutes after midnight: "00:0m" (whole minutes, or with seconds for a tick inside one).
    const QString peakClock = QString::fromStdString(formatTimeOfDay(23.5 * 3600 + peak));
    ASSERT_TRUE(peakClock.startsWith(QStringLiteral("00:0"))) << peakClock.toStdString();

    window->showView(QStringLiteral("overview"));
    AnalysisView* overview = window->view(QStringLiteral("overview"));
    overview->ensureFresh();
    QTest::qWait(50);
    const QString text = overview->findChild<QTextBrowser*>()->toPlainText();
    EXPECT_TRUE(text.contains(QStringLiteral("at %1: ").arg(peakClock))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("Simulated 1h, 23:30 to 00:30"))) << text.toStdString();
    EXPECT_FALSE(text.contains(QStringLiteral("at 30m"))) << "no elapsed time where a moment is named";

    auto* chart = overview->findChild<TimeSeriesChart*>();
    ASSERT_NE(chart, nullptr);
    EXPECT_EQ(chart->timeLabels(), QStringList({ "23:30", "23:40", "23:50", "00:00", "00:10", "00:20", "00:30" }));
    ASSERT_EQ(chart->events().size(), 1u);
    EXPECT_EQ(chart->events()[0].label, QStringLiteral("23:50 +2 nodes"));
    EXPECT_TRUE(chart->events()[0].description.startsWith(QStringLiteral("At 23:50: ")))
        << chart->events()[0].description.toStdString();

    // The run opens at its peak; the playback bar names it on the clock, out of the run's 23:30 to 00:30.
    EXPECT_EQ(window->viewContext()->tick(), snapshot->result->peak.tick);
    auto* label = window->playback()->findChild<QLabel*>(QStringLiteral("timeLabel"));
    ASSERT_NE(label, nullptr);
    EXPECT_EQ(
        label->text(), QStringLiteral("tick %1 · %2 / 00:30 · peak").arg(snapshot->result->peak.tick).arg(peakClock));
    window->playback()->slider()->setValue(60);
    EXPECT_EQ(label->text(), QStringLiteral("tick 60 · 23:40 / 00:30"));
}

TEST(ClockMoment, AClockTimeIsTheTimeOfDayOnARunWithAStart)
{
    RunSnapshot snapshot;
    snapshot.tickSeconds = 60;
    snapshot.tickCount = 120;
    snapshot.ticksDone = 120;
    snapshot.clock = RunClock(23 * 3600.0, 2 * 3600.0);
    EXPECT_EQ(tickOfMoment("00:30", snapshot), 90) << "00:30 is 1h30m after 23:00";
    EXPECT_EQ(tickOfMoment("23:30", snapshot), 30);
    EXPECT_EQ(tickOfMoment("90m", snapshot), 90) << "a duration is still time since the start";
    EXPECT_EQ(tickOfMoment("1h30m", snapshot), 90);
    QString error;
    EXPECT_FALSE(tickOfMoment("22:00", snapshot, &error)) << "22:00 comes round again only after the run";
    EXPECT_EQ(error, "22:00 is after the run's end at 01:00");
    EXPECT_FALSE(tickOfMoment("25:00", snapshot, &error));
    EXPECT_TRUE(error.startsWith("'25:00' is not a time of day")) << error.toStdString();
}
