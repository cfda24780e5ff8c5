#include "shardsim/engine/idle_nodes.h"

#include <fmt/format.h>

#include "engine/cluster_layout.h"
#include "shardsim/rules/rule_factory.h"

namespace shardsim {

std::vector<int> nodesWithoutDataAtStart(const ScenarioConfig& config)
{
    auto rule = makeRule(config.sharding.rule, RuleContext { config.baseDirectory });
    if (!rule)
        return {};
    auto layout = engine::ClusterLayout::create(config, **rule);
    if (!layout)
        return {};
    std::vector<bool> holds(static_cast<size_t>(layout->nodeCount()), false);
    for (NodeId node : layout->copies())
        holds[static_cast<size_t>(node)] = true;
    std::vector<int> idle;
    for (size_t node = 0; node < holds.size(); ++node)
        if (!holds[node])
            idle.push_back(static_cast<int>(node));
    return idle;
}

void warnAboutNodesWithoutData(RunResult& result, const std::vector<bool>& heldData)
{
    std::vector<std::string> names;
    for (size_t node = 0; node < heldData.size() && node < result.nodes.size(); ++node)
        if (!heldData[node])
            names.push_back(result.nodes[node].name);
    if (names.empty())
        return;
    const char* them = names.size() == 1 ? "it" : "them";
    result.warnings.push_back(fmt::format("{} never held data: no copy of any database was placed on {}, so {} served "
                                          "nothing and {} left out of the imbalance; reshard to more databases or "
                                          "change the placement to use {}",
        nodeNameList(names), them, names.size() == 1 ? "it" : "they", names.size() == 1 ? "is" : "are", them));
}

std::string nodeNameList(const std::vector<std::string>& names, size_t shown)
{
    if (names.empty())
        return {};
    const size_t listed = names.size() > shown ? shown : names.size();
    std::string out = names[0];
    for (size_t i = 1; i < listed; ++i)
        out += (i + 1 == listed && listed == names.size() ? " and " : ", ") + names[i];
    if (listed < names.size())
        out += fmt::format(" and {} more", names.size() - listed);
    return out;
}

} // namespace shardsim
