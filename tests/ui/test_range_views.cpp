// What the app shows of an auto-range run: the Overview tells the core's story of the ranges, the Cluster view counts
// each node's ranges at the selected moment, the Migration view plots the balancer's moves beside the bytes they copy,
// and the heat map draws range boundaries that move as the ranges split.
#include <QTest>
#include <QTextBrowser>
#include <QtCharts/QLineSeries>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "charts/time_series_chart.h"
#include "finished_run_test.h"
#include "main_window.h"
#include "models/node_table_model.h"
#include "models/range_timeline.h"
#include "shardsim/report/range_story.h"
#include "views/cluster_view.h"
#include "views/heatmap_view.h"
#include "views/heatmap_widget.h"
#include "views/migration_view.h"
#include "views/overview_view.h"
#include "views/view_context.h"
#include "workers/run_controller.h"

using namespace shardsim;
using namespace shardsim::ui;

namespace {

// One finished run of a range lesson from the scenario library.
class RangeViewsTest : public test::FinishedRunTest {
protected:
    void run(const char* lesson)
    {
        runFile(QStringLiteral(SHARDSIM_SOURCE "/scenarios/ranges/") + QLatin1String(lesson));
        snapshot = window->controller()->snapshot();
        ASSERT_TRUE(snapshot && snapshot->result && snapshot->result->ranges);
    }

    template <typename View> View* show(const char* name)
    {
        EXPECT_TRUE(window->showView(QLatin1String(name)));
        auto* view = qobject_cast<View*>(window->view(QLatin1String(name)));
        if (view)
            view->ensureFresh();
        return view;
    }

    const RangesSummary& ranges() const { return *snapshot->result->ranges; }

    RunSnapshotPtr snapshot;
};

// Each node's count in the Ranges column, in node order.
std::vector<int> rangeColumn(const NodeTableModel& model)
{
    std::vector<int> counts;
    for (int row = 0; row < model.rowCount(); ++row)
        counts.push_back(model.data(model.index(row, NodeTableModel::Shards), NodeTableModel::kSortRole).toInt());
    return counts;
}

} // namespace

TEST_F(RangeViewsTest, OverviewTellsTheCoresStoryOfTheRanges)
{
    ASSERT_NO_FATAL_FAILURE(run("add-node-balancer.yaml"));
    auto* overview = show<OverviewView>("overview");
    ASSERT_NE(overview, nullptr);
    auto* text = overview->findChild<QTextBrowser*>();
    ASSERT_NE(text, nullptr);
    const QString shown = text->toPlainText();
    const std::vector<std::string> story = rangeStory(*snapshot->result);
    ASSERT_GE(story.size(), 2u);
    EXPECT_TRUE(shown.contains(QStringLiteral("Ranges")));
    for (const std::string& line : story)
        EXPECT_TRUE(shown.contains(QString::fromStdString(line))) << line;
    // The lesson's numbers (its expect: block derives them): 25 moves of 312.5 MB.
    EXPECT_TRUE(shown.contains(QStringLiteral("25 moves copied"))) << shown.toStdString();
}

TEST_F(RangeViewsTest, ClusterViewCountsEachNodesRangesAtTheSelectedMoment)
{
    ASSERT_NO_FATAL_FAILURE(run("add-node-balancer.yaml"));
    auto* view = show<ClusterView>("cluster");
    ASSERT_NE(view, nullptr);
    NodeTableModel& model = *view->model();
    EXPECT_EQ(model.headerData(NodeTableModel::Shards, Qt::Horizontal).toString(), QStringLiteral("Ranges"));
    EXPECT_TRUE(model.csv().startsWith(QStringLiteral("node,region,ranges,")));

    // Before node-5 joins at 1:00: 128 ranges of 312,500 keys, 32 on each of the four nodes, none on node-5.
    window->viewContext()->setTick(30);
    view->ensureFresh();
    EXPECT_EQ(rangeColumn(model), (std::vector<int> { 32, 32, 32, 32, 0 }));

    // At the end: node-5 took 25, the others keep 25 to 26 — the result's own counts.
    window->viewContext()->setTick(snapshot->tickCount - 1);
    view->ensureFresh();
    const std::vector<int> end = rangeColumn(model);
    ASSERT_EQ(end.size(), 5u);
    for (size_t node = 0; node < end.size(); ++node)
        EXPECT_EQ(end[node], rangesOnNode(ranges().windows.back(), node)) << node;
    EXPECT_EQ(end[4], 25);
    EXPECT_EQ(*std::max_element(end.begin(), end.end()), ranges().maxRangesPerNode);
    EXPECT_EQ(*std::min_element(end.begin(), end.end()), ranges().minRangesPerNode);
    EXPECT_EQ(std::accumulate(end.begin(), end.end(), 0), ranges().end);
}

TEST_F(RangeViewsTest, MigrationViewPlotsTheBalancersMovesBesideTheBytesTheyCopy)
{
    ASSERT_NO_FATAL_FAILURE(run("add-node-balancer.yaml"));
    auto* view = show<MigrationView>("migration");
    ASSERT_NE(view, nullptr);
    const QLineSeries* moves = view->bytesChart()->series(QStringLiteral("balancer moves per window"));
    ASSERT_NE(moves, nullptr);
    double started = 0;
    for (const QPointF& point : moves->points())
        started += point.y();
    EXPECT_DOUBLE_EQ(started, ranges().moves);
    EXPECT_EQ(ranges().moves, 25);
    // The copies run one after the other at the snapshot rate, 32 MiB/s: the bytes line never goes above it.
    const QLineSeries* bytes = view->bytesChart()->series(QStringLiteral("bytes/s copied"));
    ASSERT_NE(bytes, nullptr);
    double peak = 0;
    for (const QPointF& point : bytes->points())
        peak = std::max(peak, point.y());
    // The axis shows bytes/s in millions: 32 MiB/s is 33.554432 M.
    EXPECT_TRUE(view->bytesChart()->leftTitle().contains(QLatin1Char('M')))
        << view->bytesChart()->leftTitle().toStdString();
    EXPECT_GT(peak, 0.9 * 33.554432);
    EXPECT_LE(peak, 33.554432 * (1 + 1e-9));
}

TEST_F(RangeViewsTest, HeatMapDrawsRangeBoundariesThatMoveAsRangesSplit)
{
    ASSERT_NO_FATAL_FAILURE(run("double-11-hot-range.yaml"));
    auto* view = show<HeatmapView>("heatmap");
    ASSERT_NE(view, nullptr);
    const std::vector<BoundarySegment>& segments = view->heatmap()->rangeSegments();
    ASSERT_FALSE(segments.empty());
    const auto boundsAt = [&segments](double seconds) {
        std::set<int64_t> keys;
        for (const BoundarySegment& segment : segments)
            if (segment.from <= seconds && seconds < segment.to)
                keys.insert(segment.key);
        return keys;
    };
    const double end = static_cast<double>(snapshot->tickCount) * snapshot->tickSeconds;
    const std::set<int64_t> first = boundsAt(0.5);
    const std::set<int64_t> last = boundsAt(end - 0.5);
    // A boundary per range start beyond the first range, at each moment.
    EXPECT_EQ(static_cast<int>(first.size()), ranges().windows.front().ranges - 1);
    EXPECT_EQ(static_cast<int>(last.size()), ranges().end - 1);
    EXPECT_GE(ranges().loadSplits, 7);
    EXPECT_NE(first, last);
    EXPECT_GT(last.size(), first.size());
}

TEST(RangeTimeline, BoundariesStandFromTheirSplitToTheirMergeAndTheWindowAtAMomentHoldsIt)
{
    RangesSummary ranges;
    ranges.windows = {
        RangeWindowSummary { .atS = 0, .seconds = 10, .ranges = 3, .nodeRanges = { 2, 1 }, .bounds = { 5, 9 } },
        RangeWindowSummary { .atS = 10, .seconds = 10, .ranges = 4, .nodeRanges = { 2, 2 }, .bounds = { 5, 7, 9 } },
        RangeWindowSummary { .atS = 20, .seconds = 10, .ranges = 2, .nodeRanges = { 1 }, .bounds = { 5 } },
    };
    const std::vector<BoundarySegment> segments = rangeBoundarySegments(ranges);
    ASSERT_EQ(segments.size(), 3u);
    // Key 5 stood the whole run, 7 split off at 10 s and merged away at 20 s, 9 stood until 20 s.
    EXPECT_EQ(segments[0].key, 5);
    EXPECT_DOUBLE_EQ(segments[0].from, 0);
    EXPECT_DOUBLE_EQ(segments[0].to, 30);
    EXPECT_EQ(segments[1].key, 7);
    EXPECT_DOUBLE_EQ(segments[1].from, 10);
    EXPECT_DOUBLE_EQ(segments[1].to, 20);
    EXPECT_EQ(segments[2].key, 9);
    EXPECT_DOUBLE_EQ(segments[2].from, 0);
    EXPECT_DOUBLE_EQ(segments[2].to, 20);

    EXPECT_EQ(rangeWindowAt(ranges, -1)->atS, 0);
    EXPECT_EQ(rangeWindowAt(ranges, 9.99)->atS, 0);
    EXPECT_EQ(rangeWindowAt(ranges, 10)->atS, 10);
    EXPECT_EQ(rangeWindowAt(ranges, 99)->atS, 20);
    EXPECT_EQ(rangesOnNode(*rangeWindowAt(ranges, 25), 0), 1);
    EXPECT_EQ(rangesOnNode(*rangeWindowAt(ranges, 25), 1), 0); // a node the window does not list leads none
    EXPECT_EQ(rangeWindowAt(RangesSummary {}, 5), nullptr);
}
