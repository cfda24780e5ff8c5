#include "shardsim/scenario/business_database_scenario.h"

#include <algorithm>

#include <fmt/format.h>

#include "shardsim/common/suggest.h"

namespace shardsim {

Result<ScenarioConfig> businessDatabaseScenario(const ScenarioConfig& config, const std::string& database)
{
    const auto& databases = config.data.databases;
    const auto found = std::find_if(
        databases.begin(), databases.end(), [&](const BusinessDatabase& entry) { return entry.name == database; });
    if (found == databases.end()) {
        if (databases.empty())
            return fail(fmt::format("the scenario has no business databases (data.databases), so none is named '{}'",
                database));
        std::vector<std::string> names;
        for (const BusinessDatabase& entry : databases)
            names.push_back(entry.name);
        return fail(fmt::format("no business database named '{}'{} (the scenario has {})", database,
            didYouMean(database, names), fmt::join(names, ", ")));
    }
    const int group = static_cast<int>(found - databases.begin());

    ScenarioConfig out = config;
    out.name = config.name + "/" + database;
    out.cluster.nodes = found->nodes;
    out.data.databases.clear();
    out.data.tables.clear();
    for (TableConfig table : config.data.tables) {
        if (table.database != group)
            continue;
        table.database = 0;
        out.data.tables.push_back(std::move(table));
    }

    // An operation's tables are all in one business database (the reader checks it); without tables it reads the
    // first table of the file.
    const auto groupOf = [&](const OperationConfig& op) {
        const TableConfig* table = op.tables.empty() ? &config.data.tables.front() : config.data.findTable(op.tables.front());
        return table ? table->database : -1;
    };
    double allWeights = 0;
    double ownWeights = 0;
    out.workload.mix.clear();
    for (const OperationConfig& op : config.workload.mix) {
        allWeights += std::max(op.weight, 0.0);
        if (groupOf(op) != group)
            continue;
        ownWeights += std::max(op.weight, 0.0);
        OperationConfig own = op;
        if (own.tables.empty())
            own.tables.push_back(config.data.tables.front().name);
        out.workload.mix.push_back(std::move(own));
    }
    if (!(ownWeights > 0))
        return fail(fmt::format("no operation of workload.mix reads {}'s tables, so it has no load to plan for", database));
    const double share = ownWeights / allWeights;
    for (RateShapeConfig& shape : out.workload.rate) {
        shape.base *= share;
        for (RatePoint& point : shape.points)
            point.rate *= share;
    }
    out.events.clear();
    out.expect.clear();
    out.lesson.clear();
    return out;
}

} // namespace shardsim
