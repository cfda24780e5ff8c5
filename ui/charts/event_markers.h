#pragma once
// The scenario's events (nodes added, removed, failed, recovered; reshards and placements) as marks on a time axis:
// what every time chart draws, so a spike or a dip can be read against the change that caused it.

#include <QColor>
#include <QRectF>
#include <QString>

#include <functional>
#include <vector>

#include "shardsim/common/run_clock.h"

class QPainter;

namespace shardsim {
struct EventConfig;
struct ScenarioConfig;
}

namespace shardsim::ui {

struct EventMark {
    double at = 0; // s since the start
    QString label; // short, drawn at the top of the line: "node-3 fails", "+4 nodes, reshard"
    QString description; // the whole event with its time, for the tooltip
    QColor color; // failures red, recoveries green, layout changes blue
};

// One mark per event, in time order (file order among equal times). On a clock with a start the label begins with
// the time of day ("23:40 +4 nodes, reshard"); every description names the moment as the clock reads it.
std::vector<EventMark> eventMarks(const std::vector<EventConfig>& events, const RunClock& clock = {});
// The scenario's events on the scenario's clock; none without a scenario.
std::vector<EventMark> eventMarks(const ScenarioConfig* scenario);

// Draws every mark inside `plot` as a dashed vertical line with its label along the top; `xOf` maps seconds to a
// pixel column. Labels that would overlap the previous one drop a row, so marks close in time stay legible.
void paintEventMarks(QPainter& painter, const QRectF& plot, const std::vector<EventMark>& marks,
    const std::function<double(double)>& xOf, const QColor& textColor);

// The mark whose line is within `tolerance` pixels of column `x`, or -1.
int eventMarkAt(
    const std::vector<EventMark>& marks, double x, const std::function<double(double)>& xOf, double tolerance = 5);

} // namespace shardsim::ui
