// Failures and events a person can see: a failed node's tile, the events marked on every time chart, the views
// opening at the run's peak, and the moments the command line names.
#include <QHelpEvent>
#include <QLabel>
#include <QSlider>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>
#include <QToolTip>
#include <gtest/gtest.h>

#include "charts/time_series_chart.h"
#include "finished_run_test.h"
#include "main_window.h"
#include "models/node_table_model.h"
#include "scenario_document.h"
#include "views/analysis_view.h"
#include "views/cluster_view.h"
#include "views/node_tiles_widget.h"
#include "views/overview_view.h"
#include "views/playback_bar.h"
#include "views/view_context.h"

using namespace shardsim;
using namespace shardsim::ui;

namespace {

class FailuresTest : public test::FinishedRunTest {
protected:
    // Opens one of the test scenarios with events and runs it to the end with the real simulator.
    void runScenario(const QString& name) { runFile(QStringLiteral(SHARDSIM_TEST_DATA "/events/") + name); }

    const RunResult& result() const { return *window->viewContext()->snapshot()->result; }

    ClusterView* showCluster(int64_t tick)
    {
        window->showView("cluster");
        window->viewContext()->setTick(tick);
        auto* cluster = qobject_cast<ClusterView*>(window->view("cluster"));
        cluster->ensureFresh();
        QCoreApplication::processEvents();
        return cluster;
    }

    // The share of the tile's pixels in the failed tile's dark grey or its red hatch.
    static double failedShare(const QImage& image)
    {
        int failed = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                const bool grey = std::abs(c.red() - 0x3a) < 12 && std::abs(c.green() - 0x3a) < 12
                    && std::abs(c.blue() - 0x3a) < 12;
                const bool red = c.red() > 150 && c.green() < 110 && c.blue() < 110;
                failed += grey || red;
            }
        return double(failed) / double(std::max(1, image.width() * image.height()));
    }
};

QStringList labels(const TimeSeriesChart& chart)
{
    QStringList out;
    for (const EventMark& mark : chart.events())
        out << mark.label;
    return out;
}

} // namespace

TEST_F(FailuresTest, AFailedNodesTileSaysWhenItFailedAndWhatTookOver)
{
    runScenario("cross-region-failover.yaml");
    // node-1 failed at 30s; at 40s it is down and its copies are being rebuilt.
    ClusterView* cluster = showCluster(40);
    NodeTilesWidget* tiles = cluster->tiles();
    EXPECT_EQ(tiles->status(0).state, NodeStatus::State::Failed);
    const QStringList lines = tiles->statusLines(0);
    ASSERT_GE(lines.size(), 2) << lines.join('|').toStdString();
    EXPECT_EQ(lines[0], "failed at 30s");
    EXPECT_EQ(lines[1], "→ node-3 took over");
    EXPECT_TRUE(lines.size() == 3 && lines[2].startsWith("re-replicating ")) << lines.join('|').toStdString();
    for (int node = 1; node < 4; ++node)
        EXPECT_NE(tiles->status(node).state, NodeStatus::State::Failed) << "only node-1 failed";

    // Unmistakable: the failed tile is mostly dark grey and red, an up one is not.
    const QImage picture = tiles->grab().toImage();
    const QRect failedTile = tiles->tileRect(0);
    const QRect upTile = tiles->tileRect(1);
    EXPECT_GT(failedShare(picture.copy(failedTile)), 0.5);
    EXPECT_LT(failedShare(picture.copy(upTile)), 0.1);

    // A node that served nothing shows no latency, not an idle node's calm 1 ms.
    const QAbstractItemModel* model = cluster->model();
    for (int column : { NodeTableModel::P50, NodeTableModel::P95, NodeTableModel::P99, NodeTableModel::P999 }) {
        EXPECT_EQ(model->index(0, column).data().toString(), "–");
        EXPECT_NE(model->index(1, column).data().toString(), "–");
    }

    // A node receiving the rebuilt copies is catching up, with the same progress as the failed node's rebuild.
    int catchingUp = -1;
    for (int node = 0; node < 4; ++node)
        if (tiles->status(node).state == NodeStatus::State::CatchingUp)
            catchingUp = node;
    ASSERT_GE(catchingUp, 0);
    EXPECT_GT(tiles->status(catchingUp).progress, 0.0);
    EXPECT_LT(tiles->status(catchingUp).progress, 1.0);
    EXPECT_DOUBLE_EQ(tiles->status(catchingUp).progress, tiles->status(0).progress);
    EXPECT_TRUE(tiles->statusLines(catchingUp).value(0).startsWith("catching up "));

    // Before the failure it is an ordinary tile; after recover_node it says it came back.
    showCluster(20);
    EXPECT_EQ(tiles->status(0).state, NodeStatus::State::Up);
    EXPECT_TRUE(tiles->statusLines(0).isEmpty());
    showCluster(95);
    EXPECT_EQ(tiles->status(0).state, NodeStatus::State::Recovered);
    EXPECT_EQ(tiles->statusLines(0), QStringList { "recovered at 1m30s" });
}

TEST_F(FailuresTest, EveryTimeChartMarksEveryEventWithItsLabel)
{
    runScenario("grow-fail-recover.yaml");
    const QStringList expected { "+4 nodes, reshard", "node-2 fails", "node-2 recovers" };
    int charts = 0;
    for (const char* id : { "overview", "cluster", "load", "migration" }) {
        ASSERT_TRUE(window->showView(id));
        AnalysisView* view = window->view(id);
        view->ensureFresh();
        QTest::qWait(50);
        for (TimeSeriesChart* chart : view->findChildren<TimeSeriesChart*>()) {
            ++charts;
            const std::string where = std::string(id) + " / " + chart->chart()->title().toStdString();
            EXPECT_EQ(labels(*chart), expected) << where;
            ASSERT_EQ(chart->events().size(), 3u) << where;
            EXPECT_DOUBLE_EQ(chart->events()[1].at, 40.0);
            // Hovering a line names it; the mark is drawn where its time is.
            for (int i = 0; i < 3; ++i) {
                const QPoint at = chart->eventPosition(i);
                EXPECT_EQ(chart->eventAt(at), i) << where;
                QHelpEvent help(QEvent::ToolTip, at, chart->viewport()->mapToGlobal(at));
                QCoreApplication::sendEvent(chart->viewport(), &help);
                EXPECT_TRUE(QToolTip::isVisible()) << where;
                EXPECT_EQ(QToolTip::text(), chart->events()[size_t(i)].description) << where;
            }
            EXPECT_EQ(chart->events()[1].description, "At 40s: node-2 fails");
            EXPECT_EQ(chart->events()[0].description, "At 20s: 4 nodes added, reshard to mod:n=8");
            // The failure's line is drawn in red down the plot.
            const QImage picture = chart->grab().toImage();
            const QPoint line = chart->eventPosition(1);
            int red = 0;
            for (int dy = -40; dy <= 40; ++dy) {
                bool any = false; // a column either side: the line sits on a pixel boundary
                for (int dx = -2; dx <= 2; ++dx) {
                    const QColor c = picture.pixelColor(line.x() + dx, line.y() + dy);
                    any = any || (c.red() > 150 && c.green() < 90 && c.blue() < 90);
                }
                red += any;
            }
            EXPECT_GT(red, 10) << where;
        }
    }
    EXPECT_GE(charts, 5); // overview, cluster's two, load, migration
}

TEST_F(FailuresTest, ClickingAnEventMovesTheViewsToIt)
{
    runScenario("grow-fail-recover.yaml");
    window->showView("load");
    AnalysisView* view = window->view("load");
    view->ensureFresh();
    QTest::qWait(50);
    auto* chart = view->findChild<TimeSeriesChart*>();
    ASSERT_NE(chart, nullptr);
    QTest::mouseClick(chart->viewport(), Qt::LeftButton, {}, chart->eventPosition(2));
    EXPECT_EQ(window->viewContext()->tick(), 70) << "node-2 recovers at 1m10s, tick 70 of 1 s ticks";
}

TEST_F(FailuresTest, AFinishedRunOpensAtItsPeakAndTheSliderSaysSo)
{
    runScenario("cross-region-failover.yaml");
    // 16K/s but for a burst inside tick 45 ([45s, 46s)): 23K/s over the tick, the most of the run.
    EXPECT_EQ(result().peak.tick, 45);
    EXPECT_EQ(window->viewContext()->tick(), 45);
    EXPECT_EQ(window->playback()->slider()->value(), 45);
    auto* label = window->playback()->findChild<QLabel*>("timeLabel");
    ASSERT_NE(label, nullptr);
    EXPECT_TRUE(label->text().endsWith(" · peak")) << label->text().toStdString();
    auto* peak = window->playback()->findChild<QToolButton*>("peakButton");
    EXPECT_TRUE(peak->isChecked());

    window->playback()->slider()->setValue(10);
    EXPECT_FALSE(label->text().contains("peak")) << label->text().toStdString();
    EXPECT_FALSE(peak->isChecked());
    peak->click();
    EXPECT_EQ(window->viewContext()->tick(), 45);
    EXPECT_TRUE(peak->isChecked());
    peak->click(); // at the peak already: it stays there, and says so
    EXPECT_TRUE(peak->isChecked());
}

TEST_F(FailuresTest, TheOverviewTellsTheFailoverInTheRunsWords)
{
    runScenario("cross-region-failover.yaml");
    const QString html = failoverHtml(&result());
    EXPECT_TRUE(html.contains("node-1 (east) failed at 30s; node-3 (west) took over its 1 database (cross-region "
                              "failover: east -&gt; west"))
        << html.toStdString();
    EXPECT_TRUE(html.contains("node-3 peaked at ")) << html.toStdString();
    EXPECT_TRUE(html.contains("While node-1 was down (until it recovered at 1m30s)")) << html.toStdString();
    window->showView("overview");
    window->view("overview")->ensureFresh();
    auto* text = window->view("overview")->findChild<QTextBrowser*>();
    ASSERT_NE(text, nullptr);
    EXPECT_TRUE(text->toPlainText().contains("Failover")) << text->toPlainText().toStdString();
    EXPECT_TRUE(text->toPlainText().contains("node-3 (west) took over")) << text->toPlainText().toStdString();
    EXPECT_TRUE(failoverHtml(nullptr).isEmpty());
}

TEST(Moment, PeakTicksClockTimesAndDurationsNameATick)
{
    RunSnapshot snapshot;
    snapshot.tickSeconds = 60;
    snapshot.tickCount = 120;
    snapshot.ticksDone = 120;
    auto result = std::make_shared<RunResult>();
    result->peak.tick = 42;
    snapshot.result = result;
    EXPECT_EQ(tickOfMoment("peak", snapshot), 42);
    EXPECT_EQ(tickOfMoment("15", snapshot), 15);
    EXPECT_EQ(tickOfMoment("0", snapshot), 0);
    EXPECT_EQ(tickOfMoment("00:30", snapshot), 30);
    EXPECT_EQ(tickOfMoment("1:30:00", snapshot), 90);
    EXPECT_EQ(tickOfMoment("1h30m", snapshot), 90);
    EXPECT_EQ(tickOfMoment("90m", snapshot), 90);
    EXPECT_EQ(tickOfMoment("1h0m30s", snapshot), 60);
    EXPECT_EQ(tickOfMoment("2h", snapshot), 119) << "the end of the run is its last tick";
    QString error;
    EXPECT_FALSE(tickOfMoment("3h", snapshot, &error));
    EXPECT_EQ(error, "3h is after the run's end at 2h");
    EXPECT_FALSE(tickOfMoment("120", snapshot, &error));
    EXPECT_EQ(error, "tick 120 is outside the run: its ticks are 0 to 119");
    EXPECT_FALSE(tickOfMoment("soon", snapshot, &error));
    EXPECT_TRUE(error.startsWith("'soon' is not a moment")) << error.toStdString();
    EXPECT_FALSE(tickOfMoment("1h30", snapshot, &error));
    snapshot.result.reset();
    EXPECT_FALSE(tickOfMoment("peak", snapshot, &error));
}
