#include "shardsim/scenario/scenario_config.h"

#include <algorithm>
#include <cmath>

namespace shardsim {

std::string ClusterConfig::regionOfNode(NodeId id) const
{
    int first = 0;
    for (const auto& region : regions) {
        if (id >= first && id < first + region.nodes)
            return region.name;
        first += region.nodes;
    }
    return {};
}

bool TableConfig::hasColumn(const std::string& column) const
{
    return column == key || column == effectiveShardKey()
        || std::any_of(columns.begin(), columns.end(), [&](const ColumnSpec& c) { return c.name == column; })
        || std::any_of(
            split.columns.begin(), split.columns.end(), [&](const SplitColumn& c) { return c.name == column; });
}

const TableConfig* DataConfig::findTable(const std::string& name) const
{
    auto it = std::find_if(tables.begin(), tables.end(), [&](const TableConfig& t) { return t.name == name; });
    return it == tables.end() ? nullptr : &*it;
}

std::vector<int> ScenarioConfig::databaseOfNodes() const
{
    std::vector<int> out;
    for (size_t d = 0; d < data.databases.size(); ++d)
        out.insert(out.end(), static_cast<size_t>(std::max(0, data.databases[d].nodes)), static_cast<int>(d));
    out.resize(static_cast<size_t>(std::max(0, cluster.nodes)), 0);
    for (const EventConfig& event : events) // in time order, as nodes are numbered
        out.insert(out.end(), static_cast<size_t>(std::max(0, event.addNodes)), event.addNodesDatabase);
    return out;
}

int64_t ScenarioConfig::tickCount() const { return tick > 0 ? static_cast<int64_t>(std::ceil(duration / tick)) : 0; }

} // namespace shardsim
