#include "views/heatmap_view.h"

#include <QLabel>
#include <QToolBar>

#include "charts/chart_style.h"
#include "views/heatmap_widget.h"
#include "views/view_context.h"

namespace shardsim::ui {

HeatmapView::HeatmapView(ViewContext* context, QWidget* parent)
    : AnalysisView(context, parent)
    , m_heatmap(new HeatmapWidget(this))
    , m_caption(new QLabel(this))
{
    setObjectName(QStringLiteral("heatmap"));
    setWindowTitle(tr("Heat map"));
    m_caption->setContentsMargins(6, 0, 6, 0);
    toolBar()->insertWidget(toolBar()->actions().constFirst(), m_caption);
    setContent(m_heatmap);
    connect(context, &ViewContext::snapshotChanged, this, &HeatmapView::requestRefresh);
    connect(context, &ViewContext::tickChanged, this, [this] {
        const auto& snapshot = this->context()->snapshot();
        m_heatmap->setMarker(snapshot ? static_cast<double>(this->context()->tick()) * snapshot->tickSeconds : -1.0);
    });
    connect(m_heatmap, &HeatmapWidget::timeClicked, this, [this](double seconds) {
        if (const auto& snapshot = this->context()->snapshot())
            this->context()->setTick(static_cast<int64_t>(seconds / snapshot->tickSeconds));
    });
}

void HeatmapView::refresh()
{
    const RunSnapshotPtr& snapshot = context()->snapshot();
    if (!snapshot || !snapshot->result || !snapshot->charts || snapshot->charts->heatmap.isNull()) {
        m_heatmap->setHeatmap(nullptr, QImage(), 0);
        m_heatmap->setEmptyText(
            snapshot && snapshot->heatmapNotStored ? tr("No heat map was stored with this run.") : QString());
        if (snapshot && snapshot->heatmapNotStored)
            m_caption->setText(tr("Reopened from the run history: this run was stored by an older shardsim, which "
                                  "did not keep heat maps. Run it again to see one."));
        else if (snapshot && !snapshot->done())
            m_caption->setText(tr("Simulating… the heat map is drawn when the run ends."));
        else
            m_caption->clear();
        return;
    }
    const HeatMap& heatmap = snapshot->result->heatmap;
    m_heatmap->setHeatmap(snapshot->result, snapshot->charts->heatmap, snapshot->charts->heatmapMaxRate);
    m_heatmap->setMarker(static_cast<double>(context()->tick()) * snapshot->tickSeconds);
    QString caption = tr("%1 · %2 key ranges × %3 time buckets · brightest %4")
                          .arg(QString::fromStdString(heatmap.table))
                          .arg(heatmap.keyBuckets)
                          .arg(heatmap.timeBuckets)
                          .arg(formatRate(snapshot->charts->heatmapMaxRate));
    if (const auto& ranges = snapshot->result->ranges)
        caption += tr(" · white lines: the range boundaries as they split, merge and stand (%1 ranges at the "
                      "start, %2 at the end)")
                       .arg(ranges->start)
                       .arg(ranges->end);
    else if (heatmap.shardBoundaries.empty())
        // Hashing and modulo rules (db-table, mod) alike scatter each shard's keys: there are no ranges to draw.
        caption += tr(" · the rule scatters every shard's keys over the whole key range: no shard boundaries");
    m_caption->setText(caption);
}

QString HeatmapView::csv() const
{
    const RunSnapshotPtr& snapshot = context()->snapshot();
    if (!snapshot || !snapshot->result || snapshot->result->heatmap.keyBuckets <= 0)
        return {};
    const HeatMap& heatmap = snapshot->result->heatmap;
    QString csv = QStringLiteral("time_s,key_from,key_to,requests_per_s\n");
    const double width = (heatmap.keyMax - heatmap.keyMin) / heatmap.keyBuckets;
    for (int t = 0; t < heatmap.timeBuckets; ++t)
        for (int k = 0; k < heatmap.keyBuckets; ++k)
            csv += QStringLiteral("%1,%2,%3,%4\n")
                       .arg(t * heatmap.secondsPerTimeBucket, 0, 'g', 10)
                       .arg(heatmap.keyMin + k * width, 0, 'f', 0)
                       .arg(heatmap.keyMin + (k + 1) * width, 0, 'f', 0)
                       .arg(heatmap.rate[size_t(t) * size_t(heatmap.keyBuckets) + size_t(k)], 0, 'g', 10);
    return csv;
}

} // namespace shardsim::ui
