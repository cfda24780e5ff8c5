#include "engine/event_text.h"

#include <vector>

#include <fmt/format.h>

namespace shardsim::engine {

std::string eventText(const EventConfig& event, bool layoutOnly)
{
    const auto nodeName = [](NodeId node) { return fmt::format("node-{}", node + 1); };
    std::vector<std::string> parts;
    if (event.addNodes > 0)
        parts.push_back(fmt::format(
            "add_nodes {}{}", event.addNodes, event.addNodesRegion.empty() ? "" : " in " + event.addNodesRegion));
    if (event.removeNode)
        parts.push_back("remove_node " + nodeName(*event.removeNode));
    if (event.failNode && !layoutOnly)
        parts.push_back("fail_node " + nodeName(*event.failNode));
    if (event.recoverNode && !layoutOnly)
        parts.push_back("recover_node " + nodeName(*event.recoverNode));
    if (event.reshard)
        parts.push_back("reshard to " + event.reshard->toString());
    if (event.placement)
        parts.push_back("placement");
    std::string text;
    for (size_t i = 0; i < parts.size(); ++i)
        text += (i ? ", " : "") + parts[i];
    return text;
}

} // namespace shardsim::engine
