#include "shardsim/rules/key_router.h"

#include <fmt/format.h>

namespace shardsim {

Result<KeyRouter> KeyRouter::create(std::string_view ruleSpec, int nodes, const RuleContext& context)
{
    auto rule = makeRule(ruleSpec, context);
    if (!rule)
        return fail(rule.error());
    const int databases = (*rule)->databaseCount();
    const int nodeCount = nodes > 0 ? nodes : databases;
    return KeyRouter(*rule, Placement::roundRobin(databases, nodeCount), defaultNodes(nodeCount));
}

KeyRouter::KeyRouter(ShardRulePtr rule, Placement placement, std::vector<NodeInfo> nodes)
    : m_rule(std::move(rule))
    , m_placement(std::move(placement))
    , m_nodes(std::move(nodes))
{
}

Result<RoutedKey> KeyRouter::route(const Key& key, bool explain) const
{
    RoutedKey routed;
    routed.key = key;
    auto result = m_rule->route(key, explain ? &routed.steps : nullptr);
    if (!result)
        return fail(result.error());
    routed.result = *result;
    routed.shardName = m_rule->shardName(result->index);
    const int database = m_rule->databaseOf(result->index);
    routed.node = m_placement.nodeOf(database);
    routed.nodeName = m_nodes[static_cast<size_t>(routed.node)].name;
    if (explain) {
        routed.steps.push_back(fmt::format("logical shard {} ({}) is in database {} of {}, placed on {} ({})",
            result->index, routed.shardName, database + 1, m_rule->databaseCount(), routed.nodeName,
            m_placement.method()));
    }
    return routed;
}

} // namespace shardsim
