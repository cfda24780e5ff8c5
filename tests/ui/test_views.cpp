// The analysis views after a run: real content in every one, exports, selection and playback shared
// between them, a thousand nodes, and a GUI thread that stays responsive while a run goes on.
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QHelpEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <gtest/gtest.h>

#include <set>

#include "charts/node_bar_chart.h"
#include "charts/series_legend.h"
#include "charts/time_series_chart.h"
#include "main_window.h"
#include "models/node_table_model.h"
#include "scenario_document.h"
#include "scripted_run.h"
#include "view_test_support.h"
#include "views/analysis_view.h"
#include "views/cluster_view.h"
#include "views/load_view.h"
#include "views/node_tiles_widget.h"
#include "views/playback_bar.h"
#include "views/view_context.h"

using namespace shardsim;
using namespace shardsim::ui;
using namespace std::chrono_literals;

class ViewsTest : public ::testing::Test {
protected:
    void open(int nodes, int64_t ticks, std::chrono::microseconds stepTime = 0us)
    {
        window = std::make_unique<MainWindow>(MainWindowOptions { false, directory.filePath("history.sqlite"), true });
        window->controller()->setRunFactory(test::scriptedRunFactory({ nodes, ticks, 1, 100, stepTime }));
        window->scenarioDocument()->setText(
            QString::fromStdString(test::scriptedScenarioText(nodes, std::to_string(ticks) + "s")), "scripted.yaml");
        ASSERT_TRUE(window->document().load().ok()) << window->document().load().errorText();
        window->resize(1600, 1000);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
    }

    void runToTheEnd()
    {
        ASSERT_TRUE(window->startRun());
        ASSERT_TRUE(QTest::qWaitFor(
            [this] { return window->controller()->state() == RunController::State::Finished; }, 30'000));
        QTest::qWait(150); // the final snapshot and the charts' re-decimation for their widths
    }

    QTemporaryDir directory;
    std::unique_ptr<MainWindow> window;
};

TEST_F(ViewsTest, EveryViewShowsRealContentAfterARun)
{
    open(12, 300);
    runToTheEnd();
    for (const ViewInfo& info : window->registry().views()) {
        ASSERT_TRUE(window->showView(info.id));
        QTest::qWait(50);
        AnalysisView* view = window->view(info.id);
        ASSERT_NE(view, nullptr);
        ASSERT_TRUE(QTest::qWaitFor([view] { return !view->busy(); }, 30'000)) << info.id.toStdString();
        QTest::qWait(50);
        const QImage picture = view->exportWidget()->grab().toImage();
        EXPECT_GE(picture.width(), 600) << info.id.toStdString();
        EXPECT_GT(test::contentFraction(picture), 0.04) << info.id.toStdString() << " looks empty";
        const QImage whole = window->grab().toImage();
        EXPECT_GE(whole.width(), 1000);
        EXPECT_GE(whole.height(), 600);
    }
}

TEST_F(ViewsTest, EveryViewExportsItsChartAsPngAndSvgAndItsDataAsCsv)
{
    open(6, 120);
    runToTheEnd();
    for (const ViewInfo& info : window->registry().views()) {
        window->showView(info.id);
        QTest::qWait(30);
        AnalysisView* view = window->view(info.id);
        ASSERT_TRUE(QTest::qWaitFor([view] { return !view->busy(); }, 30'000)) << info.id.toStdString();
        QTest::qWait(30);
        const QString base = directory.filePath(info.id);
        QString error;
        ASSERT_TRUE(view->saveImage(base + ".png", &error)) << error.toStdString();
        EXPECT_FALSE(QImage(base + ".png").isNull());
        ASSERT_TRUE(view->saveImage(base + ".svg", &error)) << error.toStdString();
        QFile svg(base + ".svg");
        ASSERT_TRUE(svg.open(QIODevice::ReadOnly));
        const QByteArray text = svg.readAll();
        EXPECT_TRUE(text.contains("<svg")) << info.id.toStdString();
        EXPECT_TRUE(text.contains("<text")) << info.id.toStdString() << ": labels stay text";
        EXPECT_TRUE(text.contains("<path") || text.contains("<polyline") || text.contains("<polygon"))
            << info.id.toStdString() << ": shapes stay vectors";
        ASSERT_TRUE(view->saveCsv(base + ".csv", &error)) << error.toStdString();
        QFile csv(base + ".csv");
        ASSERT_TRUE(csv.open(QIODevice::ReadOnly));
        EXPECT_GE(csv.readAll().count('\n'), 2) << info.id.toStdString() << ": a header and data";
        if (qEnvironmentVariableIsSet("SHARDSIM_KEEP_EXPORTS"))
            for (const char* suffix : { ".png", ".svg", ".csv" })
                QFile::copy(
                    base + suffix, QString::fromLocal8Bit(qgetenv("SHARDSIM_KEEP_EXPORTS")) + "/" + info.id + suffix);
    }
}

TEST_F(ViewsTest, ClickingANodeTileSelectsItInTheOtherViews)
{
    open(8, 60);
    runToTheEnd();
    window->showView("cluster");
    QTest::qWait(50);
    auto* cluster = qobject_cast<ClusterView*>(window->view("cluster"));
    ASSERT_NE(cluster, nullptr);
    NodeTilesWidget* tiles = cluster->tiles();
    const QRect tile = tiles->tileRect(5);
    ASSERT_FALSE(tile.isEmpty());
    // Four range shards round-robin on eight nodes: node-2 holds one.
    const QPoint second = tiles->tileRect(1).center();
    QHelpEvent hover(QEvent::ToolTip, second, tiles->mapToGlobal(second));
    QApplication::sendEvent(tiles, &hover);
    EXPECT_TRUE(QToolTip::text().contains("node-2")) << QToolTip::text().toStdString();
    EXPECT_TRUE(QToolTip::text().contains("Requests/s offered"));
    EXPECT_TRUE(QToolTip::text().contains("logical shard")) << "the tooltip names the node's shards";
    QToolTip::hideText();

    QTest::mouseClick(tiles, Qt::LeftButton, {}, tile.center());
    EXPECT_EQ(window->viewContext()->selectedNode(), 5);
    EXPECT_EQ(tiles->selectedNode(), 5);
    auto* table = cluster->findChild<QTableView*>();
    ASSERT_NE(table, nullptr);
    EXPECT_EQ(table->currentIndex().data().toString(), "node-6");

    auto* load = qobject_cast<LoadView*>(window->view("load"));
    load->ensureFresh(); // behind the cluster tab: brought up to date on demand
    QBarSet* bars = load->bars()->barSet();
    ASSERT_NE(bars, nullptr);
    EXPECT_TRUE(bars->isBarSelected(5));
    EXPECT_FALSE(bars->isBarSelected(4));
}

TEST_F(ViewsTest, TheTimeSliderMovesEveryView)
{
    open(4, 100);
    runToTheEnd();
    window->showView("cluster");
    QSlider* slider = window->playback()->slider();
    EXPECT_EQ(slider->maximum(), 99);
    slider->setValue(55); // inside the scripted spike: ten times the load
    EXPECT_EQ(window->viewContext()->tick(), 55);
    QCoreApplication::processEvents();
    auto* cluster = qobject_cast<ClusterView*>(window->view("cluster"));
    EXPECT_DOUBLE_EQ(cluster->model()->rows().at(3).values.qps, 4000.0);
    slider->setValue(10);
    QCoreApplication::processEvents();
    EXPECT_DOUBLE_EQ(cluster->model()->rows().at(3).values.qps, 400.0);
    auto* load = qobject_cast<LoadView*>(window->view("load"));
    load->ensureFresh(); // hidden behind the cluster view: brought up to date on demand
    // The bar is what the node was offered: served, queued and shed stacked.
    const NodeBarChart& bars = *load->bars();
    EXPECT_DOUBLE_EQ(bars.barSet()->at(3) + bars.queuedSet()->at(3) + bars.shedSet()->at(3), 400.0);
}

TEST_F(ViewsTest, TheNodeTableShowsEveryColumnWholeAtTheWindowsDefaultSize)
{
    open(12, 60);
    runToTheEnd();
    window->showView("cluster");
    QTest::qWait(50);
    auto* cluster = qobject_cast<ClusterView*>(window->view("cluster"));
    auto* table = cluster->findChild<QTableView*>();
    ASSERT_NE(table, nullptr);
    QHeaderView* header = table->horizontalHeader();
    std::vector<int> shown;
    for (int column = 0; column < NodeTableModel::ColumnCount; ++column)
        shown.push_back(header->sectionSize(column));
    // Fitting every column to its header and its numbers again widens none of them: nothing was cut.
    table->resizeColumnsToContents();
    for (int column = 0; column < NodeTableModel::ColumnCount; ++column)
        EXPECT_GE(shown[size_t(column)], header->sectionSize(column))
            << cluster->model()->headerData(column, Qt::Horizontal).toString().toStdString() << " was clipped";
    EXPECT_LE(header->length(), table->viewport()->width()) << "every column in view without scrolling";
}

TEST_F(ViewsTest, AThousandNodesGroupAndScrollAndNoChartGetsMorePointsThanPixels)
{
    open(1024, 400);
    runToTheEnd();
    window->showView("cluster");
    auto* cluster = qobject_cast<ClusterView*>(window->view("cluster"));
    auto* scroll = cluster->findChild<QScrollArea*>();
    ASSERT_NE(scroll, nullptr);
    // Layout settles over a few event-loop turns; a busy machine needs more of them.
    static_cast<void>(QTest::qWaitFor([&] { return scroll->verticalScrollBar()->isVisible(); }, 5'000));
    EXPECT_GT(cluster->tiles()->height(), scroll->viewport()->height()) << "the tiles scroll";
    EXPECT_TRUE(scroll->verticalScrollBar()->isVisible());
    EXPECT_LT(cluster->tiles()->tileRect(0).width(), 60) << "small tiles for a big cluster";
    EXPECT_EQ(cluster->model()->rowCount(), 1024);

    window->showView("load");
    auto* load = qobject_cast<LoadView*>(window->view("load"));
    static_cast<void>(QTest::qWaitFor(
        [&] {
            return load->bars()->ranked()
                && load->bars()->pointCount() <= static_cast<int>(load->bars()->chart()->plotArea().width())
                && load->lines()->largestSeriesSize() <= load->lines()->plotWidth();
        },
        5'000));
    EXPECT_TRUE(load->bars()->ranked());
    EXPECT_LE(load->bars()->pointCount(), static_cast<int>(load->bars()->chart()->plotArea().width()));
    EXPECT_LE(load->lines()->largestSeriesSize(), load->lines()->plotWidth());
    const auto& lines = window->controller()->snapshot()->charts->nodeLines;
    EXPECT_EQ(lines.size(), 9u) << "the 8 busiest nodes and the others";
    // The ranked curves say what became of the offered requests: served and shed, not only offered.
    QStringList curves;
    for (const QAbstractSeries* series : load->bars()->chart()->series())
        curves.append(series->name());
    EXPECT_TRUE(curves.contains(QStringLiteral("served")) && curves.contains(QStringLiteral("shed")))
        << curves.join(", ").toStdString();
}

namespace {

// Every line of the load chart: drawn with a colour and dash pattern no other visible line has, and named in full
// by the legend beside the chart (Qt's own legend, which cuts names to "nod…", hidden).
void expectLinesApartAndNamedInFull(LoadView& load)
{
    const TimeSeriesChart& lines = *load.lines();
    EXPECT_FALSE(lines.chart()->legend()->isVisible());
    const QStringList names = lines.seriesNames();
    EXPECT_EQ(load.legend()->names(), names);
    std::set<std::pair<QRgb, int>> pens;
    for (const QString& name : names) {
        const QPen pen = lines.series(name)->pen();
        EXPECT_TRUE(pens.insert({ pen.color().rgb(), int(pen.style()) }).second)
            << name.toStdString() << " looks like another line";
    }
    // The legend is as wide and tall as its names need: none is elided.
    EXPECT_GE(load.legend()->width(), load.legend()->sizeHint().width());
    EXPECT_GE(load.legend()->height(), load.legend()->sizeHint().height());
}

} // namespace

TEST_F(ViewsTest, SixteenNodesEachGetALineOfTheirOwnLook)
{
    open(16, 30);
    runToTheEnd();
    window->showView("load");
    auto* load = qobject_cast<LoadView*>(window->view("load"));
    load->ensureFresh();
    QTest::qWait(50);
    // 16 nodes, what the busiest served and shed, and the capacity: more lines than the palette has colours.
    ASSERT_EQ(load->lines()->seriesNames().size(), 19);
    EXPECT_EQ(load->lines()->seriesNames()[0], QStringLiteral("node-1"));
    EXPECT_TRUE(load->lines()->seriesNames().contains(QStringLiteral("node-16 shed")));
    expectLinesApartAndNamedInFull(*load);
    EXPECT_EQ(load->bars()->xLabels().size(), 16) << "16 bars keep their names";
    EXPECT_EQ(load->bars()->xLabels().constLast(), QStringLiteral("node-16"));
}

TEST_F(ViewsTest, SixtyFourNodesShowTheBusiestAndOthersWithWholeNames)
{
    open(64, 30);
    runToTheEnd();
    window->showView("load");
    auto* load = qobject_cast<LoadView*>(window->view("load"));
    load->ensureFresh();
    QTest::qWait(50);
    // The scripted node i is offered (i + 1) x 100/s: the busiest are node-64 down to node-57.
    const QStringList names = load->legend()->names();
    ASSERT_EQ(names.size(), 12) << names.join(", ").toStdString();
    EXPECT_EQ(names[0], QStringLiteral("node-64"));
    EXPECT_EQ(names[7], QStringLiteral("node-57"));
    EXPECT_EQ(names[8], QStringLiteral("others (mean of 56 nodes)"));
    EXPECT_EQ(names[9], QStringLiteral("node-64 served"));
    EXPECT_EQ(names[10], QStringLiteral("node-64 shed"));
    expectLinesApartAndNamedInFull(*load);
    // Under 64 bars every eighth node's number, level, instead of 64 names cut to "…".
    EXPECT_EQ(load->bars()->xLabels(), (QStringList { "1", "8", "16", "24", "32", "40", "48", "56", "64" }));
}

// How long the GUI thread may stall is measured by tests/bench/gui_day_bench.cpp (a benchmark: timings decide no
// test). This test keeps what a user would notice whatever the machine's load: the run finishes, the views show every
// node, and the views are told of a streaming run at most ten times a second.
TEST_F(ViewsTest, TheGuiThreadStaysResponsiveWhileAThousandNodesRun)
{
    open(1024, 4000, 500us);
    window->showView("cluster");
    int announced = 0;
    QObject::connect(window->controller(), &RunController::snapshotChanged, [&] { ++announced; });
    QElapsedTimer clock;
    ASSERT_TRUE(window->startRun());
    clock.start();
    ASSERT_TRUE(
        QTest::qWaitFor([this] { return window->controller()->state() == RunController::State::Finished; }, 60'000));
    const qint64 elapsedMs = clock.elapsed();
    EXPECT_GT(announced, 5) << "the views were updated while the run went on";
    // At least kAnnounceIntervalMs between two announcements of the streaming run, plus the final one: a bound that
    // a slower machine only loosens.
    EXPECT_LE(announced, 2 + elapsedMs / RunController::kAnnounceIntervalMs)
        << announced << " announcements in " << elapsedMs << " ms";
    QTest::qWait(150);
    auto* cluster = qobject_cast<ClusterView*>(window->view("cluster"));
    ASSERT_NE(cluster, nullptr);
    cluster->ensureFresh();
    EXPECT_EQ(cluster->model()->rowCount(), 1024);
    EXPECT_EQ(window->controller()->snapshot()->nodes.size(), 1024u);
}

TEST_F(ViewsTest, TheLoadViewGetsNoMorePointsThanItsPlotIsWide)
{
    open(1024, 4000);
    runToTheEnd();
    window->showView("load");
    auto* load = qobject_cast<LoadView*>(window->view("load"));
    ASSERT_NE(load, nullptr);
    load->ensureFresh();
    QTest::qWait(150);
    const double width = load->lines()->chart()->plotArea().width();
    ASSERT_GT(width, 100);
    int lines = 0;
    for (const QAbstractSeries* series : load->lines()->chart()->series()) {
        const auto* line = qobject_cast<const QLineSeries*>(series);
        if (!line)
            continue;
        ++lines;
        // 4,000 ticks of 1,024 nodes: min and max of each bucket, never more points than pixel columns.
        EXPECT_LE(line->count(), static_cast<int>(width)) << line->name().toStdString();
    }
    EXPECT_GE(lines, 10) << "the busiest nodes, others, the detail node's served and shed";
}
