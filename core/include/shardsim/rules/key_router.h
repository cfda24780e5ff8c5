#pragma once
// A rule plus a placement: from a key to its logical shard and the node that holds it. This is what
// `route` and the GUI's route tool call, so both explain a key the same way.

#include <string>
#include <string_view>
#include <vector>

#include "shardsim/rules/placement.h"
#include "shardsim/rules/rule_factory.h"

namespace shardsim {

struct RoutedKey {
    Key key;
    RouteResult result;
    std::string shardName;
    NodeId node = 0;
    std::string nodeName;
    Explanation steps; // empty unless asked for
};

class KeyRouter {
public:
    // `nodes` = 0 puts every logical database on a node of its own.
    static Result<KeyRouter> create(std::string_view ruleSpec, int nodes = 0, const RuleContext& context = {});
    KeyRouter(ShardRulePtr rule, Placement placement, std::vector<NodeInfo> nodes);

    Result<RoutedKey> route(const Key& key, bool explain = false) const;

    const ShardRule& rule() const { return *m_rule; }
    const Placement& placement() const { return m_placement; }
    const std::vector<NodeInfo>& nodes() const { return m_nodes; }

private:
    ShardRulePtr m_rule;
    Placement m_placement;
    std::vector<NodeInfo> m_nodes;
};

} // namespace shardsim
