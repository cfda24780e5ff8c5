// An auto-range run reopened from the run history shows what it showed live: each node's range count in the Cluster
// view at any moment, the balancer's moves in the Migration view and the range boundaries on the heat map.
#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <QtCharts/QLineSeries>
#include <gtest/gtest.h>

#include <vector>

#include "charts/time_series_chart.h"
#include "finished_run_test.h"
#include "main_window.h"
#include "models/node_table_model.h"
#include "models/range_timeline.h"
#include "views/cluster_view.h"
#include "views/heatmap_view.h"
#include "views/heatmap_widget.h"
#include "views/migration_view.h"
#include "views/view_context.h"
#include "workers/run_controller.h"

using namespace shardsim;
using namespace shardsim::ui;

namespace {

// The moments the Cluster view is read at, in ticks: the add-node lesson's node-5 joins at 1:00 and takes ranges
// until about 5:00.
const std::vector<int> kMoments { 0, 30, 59, 61, 90, 150, 240, 599 };

struct Shown {
    std::vector<std::vector<int>> clusterCounts; // per moment, each node's count in the Ranges column
    QList<QPointF> moves; // the Migration view's "balancer moves per window"
    QList<QPointF> bytes; // and its "bytes/s copied"
    std::vector<BoundarySegment> boundaries; // the heat map's
};

// One lesson of scenarios/ranges run in the window with a history, then reopened from it.
class RangeReopenTest : public test::FinishedRunTest {
protected:
    void runAndReopen(const char* lesson)
    {
        QFile file(QStringLiteral(SHARDSIM_SOURCE "/scenarios/ranges/") + QLatin1String(lesson));
        ASSERT_TRUE(file.open(QIODevice::ReadOnly));
        const QByteArray yaml = file.readAll();
        ASSERT_NO_FATAL_FAILURE(runText(yaml.constData(), QLatin1String(lesson)));
        ASSERT_TRUE(QTest::qWaitFor([this] { return window->controller()->snapshot()->historyRunId > 0; }, 20'000));
        live = window->controller()->snapshot();
        ASSERT_TRUE(live->result && live->result->ranges);
        liveShown = shown();

        QSignalSpy reopenedSignal(window->controller(), &RunController::reopened);
        window->viewContext()->requestReopen(live->historyRunId);
        ASSERT_TRUE(reopenedSignal.wait(20'000));
        QTest::qWait(150);
        reopened = window->controller()->snapshot();
        ASSERT_NE(reopened, live) << "the reopened run is the stored one";
        ASSERT_TRUE(reopened->result && reopened->result->ranges);
        reopenedShown = shown();
    }

    template <typename View> View* show(const char* name)
    {
        EXPECT_TRUE(window->showView(QLatin1String(name)));
        auto* view = qobject_cast<View*>(window->view(QLatin1String(name)));
        EXPECT_TRUE(QTest::qWaitFor([view] { return view && !view->busy(); }, 20'000));
        if (view)
            view->ensureFresh();
        return view;
    }

    Shown shown()
    {
        Shown out;
        if (auto* cluster = show<ClusterView>("cluster")) {
            for (const int tick : kMoments) {
                window->viewContext()->setTick(tick);
                cluster->ensureFresh();
                const NodeTableModel& model = *cluster->model();
                std::vector<int>& counts = out.clusterCounts.emplace_back();
                for (int row = 0; row < model.rowCount(); ++row)
                    counts.push_back(
                        model.data(model.index(row, NodeTableModel::Shards), NodeTableModel::kSortRole).toInt());
            }
        }
        if (auto* migration = show<MigrationView>("migration")) {
            if (const QLineSeries* moves = migration->bytesChart()->series(QStringLiteral("balancer moves per window")))
                out.moves = moves->points();
            if (const QLineSeries* bytes = migration->bytesChart()->series(QStringLiteral("bytes/s copied")))
                out.bytes = bytes->points();
        }
        if (auto* heatmap = show<HeatmapView>("heatmap"))
            out.boundaries = heatmap->heatmap()->rangeSegments();
        return out;
    }

    RunSnapshotPtr live;
    RunSnapshotPtr reopened;
    Shown liveShown;
    Shown reopenedShown;
};

void expectSameBoundaries(const std::vector<BoundarySegment>& reopened, const std::vector<BoundarySegment>& live)
{
    ASSERT_EQ(reopened.size(), live.size());
    for (size_t i = 0; i < live.size(); ++i) {
        EXPECT_EQ(reopened[i].key, live[i].key) << i;
        EXPECT_EQ(reopened[i].from, live[i].from) << i;
        EXPECT_EQ(reopened[i].to, live[i].to) << i;
    }
}

} // namespace

TEST_F(RangeReopenTest, ClusterCountsAndBalancerMovesAreTheLiveRunsAfterReopening)
{
    ASSERT_NO_FATAL_FAILURE(runAndReopen("add-node-balancer.yaml"));
    // The lesson's numbers (its expect: block derives them): 32 ranges on each of 4 nodes before node-5 joins, 25 moved
    // to it by the end.
    ASSERT_EQ(liveShown.clusterCounts.size(), kMoments.size());
    EXPECT_EQ(liveShown.clusterCounts[1], (std::vector<int> { 32, 32, 32, 32, 0 }));
    ASSERT_EQ(liveShown.clusterCounts.back().size(), 5u);
    EXPECT_EQ(liveShown.clusterCounts.back()[4], 25);
    for (size_t m = 0; m < kMoments.size(); ++m)
        EXPECT_EQ(reopenedShown.clusterCounts[m], liveShown.clusterCounts[m]) << "at tick " << kMoments[m];

    ASSERT_FALSE(liveShown.moves.isEmpty());
    double started = 0;
    for (const QPointF& point : reopenedShown.moves)
        started += point.y();
    EXPECT_EQ(started, 25);
    EXPECT_EQ(reopenedShown.moves, liveShown.moves);
    EXPECT_EQ(reopenedShown.bytes, liveShown.bytes);
    expectSameBoundaries(reopenedShown.boundaries, liveShown.boundaries);
}

TEST_F(RangeReopenTest, TheHeatMapDrawsTheSameMovingBoundariesAfterReopening)
{
    ASSERT_NO_FATAL_FAILURE(runAndReopen("double-11-hot-range.yaml"));
    ASSERT_GE(live->result->ranges->loadSplits, 7) << "the hot range splits, so boundaries appear over the run";
    // A boundary that appears after the start: the heat map draws the splits, not only the first layout.
    bool appears = false;
    for (const BoundarySegment& segment : liveShown.boundaries)
        appears = appears || segment.from > 0;
    EXPECT_TRUE(appears);
    expectSameBoundaries(reopenedShown.boundaries, liveShown.boundaries);
    EXPECT_EQ(reopenedShown.clusterCounts, liveShown.clusterCounts);
}
