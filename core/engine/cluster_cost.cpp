#include "shardsim/engine/cluster_cost.h"

#include <algorithm>

namespace shardsim {

double monthlyCost(int nodes, double costPerNodeMonth) { return nodes * costPerNodeMonth; }

int nodesPresentAt(const ScenarioConfig& scenario, double time)
{
    int nodes = scenario.cluster.nodes;
    for (const EventConfig& event : scenario.events)
        if (event.at <= time)
            nodes += event.addNodes - (event.removeNode ? 1 : 0);
    return nodes;
}

std::vector<double> nodeSecondsPresent(const ScenarioConfig& scenario, double seconds)
{
    std::vector<const EventConfig*> events;
    for (const EventConfig& event : scenario.events)
        events.push_back(&event);
    // Events happen in time order, file order among equal times; added nodes are numbered in that order.
    std::stable_sort(events.begin(), events.end(), [](const EventConfig* a, const EventConfig* b) { return a->at < b->at; });
    std::vector<double> joined(static_cast<size_t>(scenario.cluster.nodes), 0.0);
    std::vector<double> left(joined.size(), seconds);
    for (const EventConfig* event : events) {
        const double at = std::min(event->at, seconds);
        for (int i = 0; i < event->addNodes; ++i) {
            joined.push_back(at);
            left.push_back(seconds);
        }
        if (event->removeNode && static_cast<size_t>(*event->removeNode) < left.size())
            left[static_cast<size_t>(*event->removeNode)] = at;
    }
    std::vector<double> present(joined.size());
    for (size_t n = 0; n < present.size(); ++n)
        present[n] = std::max(0.0, left[n] - joined[n]);
    return present;
}

ClusterCost clusterCost(const ScenarioConfig& scenario)
{
    ClusterCost cost;
    cost.nodesAtStart = scenario.cluster.nodes;
    cost.nodesAtEnd = nodesPresentAt(scenario, scenario.duration);
    cost.monthlyAtStart = monthlyCost(cost.nodesAtStart, scenario.cluster.node.costPerMonth);
    cost.monthlyAtEnd = monthlyCost(cost.nodesAtEnd, scenario.cluster.node.costPerMonth);
    return cost;
}

} // namespace shardsim
