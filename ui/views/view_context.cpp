#include "views/view_context.h"

#include <QRegularExpression>

#include <cmath>

#include "shardsim/common/units.h"

namespace shardsim::ui {

ViewContext::ViewContext(QObject* parent)
    : QObject(parent)
{
}

void ViewContext::setScenario(std::shared_ptr<const ScenarioConfig> scenario)
{
    m_scenario = std::move(scenario);
    m_layout = m_scenario ? ScenarioLayout::fromConfig(*m_scenario) : ScenarioLayout();
    if (m_selectedNode >= static_cast<int>(nodes().size()))
        setSelectedNode(-1);
    emit scenarioChanged();
}

void ViewContext::setProblems(const Diagnostics& problems)
{
    if (problems.empty() && m_problems.empty())
        return;
    m_problems = problems;
    emit scenarioChanged();
}

void ViewContext::setSnapshot(RunSnapshotPtr snapshot)
{
    const bool newRun = !m_snapshot || m_snapshot->generation != (snapshot ? snapshot->generation : 0);
    const bool followLive = newRun || m_tick >= m_snapshot->ticksDone - 1;
    // A run that has just ended (or a stored one reopened) opens at its peak: the moment worth looking at first.
    const bool justDone = snapshot && snapshot->result && (newRun || !m_snapshot->result);
    m_snapshot = std::move(snapshot);
    if (m_snapshot && m_snapshot->historyRunId != 0 && m_snapshot->historyRunId != m_lastRecordedRun) {
        m_lastRecordedRun = m_snapshot->historyRunId;
        emit historyChanged();
    }
    m_tickChosen = false;
    emit snapshotChanged();
    if (m_tickChosen)
        return; // a listener chose the moment (a lesson step's), maybe the one shown already
    if (m_snapshot && followLive)
        setTick(justDone ? m_snapshot->result->peak.tick : std::max<int64_t>(0, m_snapshot->ticksDone - 1));
    else if (!m_snapshot)
        setTick(0);
}

RunClock ViewContext::clock() const
{
    if (m_snapshot)
        return m_snapshot->clock;
    return m_scenario ? m_scenario->clock() : RunClock();
}

bool ViewContext::atPeak() const { return m_snapshot && m_snapshot->result && m_tick == m_snapshot->result->peak.tick; }

std::optional<int64_t> tickOfMoment(const QString& text, const RunSnapshot& snapshot, QString* error)
{
    const auto failWith = [error](const QString& message) -> std::optional<int64_t> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QString moment = text.trimmed();
    const int64_t last = std::max<int64_t>(0, snapshot.ticksDone - 1);
    if (moment == QLatin1String("peak")) {
        if (!snapshot.result)
            return failWith(QStringLiteral("the run has no peak: it did not finish"));
        return snapshot.result->peak.tick;
    }
    bool number = false;
    const qlonglong tick = moment.toLongLong(&number);
    std::optional<double> seconds;
    if (number) {
        if (tick < 0 || tick > last)
            return failWith(QStringLiteral("tick %1 is outside the run: its ticks are 0 to %2").arg(tick).arg(last));
        return tick;
    }
    static const QRegularExpression clockTime(QStringLiteral("^(\\d+):(\\d\\d)(?::(\\d\\d))?$"));
    static const QRegularExpression durationPart(QStringLiteral("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)"));
    if (const QRegularExpressionMatch clock = clockTime.match(moment); clock.hasMatch()) {
        seconds
            = clock.captured(1).toDouble() * 3600 + clock.captured(2).toDouble() * 60 + clock.captured(3).toDouble();
        // On a run with a start it is the time of day: the first time the clock shows it (00:30 after 22:00 is 2h30m).
        if (snapshot.clock.onClock()) {
            if (*seconds >= 86400)
                return failWith(
                    QStringLiteral("'%1' is not a time of day: the run's clock shows 00:00 to 23:59:59").arg(moment));
            seconds = snapshot.clock.elapsedAt(*seconds);
        }
    } else {
        // "90m", "1h30m", "1d2h": each number with its unit, summed.
        double total = 0;
        qsizetype at = 0;
        auto parts = durationPart.globalMatch(moment);
        while (parts.hasNext()) {
            const QRegularExpressionMatch part = parts.next();
            if (part.capturedStart() != at)
                break;
            at = part.capturedEnd();
            auto value = units::parseDuration(part.captured(0).toStdString());
            if (!value)
                break;
            total += *value;
        }
        if (at == 0 || at != moment.size())
            return failWith(QStringLiteral("'%1' is not a moment: give peak, a tick (120), a time of the run "
                                           "(00:30, 1:30:00) or a duration (90m, 1h30m)")
                                .arg(moment));
        seconds = total;
    }
    const double end = static_cast<double>(snapshot.tickCount) * snapshot.tickSeconds;
    if (*seconds > end + 1e-9)
        return failWith(QStringLiteral("%1 is after the run's end at %2")
                            .arg(moment, QString::fromStdString(snapshot.clock.format(end))));
    return std::min<int64_t>(last, static_cast<int64_t>(std::floor(*seconds / snapshot.tickSeconds + 1e-9)));
}

void ViewContext::setTick(int64_t tick)
{
    m_tickChosen = true;
    if (m_snapshot)
        tick = std::clamp<int64_t>(tick, 0, std::max<int64_t>(0, m_snapshot->ticksDone - 1));
    if (tick == m_tick)
        return;
    m_tick = tick;
    emit tickChanged(tick);
}

void ViewContext::setSelectedNode(int node)
{
    if (node < -1 || node >= static_cast<int>(nodes().size()))
        node = -1;
    if (node == m_selectedNode)
        return;
    m_selectedNode = node;
    emit selectedNodeChanged(node);
}

const std::vector<NodeInfo>& ViewContext::nodes() const
{
    if (m_snapshot && !m_snapshot->nodes.empty())
        return m_snapshot->nodes;
    return m_layout.nodes();
}

void ViewContext::setHistoryPath(const QString& path)
{
    if (path == m_historyPath)
        return;
    m_historyPath = path;
    emit historyChanged();
}

void ViewContext::reportPlotWidth(const QObject* chart, int width)
{
    if (width < 16)
        return;
    if (m_plotWidths.find(chart) == m_plotWidths.end())
        connect(chart, &QObject::destroyed, this, [this, chart] { m_plotWidths.erase(chart); });
    m_plotWidths[chart] = width;
    int narrowest = width;
    for (const auto& [_, w] : m_plotWidths)
        narrowest = std::min(narrowest, w);
    // New points change the axis labels, the labels change the plot width, and a new width brings new
    // points: round down and only follow a shrink or a clear growth, so the loop settles at once.
    const int quantised = std::max(64, narrowest / 32 * 32);
    if (quantised < m_plotWidth || quantised > m_plotWidth * 5 / 4) {
        m_plotWidth = quantised;
        emit plotWidthChanged(quantised);
    }
}

} // namespace shardsim::ui
