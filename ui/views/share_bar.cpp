#include "views/share_bar.h"

#include <QPainter>
#include <QPainterPath>

#include "charts/chart_style.h"

namespace shardsim::ui {

namespace {
    constexpr int kBarHeight = 12; // pixels
    constexpr int kGap = 4; // between the bar and its text

    QString share(double value) { return QString::fromStdString(formatShardKeyShare(value)); }

    // Single-shard calm (the series palette's teal), multi-shard amber, scatter-gather violet.
    QColor colour(int part) { return seriesColor(part == 0 ? 2 : part == 1 ? 1 : 3); }
}

ShareBar::ShareBar(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ShareBar::setShares(const TargetingShares& shares)
{
    m_shares = shares;
    setToolTip(tr("Single-shard, multi-shard and scatter-gather calls: %1").arg(text()));
    update();
}

QString ShareBar::text() const
{
    return tr("%1 single · %2 multi · %3 scatter")
        .arg(share(m_shares.singleShard), share(m_shares.multiShard), share(m_shares.scatterGather));
}

QSize ShareBar::sizeHint() const
{
    return { fontMetrics().horizontalAdvance(text()) + 3 * fontMetrics().ascent() + 24,
        kBarHeight + kGap + fontMetrics().height() };
}

QSize ShareBar::minimumSizeHint() const { return { 120, sizeHint().height() }; }

void ShareBar::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF bar(0.5, 0.5, width() - 1.0, kBarHeight);
    painter.setPen(Qt::NoPen);
    painter.setBrush(palette().color(QPalette::Midlight));
    painter.drawRoundedRect(bar, 3, 3);
    const double parts[] = { m_shares.singleShard, m_shares.multiShard, m_shares.scatterGather };
    const QString names[] = { tr("single"), tr("multi"), tr("scatter") };
    painter.save();
    QPainterPath clip;
    clip.addRoundedRect(bar, 3, 3);
    painter.setClipPath(clip);
    double x = bar.left();
    for (int i = 0; i < 3; ++i) {
        const double w = parts[i] * bar.width();
        painter.fillRect(QRectF(x, bar.top(), w, bar.height()), colour(i));
        x += w;
    }
    painter.restore();
    // The legend is the text: a swatch of each part's colour before its share.
    const int line = kBarHeight + kGap;
    const int swatch = fontMetrics().ascent() - 2;
    int at = 0;
    painter.setPen(palette().color(QPalette::WindowText));
    for (int i = 0; i < 3; ++i) {
        painter.fillRect(QRect(at, line + (fontMetrics().height() - swatch) / 2, swatch, swatch), colour(i));
        at += swatch + 4;
        const QString label = share(parts[i]) + QLatin1Char(' ') + names[i];
        painter.drawText(
            QRect(at, line, width() - at, fontMetrics().height()), Qt::AlignLeft | Qt::AlignVCenter, label);
        at += fontMetrics().horizontalAdvance(label) + 12;
    }
}

} // namespace shardsim::ui
