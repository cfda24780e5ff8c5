#include "shardsim/engine/shard_rows.h"

#include "engine/simulation_state.h"

namespace shardsim {

Result<std::vector<TableShardRows>> shardRowsAtStart(const ScenarioConfig& config)
{
    // The run's own start: the same layout, key laws and storage model, without running a tick.
    RunOptions options;
    options.engine = EngineMode::Expected;
    auto state = SimulationState::create(config, std::move(options));
    if (!state)
        return fail(state.error());
    std::vector<TableShardRows> out;
    for (const TableConfig& table : config.data.tables)
        if (auto rows = (*state)->shardRowsNow(table.name); !rows.rows.empty())
            out.push_back(std::move(rows));
    return out;
}

TableShardRows SimulationState::shardRowsNow(const std::string& table) const
{
    TableShardRows out;
    out.table = table;
    const double now = static_cast<double>(m_tick) * m_config.tick;
    for (size_t t = 0; t < m_plan->tables().size(); ++t) {
        if (m_config.data.tables[t].name != table || m_plan->tables()[t].domain < 0)
            continue;
        out.rows = m_storage->shardRows(t, now);
        for (size_t s = 0; s < out.rows.size(); ++s)
            out.shards.push_back(m_rule->shardName(static_cast<int>(s)));
    }
    return out;
}

} // namespace shardsim
