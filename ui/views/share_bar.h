#pragma once
// A side of the mix (reads or writes) as one bar: single-shard, multi-shard and scatter-gather calls side by side,
// each as wide as its share, with the three percentages written under it.

#include <QWidget>

#include "shardsim/report/shard_key_analysis.h"

namespace shardsim::ui {

class ShareBar : public QWidget {
    Q_OBJECT
public:
    explicit ShareBar(QWidget* parent = nullptr);

    void setShares(const TargetingShares& shares);
    const TargetingShares& shares() const { return m_shares; }
    // "75% single · 0% multi · 25% scatter", as written under the bar (and its tooltip).
    QString text() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    TargetingShares m_shares;
};

} // namespace shardsim::ui
