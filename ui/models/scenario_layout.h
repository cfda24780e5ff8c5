#pragma once
// Where the scenario puts its data before anything runs: the rule, its logical shards, and the node
// each lands on at the start. The cluster view draws it; the route tool routes keys through it.

#include <optional>
#include <string>
#include <vector>

#include "shardsim/rules/key_router.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::ui {

class ScenarioLayout {
public:
    ScenarioLayout() = default;
    static ScenarioLayout fromConfig(const ScenarioConfig& config);

    bool valid() const { return m_router.has_value(); }
    const std::string& error() const { return m_error; } // why there is no layout, in words

    const std::vector<NodeInfo>& nodes() const { return m_nodes; }
    int shardCount() const;
    std::string shardName(int shard) const;
    // Logical shards whose primary is on `node` at the start, in shard order.
    const std::vector<int>& shardsOf(int node) const;
    const KeyRouter* router() const { return m_router ? &*m_router : nullptr; }

private:
    std::vector<NodeInfo> m_nodes;
    std::vector<std::vector<int>> m_shardsOfNode;
    std::optional<KeyRouter> m_router;
    std::string m_error;
};

} // namespace shardsim::ui
