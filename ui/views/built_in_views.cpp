#include <QCoreApplication>

#include "views/analyze_view.h"
#include "views/cluster_view.h"
#include "views/compare_view.h"
#include "views/fanout_view.h"
#include "views/heatmap_view.h"
#include "views/history_view.h"
#include "views/load_view.h"
#include "views/migration_view.h"
#include "views/overview_view.h"
#include "views/plan_view.h"
#include "views/view_registry.h"

namespace shardsim::ui {

namespace {
    QString tr(const char* text) { return QCoreApplication::translate("Views", text); }

    template <typename View> ViewInfo info(const char* id, const char* title, const char* description)
    {
        return ViewInfo { QString::fromLatin1(id), tr(title), tr(description),
            [](ViewContext* context, QWidget* parent) -> AnalysisView* { return new View(context, parent); } };
    }
}

void registerBuiltInViews(ViewRegistry& registry)
{
    registry.add(info<OverviewView>("overview", QT_TRANSLATE_NOOP("Views", "Overview"),
        QT_TRANSLATE_NOOP("Views", "The run in plain words: peak, imbalance, requests served and shed, latency percentiles, "
                                   "expectations")));
    registry.add(info<ClusterView>("cluster", QT_TRANSLATE_NOOP("Views", "Cluster"),
        QT_TRANSLATE_NOOP("Views", "Every node as a tile coloured by offered load, grouped by region; requests offered, served and shed "
                                   "and latency percentiles over time")));
    registry.add(info<LoadView>("load", QT_TRANSLATE_NOOP("Views", "Load"),
        QT_TRANSLATE_NOOP("Views", "Requests/s offered to each node, served, queued and shed, at the selected time and over time")));
    registry.add(info<HeatmapView>("heatmap", QT_TRANSLATE_NOOP("Views", "Heat map"),
        QT_TRANSLATE_NOOP("Views", "Requests/s by key range over time, with shard boundaries")));
    registry.add(info<MigrationView>("migration", QT_TRANSLATE_NOOP("Views", "Migration"),
        QT_TRANSLATE_NOOP("Views", "Bytes moved over time, each node's in and out, moved fraction against the optimum")));
    registry.add(info<CompareView>("compare", QT_TRANSLATE_NOOP("Views", "Compare"),
        QT_TRANSLATE_NOOP("Views", "Two or more rules on the same workload, on a shared time axis")));
    registry.add(info<HistoryView>("history", QT_TRANSLATE_NOOP("Views", "History"),
        QT_TRANSLATE_NOOP("Views", "Stored runs: reopen, delete, compare two")));
    registry.add(info<FanoutView>("fanout", QT_TRANSLATE_NOOP("Views", "Fan-out"),
        QT_TRANSLATE_NOOP("Views", "Shards per call of each operation, amplification, rows read, and which operations "
                                   "load each node")));
    registry.add(info<PlanView>("plan", QT_TRANSLATE_NOOP("Views", "Plan"),
        QT_TRANSLATE_NOOP("Views", "Capacity plan: nodes, cost and the binding constraint over the horizon, reshards, alternatives")));
    registry.add(info<AnalyzeView>("analyze", QT_TRANSLATE_NOOP("Views", "Analyze"),
        QT_TRANSLATE_NOOP("Views", "Is this a good shard key? Cardinality, most common values, monotonicity, single-shard "
                                   "and scatter reads and writes, hottest shard and a verdict per candidate key and rule")));
}

} // namespace shardsim::ui
