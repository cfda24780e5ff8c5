#include "views/view_context.h"

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
    const bool followLive = !m_snapshot || m_snapshot->generation != (snapshot ? snapshot->generation : 0)
        || m_tick >= m_snapshot->ticksDone - 1;
    m_snapshot = std::move(snapshot);
    if (m_snapshot && m_snapshot->historyRunId != 0 && m_snapshot->historyRunId != m_lastRecordedRun) {
        m_lastRecordedRun = m_snapshot->historyRunId;
        emit historyChanged();
    }
    emit snapshotChanged();
    if (m_snapshot && followLive)
        setTick(std::max<int64_t>(0, m_snapshot->ticksDone - 1));
    else if (!m_snapshot)
        setTick(0);
}

void ViewContext::setTick(int64_t tick)
{
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
