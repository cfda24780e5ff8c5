#include "views/node_tiles_widget.h"

#include <QHelpEvent>
#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QStaticText>
#include <QToolTip>

#include <algorithm>
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
    const QColor kFailedFill(0x3a, 0x3a, 0x3a);
    const QColor kFailedAccent(0xe0, 0x30, 0x30);
    const QColor kRecoveredAccent(0x2c, 0xa0, 0x2c);

    QString percentText(double fraction) { return QString::number(fraction * 100.0, 'f', 0) + QLatin1Char('%'); }
}

std::vector<NodeStatus> nodeStatusesAt(
    const ScenarioConfig* scenario, const RunResult* result, double seconds, size_t nodes)
{
    NodeStatus up;
    up.clock = result ? result->clock() : scenario ? scenario->clock() : RunClock();
    std::vector<NodeStatus> statuses(nodes, up);
    const auto statusOf = [&](int node) -> NodeStatus* {
        return node >= 0 && static_cast<size_t>(node) < nodes ? &statuses[size_t(node)] : nullptr;
    };
    // An event takes effect at the first tick starting at or after it: at `seconds` when at <= seconds.
    const auto reached = [seconds](double at) { return at <= seconds + 1e-9 * std::max(1.0, seconds); };
    if (scenario) {
        std::vector<const EventConfig*> events;
        for (const EventConfig& event : scenario->events)
            events.push_back(&event);
        std::stable_sort(events.begin(), events.end(), [](auto* a, auto* b) { return a->at < b->at; });
        for (const EventConfig* event : events) {
            if (!reached(event->at))
                break;
            if (NodeStatus* status = event->recoverNode ? statusOf(*event->recoverNode) : nullptr;
                status && status->state == NodeStatus::State::Failed)
                *status = NodeStatus { NodeStatus::State::Recovered, event->at, {}, -1, up.clock };
            if (NodeStatus* status = event->failNode ? statusOf(*event->failNode) : nullptr)
                *status = NodeStatus { NodeStatus::State::Failed, event->at, {}, -1, up.clock };
        }
    }
    if (!result)
        return statuses;
    for (const FailoverSummary& failover : result->failovers) {
        NodeStatus* status = statusOf(failover.node);
        if (status && status->state == NodeStatus::State::Failed && reached(failover.atS) && failover.takeoverNode >= 0
            && static_cast<size_t>(failover.takeoverNode) < result->nodes.size())
            status->takeover = QString::fromStdString(result->nodes[size_t(failover.takeoverNode)].name);
    }
    for (const MigrationSummary& migration : result->migrations) {
        if (migration.kind != "re-replication" || !reached(migration.atS)
            || seconds >= migration.atS + migration.durationS)
            continue;
        const double progress = migration.durationS > 0 ? (seconds - migration.atS) / migration.durationS : 1.0;
        for (size_t n = 0; n < nodes && n < migration.nodeInBytes.size(); ++n) {
            NodeStatus& status = statuses[n];
            if (migration.nodeInBytes[n] > 0 && status.state != NodeStatus::State::Failed)
                status = NodeStatus { NodeStatus::State::CatchingUp, migration.atS, {}, progress, up.clock };
        }
        for (size_t n = 0; n < nodes && result->nodes.size() > n; ++n)
            if (migration.event == "re-replication of " + result->nodes[n].name
                && statuses[n].state == NodeStatus::State::Failed)
                statuses[n].progress = progress;
    }
    return statuses;
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

void NodeTilesWidget::setCountsRanges(bool ranges)
{
    m_countsRanges = ranges;
    update();
}

QString NodeTilesWidget::countLabel(int count) const
{
    return m_countsRanges ? countText(count, tr("range"), tr("ranges")) : countText(count, tr("shard"), tr("shards"));
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

void NodeTilesWidget::setStatuses(std::vector<NodeStatus> statuses)
{
    m_statuses = std::move(statuses);
    update();
}

const NodeStatus& NodeTilesWidget::status(int node) const
{
    static const NodeStatus up;
    return node >= 0 && static_cast<size_t>(node) < m_statuses.size() ? m_statuses[size_t(node)] : up;
}

QStringList NodeTilesWidget::statusLines(int node) const
{
    const NodeStatus& s = status(node);
    QStringList lines;
    switch (s.state) {
    case NodeStatus::State::Up:
        break;
    case NodeStatus::State::Failed:
        lines << tr("failed at %1").arg(QString::fromStdString(s.clock.format(s.since)));
        if (!s.takeover.isEmpty())
            lines << tr("→ %1 took over").arg(s.takeover);
        if (s.progress >= 0)
            lines << tr("re-replicating %1").arg(percentText(s.progress));
        break;
    case NodeStatus::State::CatchingUp:
        lines << tr("catching up %1").arg(percentText(s.progress));
        break;
    case NodeStatus::State::Recovered:
        lines << tr("recovered at %1").arg(QString::fromStdString(s.clock.format(s.since)));
        break;
    }
    return lines;
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
    const NodeStatus& state = status(node);
    const bool failed = state.state == NodeStatus::State::Failed;
    // A failed node is dark and hatched in red whatever its load: its "0%" is not an idle node's calm.
    const QColor fill = failed ? kFailedFill
        : m_hasValues          ? utilizationColor(v.utilization)
                               : palette().color(QPalette::Button);
    const bool overloaded = m_hasValues && v.utilization > 1.0 && !failed;
    const QColor text = failed ? QColor(Qt::white)
        : m_hasValues          ? textColorOn(fill)
                               : palette().color(QPalette::ButtonText);
    const bool selected = node == m_selected;
    const QBrush hatch(kFailedAccent, Qt::BDiagPattern);
    if (density() == Density::Small && !selected) {
        // Square and unsmoothed: at this size corners do not show, and a thousand tiles paint fast.
        painter.fillRect(rect, fill);
        if (failed)
            painter.fillRect(rect, hatch);
        painter.setPen(text);
        paintSmallLabel(painter, node, rect);
        return;
    }
    painter.setBrush(fill);
    const QColor border = failed                      ? kFailedAccent
        : state.state == NodeStatus::State::Recovered ? kRecoveredAccent
                                                      : palette().color(QPalette::Mid);
    if (selected) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 3));
        painter.drawRoundedRect(QRectF(rect).adjusted(1.5, 1.5, -1.5, -1.5), 4, 4);
    } else {
        painter.setPen(QPen(border, state.state == NodeStatus::State::Up ? 1 : 2.5));
        painter.drawRoundedRect(QRectF(rect).adjusted(1, 1, -1, -1), 4, 4);
    }
    if (failed) {
        painter.setBrush(hatch);
        painter.setPen(Qt::NoPen);
        painter.drawRoundedRect(QRectF(rect).adjusted(2, 2, -2, -2), 4, 4);
    }
    if (state.progress >= 0) { // the re-replication's progress along the tile's foot
        const QRectF bar(
            rect.left() + 3, rect.bottom() - 4, (rect.width() - 6) * std::clamp(state.progress, 0.0, 1.0), 3);
        painter.fillRect(bar, failed ? QColor(Qt::white) : palette().color(QPalette::Highlight));
    }
    painter.setPen(text);
    const QRect inner = rect.adjusted(6, 3, -6, -3);
    const QStringList lines = statusLines(node);
    switch (density()) {
    case Density::Large: {
        QFont bold = font();
        bold.setBold(true);
        painter.setFont(bold);
        painter.drawText(inner, Qt::AlignLeft | Qt::AlignTop, row.name);
        painter.setFont(font());
        const QString shards = countLabel(row.shards);
        if (failed) {
            painter.setFont(bold);
            painter.drawText(inner, Qt::AlignRight | Qt::AlignTop, tr("FAILED"));
            painter.setFont(font());
            painter.drawText(inner.adjusted(0, QFontMetrics(bold).height(), 0, 0), Qt::AlignLeft | Qt::AlignTop,
                lines.join(QLatin1Char('\n')));
        } else if (m_hasValues) {
            QFont big = font();
            big.setPointSizeF(big.pointSizeF() * 1.35);
            big.setBold(true);
            painter.setFont(big);
            painter.drawText(inner, Qt::AlignRight | Qt::AlignTop,
                QString::number(v.utilization * 100.0, 'f', 0) + QLatin1Char('%'));
            const int below = QFontMetrics(big).height();
            painter.setFont(font());
            if (!lines.isEmpty())
                painter.drawText(inner.adjusted(0, below, 0, 0), Qt::AlignRight | Qt::AlignTop, lines.first());
            else if (overloaded) // the percentage is what the node was asked for; it served at most its max_qps
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
            failed             ? tr("failed")
                : !m_hasValues ? countLabel(row.shards)
                : overloaded   ? tr("%1% offered").arg(v.utilization * 100.0, 0, 'f', 0)
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
    for (const QString& line : statusLines(node))
        tip += QStringLiteral("<br><b>%1</b>").arg(line.toHtmlEscaped());
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
        // A node that served nothing (idle or down) has no latency to show.
        const auto latency = [&v](double first, double second) {
            return v.servedQps > 0 ? tr("%1 · %2 ms").arg(formatLatencyMs(first), formatLatencyMs(second))
                                   : QStringLiteral("–");
        };
        line(tr("Latency p50 · p95"), latency(v.p50LatencyMs, v.p95LatencyMs));
        line(tr("Latency p99 · p99.9"), latency(v.p99LatencyMs, v.p999LatencyMs));
        line(tr("Rows"), QString::fromStdString(units::formatCount(v.rows)));
        line(tr("Storage"), QString::fromStdString(units::formatSize(v.bytes)));
        if (m_countsRanges)
            line(tr("Ranges led"), QString::number(row.shards));
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
