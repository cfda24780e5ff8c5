#pragma once
// Where the scenario puts its data before anything runs: the rule, its logical shards, and the node
// each lands on at the start. The cluster view draws it; the route tool routes keys through it.
// With business databases (data.databases) each one is sharded by the rule on its own nodes: shard s of
// database g is shard g x (the rule's shards) + s here, and each database has a router of its own.

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

    bool valid() const { return !m_routers.empty(); }
    const std::string& error() const { return m_error; } // why there is no layout, in words

    const std::vector<NodeInfo>& nodes() const { return m_nodes; }
    int shardCount() const;
    std::string shardName(int shard) const;
    // Logical shards whose primary is on `node` at the start, in shard order.
    const std::vector<int>& shardsOf(int node) const;
    // The router of business database `group` (the only one without business databases); its node indices are
    // the cluster's.
    const KeyRouter* router(int group = 0) const
    {
        return group >= 0 && group < static_cast<int>(m_routers.size()) ? &m_routers[static_cast<size_t>(group)]
                                                                        : nullptr;
    }
    // The business databases' names, in file order; empty without them.
    const std::vector<std::string>& groupNames() const { return m_groupNames; }

private:
    std::vector<NodeInfo> m_nodes;
    std::vector<std::vector<int>> m_shardsOfNode;
    std::vector<KeyRouter> m_routers; // one per business database; empty when there is no valid layout
    std::vector<std::string> m_groupNames;
    std::string m_error;
};

} // namespace shardsim::ui
