#pragma once
// `heatmap`: requests/s by key range over time, with the rule's shard boundaries on the key axis —
// where the hot keys are, and whether one shard gets all of them.

#include "views/analysis_view.h"

class QLabel;

namespace shardsim::ui {

class HeatmapWidget;

class HeatmapView : public AnalysisView {
    Q_OBJECT
public:
    HeatmapView(ViewContext* context, QWidget* parent = nullptr);
    QString csv() const override;
    HeatmapWidget* heatmap() const { return m_heatmap; }

protected:
    void refresh() override;

    HeatmapWidget* m_heatmap;
    QLabel* m_caption;
};

} // namespace shardsim::ui
