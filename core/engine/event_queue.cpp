#include "engine/event_queue.h"

#include <algorithm>
#include <cmath>

namespace shardsim::engine {

namespace {

    // An event at `at` takes effect at the first tick starting at or after it (rounding in tick * index forgiven).
    bool due(double at, double t0) { return at <= t0 + 1e-9 * std::max(1.0, std::fabs(t0)); }

} // namespace

bool changesLayout(const EventConfig& event)
{
    return event.addNodes > 0 || event.removeNode || event.reshard || event.placement;
}

EventQueue::EventQueue(const ScenarioConfig& config)
    : m_events(config.events)
{
    std::stable_sort(m_events.begin(), m_events.end(),
        [](const EventConfig& a, const EventConfig& b) { return a.at < b.at; });
    m_totalNodes = config.cluster.nodes;
    for (const EventConfig& event : m_events)
        m_totalNodes += event.addNodes;
}

std::vector<NodeInfo> EventQueue::allNodes(const ScenarioConfig& config) const
{
    std::vector<NodeInfo> nodes = defaultNodes(m_totalNodes);
    for (int n = 0; n < config.cluster.nodes; ++n)
        nodes[static_cast<size_t>(n)].region = config.cluster.regionOfNode(n);
    int next = config.cluster.nodes;
    for (const EventConfig& event : m_events) {
        for (int i = 0; i < event.addNodes; ++i)
            nodes[static_cast<size_t>(next++)].region = event.addNodesRegion;
    }
    const std::vector<int> databases = config.databaseOfNodes();
    for (size_t n = 0; n < nodes.size() && n < databases.size(); ++n)
        nodes[n].group = databases[n];
    return nodes;
}

bool EventQueue::popDue(double t0, EventConfig& event)
{
    if (m_next >= m_events.size() || !due(m_events[m_next].at, t0))
        return false;
    event = m_events[m_next++];
    return true;
}

bool EventQueue::popWaiting(EventConfig& event)
{
    if (m_waiting.empty())
        return false;
    event = m_waiting.front();
    m_waiting.pop_front();
    return true;
}

NodeId EventQueue::join(int count, int initialNodes)
{
    const NodeId first = initialNodes + m_joined;
    m_joined += count;
    return first;
}

} // namespace shardsim::engine
