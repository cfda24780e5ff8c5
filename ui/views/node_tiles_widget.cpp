#include "views/node_tiles_widget.h"

#include <QHelpEvent>
#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QStaticText>
#include <QToolTip>

#include <map>

#include "charts/chart_style.h"
#include "charts/color_scales.h"
#include "shardsim/common/units.h"

namespace shardsim::ui {

namespace {
    constexpr int kMargin = 10;
    constexpr int kGap = 6;
    constexpr int kHeaderHeight = 24;
    constexpr int kLegendHeight = 34;
    constexpr int kShardsInTooltip = 12;
}

NodeTilesWidget::NodeTilesWidget(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    // The scroll area asks the size policy, not hasHeightForWidth(), whether the height follows the width.
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void NodeTilesWidget::setNodes(std::vector<NodeRow> nodes, bool hasValues, std::vector<QStringList> shardNames)
{
    const bool relayout = nodes.size() != m_nodes.size();
    m_nodes = std::move(nodes);
    m_hasValues = hasValues;
    m_shardNames = std::move(shardNames);
    if (relayout || m_groups.empty()) {
        layoutFor(width(), true);
        updateGeometry();
        m_smallFont = font();
        m_smallFont.setPointSizeF(m_smallFont.pointSizeF() * 0.75);
        m_numbers.clear();
        if (density() == Density::Small) {
            for (size_t i = 0; i < m_nodes.size(); ++i) {
                QStaticText label(QString::number(i + 1));
                label.prepare(QTransform(), m_smallFont);
                m_numbers.push_back(label);
            }
        }
    }
    update();
}

void NodeTilesWidget::setSelectedNode(int node)
{
    if (node == m_selected)
        return;
    m_selected = node;
    update();
}

NodeTilesWidget::Density NodeTilesWidget::density() const
{
    if (m_nodes.size() <= 48)
        return Density::Large;
    if (m_nodes.size() <= 256)
        return Density::Medium;
    return Density::Small;
}

QSize NodeTilesWidget::tileSize() const
{
    switch (density()) {
    case Density::Large:
        return { 150, 84 };
    case Density::Medium:
        return { 92, 50 };
    case Density::Small:
        return { 38, 24 };
    }
    return {};
}

int NodeTilesWidget::layoutFor(int width, bool store)
{
    // Regions in the order their first node appears, which is the file's order.
    std::vector<Group> groups;
    std::map<QString, size_t> indexOf;
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        const QString& region = m_nodes[i].region;
        auto [it, inserted] = indexOf.emplace(region, groups.size());
        if (inserted)
            groups.push_back(Group { region, {}, {} });
        groups[it->second].nodes.push_back(static_cast<int>(i));
    }
    const QSize tile = tileSize();
    const int gap = density() == Density::Small ? 3 : kGap;
    const int columns = std::max(1, (width - 2 * kMargin + gap) / (tile.width() + gap));
    std::vector<QRect> tiles(m_nodes.size());
    int y = kMargin + kLegendHeight;
    for (Group& group : groups) {
        const bool showHeader = !(groups.size() == 1 && group.region.isEmpty());
        if (showHeader) {
            group.header = QRect(kMargin, y, width - 2 * kMargin, kHeaderHeight);
            y += kHeaderHeight;
        }
        for (size_t i = 0; i < group.nodes.size(); ++i) {
            const int column = static_cast<int>(i) % columns;
            const int row = static_cast<int>(i) / columns;
            tiles[size_t(group.nodes[i])] = QRect(
                kMargin + column * (tile.width() + gap), y + row * (tile.height() + gap), tile.width(), tile.height());
        }
        const int rows = (static_cast<int>(group.nodes.size()) + columns - 1) / columns;
        y += rows * (tile.height() + gap) + kGap;
    }
    if (store) {
        m_groups = std::move(groups);
        m_tiles = std::move(tiles);
        m_legend = QRect(kMargin, kMargin, std::min(420, width - 2 * kMargin), kLegendHeight - 8);
    }
    return y + kMargin;
}

int NodeTilesWidget::heightForWidth(int width) const
{
    return const_cast<NodeTilesWidget*>(this)->layoutFor(width, false);
}

QSize NodeTilesWidget::sizeHint() const { return { 640, heightForWidth(640) }; }

void NodeTilesWidget::resizeEvent(QResizeEvent* event)
{
    layoutFor(width(), true);
    QWidget::resizeEvent(event);
}

QRect NodeTilesWidget::tileRect(int node) const
{
    return node >= 0 && node < static_cast<int>(m_tiles.size()) ? m_tiles[size_t(node)] : QRect();
}

int NodeTilesWidget::nodeAt(const QPoint& position) const
{
    for (size_t i = 0; i < m_tiles.size(); ++i)
        if (m_tiles[i].contains(position))
            return static_cast<int>(i);
    return -1;
}

void NodeTilesWidget::paintEvent(QPaintEvent* event)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    paintLegend(painter, m_legend);
    QFont headerFont = font();
    headerFont.setBold(true);
    for (const Group& group : m_groups) {
        if (group.header.isNull() || !event->rect().intersects(group.header))
            continue;
        double qps = 0;
        double utilization = 0;
        for (int node : group.nodes) {
            qps += m_nodes[size_t(node)].values.qps;
            utilization += m_nodes[size_t(node)].values.utilization;
        }
        QString text = (group.region.isEmpty() ? tr("no region") : group.region) + QStringLiteral("  ·  ")
            + countText(static_cast<qint64>(group.nodes.size()), tr("node"), tr("nodes"));
        if (m_hasValues)
            text += QStringLiteral("  ·  ") + tr("%1 offered").arg(formatRate(qps)) + QStringLiteral("  ·  ")
                + tr("mean offered load %1%")
                      .arg(utilization * 100.0 / std::max<size_t>(1, group.nodes.size()), 0, 'f', 0);
        painter.setFont(headerFont);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(group.header.adjusted(0, 0, 0, -4), Qt::AlignLeft | Qt::AlignBottom, text);
    }
    painter.setFont(font());
    painter.setRenderHint(QPainter::Antialiasing, density() != Density::Small);
    for (size_t i = 0; i < m_tiles.size(); ++i)
        if (event->rect().intersects(m_tiles[i]))
            paintTile(painter, static_cast<int>(i), m_tiles[i]);
}

void NodeTilesWidget::paintLegend(QPainter& painter, const QRect& area) const
{
    if (!m_hasValues) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(area, Qt::AlignLeft | Qt::AlignVCenter,
            tr("Tiles show each node's logical shards. Run the scenario to colour them by load."));
        return;
    }
    const QRect bar(area.left(), area.top() + 2, area.width(), 10);
    QLinearGradient gradient(bar.topLeft(), bar.topRight());
    for (int i = 0; i <= 15; ++i)
        gradient.setColorAt(i / 15.0, utilizationColor(i / 10.0));
    painter.setPen(Qt::NoPen);
    painter.setBrush(gradient);
    painter.drawRoundedRect(bar, 3, 3);
    painter.setPen(palette().color(QPalette::WindowText));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter.setFont(small);
    const struct {
        double at;
        const char* label;
    } ticks[] = { { 0, "0%" }, { 0.5, "50%" }, { 0.7, "70%" }, { 1.0, "100%" }, { 1.5, "≥150%" } };
    for (const auto& tick : ticks) {
        const int x = bar.left() + static_cast<int>(tick.at / 1.5 * bar.width());
        const QString label = QString::fromUtf8(tick.label);
        const int w = painter.fontMetrics().horizontalAdvance(label);
        const int left = std::clamp(x - w / 2, bar.left(), bar.right() - w);
        painter.drawText(QPoint(left, bar.bottom() + painter.fontMetrics().ascent() + 3), label);
    }
    // Past 100% the colour is the load the node was asked for, not what it served: say so beside the scale.
    painter.drawText(QRect(bar.right() + 12, area.top(), width() - bar.right() - 12 - kMargin, area.height()),
        Qt::AlignLeft | Qt::AlignVCenter,
        tr("offered load: requests/s offered ÷ max_qps; above 100% the node is overloaded and sheds"));
    painter.setFont(font());
}

void NodeTilesWidget::paintTile(QPainter& painter, int node, const QRect& rect) const
{
    const NodeRow& row = m_nodes[size_t(node)];
    const NodeTick& v = row.values;
    const QColor fill = m_hasValues ? utilizationColor(v.utilization) : palette().color(QPalette::Button);
    const bool overloaded = m_hasValues && v.utilization > 1.0;
    const QColor text = m_hasValues ? textColorOn(fill) : palette().color(QPalette::ButtonText);
    const bool selected = node == m_selected;
    if (density() == Density::Small && !selected) {
        // Square and unsmoothed: at this size corners do not show, and a thousand tiles paint fast.
        painter.fillRect(rect, fill);
        painter.setPen(text);
        paintSmallLabel(painter, node, rect);
        return;
    }
    painter.setBrush(fill);
    if (selected) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 3));
        painter.drawRoundedRect(QRectF(rect).adjusted(1.5, 1.5, -1.5, -1.5), 4, 4);
    } else {
        painter.setPen(QPen(palette().color(QPalette::Mid), 1));
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    }
    painter.setPen(text);
    const QRect inner = rect.adjusted(6, 3, -6, -3);
    switch (density()) {
    case Density::Large: {
        QFont bold = font();
        bold.setBold(true);
        painter.setFont(bold);
        painter.drawText(inner, Qt::AlignLeft | Qt::AlignTop, row.name);
        painter.setFont(font());
        const QString shards = countText(row.shards, tr("shard"), tr("shards"));
        if (m_hasValues) {
            QFont big = font();
            big.setPointSizeF(big.pointSizeF() * 1.35);
            big.setBold(true);
            painter.setFont(big);
            painter.drawText(inner, Qt::AlignRight | Qt::AlignTop,
                QString::number(v.utilization * 100.0, 'f', 0) + QLatin1Char('%'));
            const int below = QFontMetrics(big).height();
            painter.setFont(font());
            if (overloaded) // the percentage is what the node was asked for; it served at most its max_qps
                painter.drawText(inner.adjusted(0, below, 0, 0), Qt::AlignRight | Qt::AlignTop, tr("offered load"));
            QString load = formatRate(v.qps);
            if (v.shedQps > 0)
                load += QStringLiteral(" · ") + tr("%1 shed").arg(formatRate(v.shedQps));
            painter.drawText(inner, Qt::AlignLeft | Qt::AlignBottom, load + QLatin1Char('\n') + shards);
        } else {
            painter.drawText(inner, Qt::AlignLeft | Qt::AlignBottom, shards);
        }
        break;
    }
    case Density::Medium:
        painter.drawText(inner, Qt::AlignLeft | Qt::AlignTop, row.name);
        painter.drawText(inner, Qt::AlignRight | Qt::AlignBottom,
            !m_hasValues ? countText(row.shards, tr("shard"), tr("shards"))
                : overloaded ? tr("%1% offered").arg(v.utilization * 100.0, 0, 'f', 0)
                             : QString::number(v.utilization * 100.0, 'f', 0) + QLatin1Char('%'));
        break;
    case Density::Small:
        paintSmallLabel(painter, node, rect);
        break;
    }
}

void NodeTilesWidget::paintSmallLabel(QPainter& painter, int node, const QRect& rect) const
{
    // Hundreds of these are painted ten times a second: the labels are laid out once, in setNodes().
    if (size_t(node) >= m_numbers.size())
        return;
    const QStaticText& label = m_numbers[size_t(node)];
    const QFont previous = painter.font();
    painter.setFont(m_smallFont);
    painter.drawStaticText(QPointF(rect.center()) - QPointF(label.size().width(), label.size().height()) / 2, label);
    painter.setFont(previous);
}

QString NodeTilesWidget::tooltipFor(int node) const
{
    const NodeRow& row = m_nodes[size_t(node)];
    QString tip = QStringLiteral("<b>%1</b>").arg(row.name.toHtmlEscaped());
    if (!row.region.isEmpty())
        tip += QStringLiteral(" · %1").arg(row.region.toHtmlEscaped());
    if (m_hasValues) {
        tip += QStringLiteral("<table>");
        auto line = [&tip](const QString& label, const QString& value) {
            tip += QStringLiteral("<tr><td>%1</td><td align='right'>&nbsp;%2</td></tr>").arg(label, value);
        };
        const NodeTick& v = row.values;
        line(tr("Requests/s offered"), formatRate(v.qps));
        line(v.utilization > 1.0 ? tr("Offered load (overloaded)") : tr("Offered load"),
            QString::number(v.utilization * 100.0, 'f', 1) + QLatin1Char('%'));
        line(tr("Requests/s served"), formatRate(v.servedQps));
        line(tr("Requests/s shed"), formatRate(v.shedQps));
        line(tr("Queued"), QString::fromStdString(units::formatCount(v.queued)));
        line(tr("Latency p50 · p95"),
            tr("%1 · %2 ms").arg(formatLatencyMs(v.p50LatencyMs), formatLatencyMs(v.p95LatencyMs)));
        line(tr("Latency p99 · p99.9"),
            tr("%1 · %2 ms").arg(formatLatencyMs(v.p99LatencyMs), formatLatencyMs(v.p999LatencyMs)));
        line(tr("Rows"), QString::fromStdString(units::formatCount(v.rows)));
        line(tr("Storage"), QString::fromStdString(units::formatSize(v.bytes)));
        tip += QStringLiteral("</table>");
    }
    const QStringList& shards
        = node < static_cast<int>(m_shardNames.size()) ? m_shardNames[size_t(node)] : QStringList();
    if (!shards.isEmpty()) {
        tip += QStringLiteral("<br>%1: ").arg(countText(row.shards, tr("logical shard"), tr("logical shards")));
        tip += shards.mid(0, kShardsInTooltip).join(QStringLiteral(", ")).toHtmlEscaped();
        if (row.shards > kShardsInTooltip)
            tip += tr(" … and %1 more").arg(row.shards - kShardsInTooltip);
    }
    return tip;
}

void NodeTilesWidget::mousePressEvent(QMouseEvent* event)
{
    const int node = nodeAt(event->position().toPoint());
    if (node >= 0 && event->button() == Qt::LeftButton)
        emit nodeClicked(node);
    QWidget::mousePressEvent(event);
}

bool NodeTilesWidget::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int node = nodeAt(help->pos());
        if (node >= 0)
            QToolTip::showText(help->globalPos(), tooltipFor(node), this, tileRect(node));
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace shardsim::ui
