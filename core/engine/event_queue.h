#pragma once
// The scenario's events in the order a run meets them (time order, file order among equal times), and the layout
// changes waiting for the running migration's cutover (docs/migration-model.md).

#include <cstddef>
#include <deque>
#include <vector>

#include "shardsim/rules/placement.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::engine {

// add_nodes, remove_node, reshard and placement: the events that need a migration.
bool changesLayout(const EventConfig& event);

class EventQueue {
public:
    explicit EventQueue(const ScenarioConfig& config);

    // Every node the run will have, the initial ones and those add_nodes brings, with their regions and business
    // databases.
    std::vector<NodeInfo> allNodes(const ScenarioConfig& config) const;

    // The next event due by the tick starting at t0; false when none is.
    bool popDue(double t0, EventConfig& event);
    // A layout change or re-replication waits behind the running migration.
    void wait(EventConfig event) { m_waiting.push_back(std::move(event)); }
    bool popWaiting(EventConfig& event);

    // The first id of `count` nodes joining now; ids follow the initial nodes in the order add_nodes brings them.
    NodeId join(int count, int initialNodes);

private:
    std::vector<EventConfig> m_events;
    size_t m_next = 0;
    std::deque<EventConfig> m_waiting;
    int m_joined = 0; // nodes joined so far by add_nodes
    int m_totalNodes = 0; // every node the run will have
};

} // namespace shardsim::engine
