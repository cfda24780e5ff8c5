#pragma once
// A legend that never elides a name: every entry is a sample of its line (colour, width, dash pattern) and the
// whole name. In a row it wraps to as many lines as the names need; in a column it is as wide as the longest name.
// Qt Charts' own legend cuts names to "nod…" once they do not fit, which leaves a reader guessing.

#include <QWidget>

#include <vector>

#include "charts/time_series_chart.h"

namespace shardsim::ui {

class SeriesLegend : public QWidget {
    Q_OBJECT
public:
    enum class Flow { Rows, Column };

    explicit SeriesLegend(Flow flow, QWidget* parent = nullptr);

    void setEntries(const std::vector<SeriesSpec>& series); // the points are not used
    QStringList names() const;
    const std::vector<SeriesSpec>& entries() const { return m_entries; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }
    bool hasHeightForWidth() const override { return m_flow == Flow::Rows; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    // Where each entry goes when the legend is `width` pixels wide.
    std::vector<QRect> layoutEntries(int width) const;
    int entryWidth(const SeriesSpec& entry) const;

    Flow m_flow;
    std::vector<SeriesSpec> m_entries;
};

} // namespace shardsim::ui
