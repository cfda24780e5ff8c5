#include "charts/event_markers.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

#include "charts/chart_style.h"
#include "shardsim/common/units.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::ui {

namespace {
    const QColor kFailure(0xd6, 0x27, 0x28);
    const QColor kRecovery(0x2c, 0xa0, 0x2c);
    const QColor kLayout(0x1f, 0x77, 0xb4);

    QString nodeName(NodeId node) { return QStringLiteral("node-%1").arg(node + 1); }
}

std::vector<EventMark> eventMarks(const std::vector<EventConfig>& events, const RunClock& clock)
{
    std::vector<EventMark> marks;
    for (const EventConfig& event : events) {
        QStringList label;
        QStringList description;
        EventMark mark;
        mark.at = event.at;
        mark.color = kLayout;
        if (event.addNodes > 0) {
            label << QStringLiteral("+%1").arg(
                countText(event.addNodes, QStringLiteral("node"), QStringLiteral("nodes")));
            description << QStringLiteral("%1 added%2")
                               .arg(countText(event.addNodes, QStringLiteral("node"), QStringLiteral("nodes")),
                                   event.addNodesRegion.empty()
                                       ? QString()
                                       : QStringLiteral(" in %1").arg(QString::fromStdString(event.addNodesRegion)));
        }
        if (event.removeNode) {
            label << QStringLiteral("%1 removed").arg(nodeName(*event.removeNode));
            description << QStringLiteral("%1 removed (its data migrates away)").arg(nodeName(*event.removeNode));
        }
        if (event.failNode) {
            label << QStringLiteral("%1 fails").arg(nodeName(*event.failNode));
            description << QStringLiteral("%1 fails").arg(nodeName(*event.failNode));
            mark.color = kFailure;
        }
        if (event.recoverNode) {
            label << QStringLiteral("%1 recovers").arg(nodeName(*event.recoverNode));
            description << QStringLiteral("%1 recovers").arg(nodeName(*event.recoverNode));
            if (!event.failNode)
                mark.color = kRecovery;
        }
        if (event.reshard) {
            label << QStringLiteral("reshard");
            description << QStringLiteral("reshard to %1").arg(QString::fromStdString(event.reshard->toString()));
        }
        if (event.placement) {
            label << QStringLiteral("placement");
            description << QStringLiteral("new placement");
        }
        if (label.isEmpty())
            continue;
        const QString at = QString::fromStdString(clock.format(event.at));
        mark.label = (clock.onClock() ? at + QLatin1Char(' ') : QString()) + label.join(QStringLiteral(", "));
        mark.description = QStringLiteral("At %1: %2").arg(at, description.join(QStringLiteral(", ")));
        marks.push_back(std::move(mark));
    }
    std::stable_sort(marks.begin(), marks.end(), [](const EventMark& a, const EventMark& b) { return a.at < b.at; });
    return marks;
}

std::vector<EventMark> eventMarks(const ScenarioConfig* scenario)
{
    return scenario ? eventMarks(scenario->events, scenario->clock()) : std::vector<EventMark>();
}

void paintEventMarks(QPainter& painter, const QRectF& plot, const std::vector<EventMark>& marks,
    const std::function<double(double)>& xOf, const QColor& textColor)
{
    if (marks.empty() || plot.isEmpty())
        return;
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    QFont font = painter.font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    painter.setFont(font);
    const QFontMetricsF metrics(font);
    const double rowHeight = metrics.height();
    std::vector<double> rowEnds; // right edge of the last label on each row
    for (const EventMark& mark : marks) {
        const double x = std::round(xOf(mark.at)) + 0.5;
        if (!(x >= plot.left() - 0.5 && x <= plot.right() + 0.5))
            continue;
        QPen pen(mark.color);
        pen.setStyle(Qt::DashLine);
        pen.setWidthF(1.5);
        painter.setPen(pen);
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));

        const double width = metrics.horizontalAdvance(mark.label) + 6;
        // Right of the line, or left of it near the plot's right edge.
        const double left = x + width <= plot.right() ? x + 2 : x - width - 2;
        size_t row = 0;
        while (row < rowEnds.size() && rowEnds[row] > left)
            ++row;
        if (row == rowEnds.size())
            rowEnds.push_back(0);
        rowEnds[row] = left + width;
        const QRectF box(left, plot.top() + 2 + static_cast<double>(row) * rowHeight, width, rowHeight);
        QColor back = mark.color;
        back.setAlpha(40);
        painter.fillRect(box, back);
        painter.setPen(textColor);
        painter.drawText(box, Qt::AlignCenter, mark.label);
    }
    painter.restore();
}

int eventMarkAt(
    const std::vector<EventMark>& marks, double x, const std::function<double(double)>& xOf, double tolerance)
{
    int best = -1;
    double bestDistance = tolerance;
    for (size_t i = 0; i < marks.size(); ++i) {
        const double distance = std::abs(xOf(marks[i].at) - x);
        if (distance <= bestDistance) {
            best = static_cast<int>(i);
            bestDistance = distance;
        }
    }
    return best;
}

} // namespace shardsim::ui
