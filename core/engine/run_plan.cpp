#include "engine/run_plan.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "shardsim/workload/key_distribution.h"

namespace shardsim::engine {

namespace {

    // The table whose keys the rows of `table` are spread over: follow bound_to, and a shard key that is another
    // table's key in the same business database, up to a table with its own keys. -1 for broadcast tables.
    int rootTable(const DataConfig& data, size_t table)
    {
        if (data.tables[table].broadcast)
            return -1;
        std::vector<bool> seen(data.tables.size(), false);
        size_t at = table;
        while (!seen[at]) {
            seen[at] = true;
            const TableConfig& current = data.tables[at];
            const TableConfig* parent = nullptr;
            if (!current.boundTo.empty()) {
                parent = data.findTable(current.boundTo);
            } else if (current.effectiveShardKey() != current.key) {
                for (const TableConfig& other : data.tables) {
                    if (&other != &current && !other.broadcast && other.key == current.effectiveShardKey()
                        && other.database == current.database) {
                        parent = &other;
                        break;
                    }
                }
            }
            if (!parent || parent->broadcast)
                break;
            at = static_cast<size_t>(parent - data.tables.data());
        }
        return static_cast<int>(at);
    }

    bool isWrite(OperationKind kind) { return kind == OperationKind::Insert || kind == OperationKind::Transaction; }

} // namespace

uint64_t DomainPlan::keysAt(double t) const
{
    const double keys = std::floor(rows + growth * std::max(t, 0.0));
    return static_cast<uint64_t>(std::clamp(keys, 1.0, static_cast<double>(workload::kMaxKeyCount)));
}

Result<RunPlan> RunPlan::create(const ScenarioConfig& config, bool rangeRule)
{
    RunPlan plan;
    if (config.workload.geo.empty()) {
        auto curve = workload::RateCurve::fromConfig(config.workload.rate, 0);
        if (!curve)
            return fail(curve.error());
        plan.m_regions.push_back({ std::string(), 1.0, std::move(*curve) });
    } else {
        for (const GeoShare& geo : config.workload.geo) {
            auto curve = workload::RateCurve::fromConfig(config.workload.rate, geo.shift);
            if (!curve)
                return fail(curve.error());
            plan.m_regions.push_back({ geo.region, geo.share, std::move(*curve) });
        }
    }

    const DataConfig& data = config.data;
    std::vector<int> domainOfRoot(data.tables.size(), -1);
    const auto domainOf = [&](size_t table) {
        const int root = rootTable(data, table);
        if (root < 0)
            return -1;
        int& domain = domainOfRoot[static_cast<size_t>(root)];
        if (domain < 0) {
            const TableConfig& rootConfig = data.tables[static_cast<size_t>(root)];
            domain = static_cast<int>(plan.m_domains.size());
            plan.m_domains.push_back({ root, rootConfig.database, static_cast<double>(rootConfig.rows),
                rootConfig.growth });
        }
        return domain;
    };

    for (size_t t = 0; t < data.tables.size(); ++t) {
        const TableConfig& table = data.tables[t];
        TablePlan out;
        out.domain = domainOf(t);
        out.group = table.database;
        out.ownKeys = out.domain >= 0 && plan.m_domains[static_cast<size_t>(out.domain)].table == static_cast<int>(t);
        out.rows = static_cast<double>(table.rows);
        out.growth = table.growth;
        out.rowSize = table.rowSize;
        out.ids = table.ids.scheme;
        plan.m_tables.push_back(out);
    }
    std::vector<int> domainOfTable;
    for (const TablePlan& table : plan.m_tables)
        domainOfTable.push_back(table.domain);
    for (size_t t = 0; t < data.tables.size() && plan.m_heatDomain < 0; ++t)
        plan.m_heatDomain = plan.m_tables[t].domain;

    double weights = 0;
    for (const OperationConfig& op : config.workload.mix)
        weights += std::max(op.weight, 0.0);
    if (!(weights > 0))
        return fail("workload.mix: the weights add up to 0");
    for (const OperationConfig& op : config.workload.mix) {
        OperationPlan out;
        out.name = op.name;
        out.fraction = std::max(op.weight, 0.0) / weights;
        const TableConfig* table = op.tables.empty() ? &data.tables.front() : data.findTable(op.tables.front());
        if (!table)
            return fail(fmt::format("workload.mix: operation '{}' names no known table", op.name));
        out.table = static_cast<int>(table - data.tables.data());
        out.domain = plan.m_tables[static_cast<size_t>(out.table)].domain;
        out.broadcast = table->broadcast;
        out.write = isWrite(op.kind);
        auto query = queries::planQuery(config, op, domainOfTable, rangeRule);
        if (!query)
            return fail(query.error());
        out.query = std::move(*query);
        out.table = out.query.leadTable;
        out.domain = plan.m_tables[static_cast<size_t>(out.table)].domain;
        out.broadcast = out.domain < 0;
        out.group = plan.m_tables[static_cast<size_t>(out.table)].group;
        out.law = out.domain;
        if (op.keyLaw && out.domain >= 0) {
            out.law = static_cast<int>(plan.m_domains.size() + plan.m_keyLaws.size());
            plan.m_keyLaws.push_back({ out.domain, op.name, *op.keyLaw });
            out.keyLaw = workload::describeKeyLaw(*op.keyLaw);
        }
        plan.m_operations.push_back(std::move(out));
    }
    return plan;
}

double RunPlan::bytesPerRootRow(int domain, double t) const
{
    const DomainPlan& keys = m_domains[static_cast<size_t>(domain)];
    const double rootRows = std::max(1.0, m_tables[static_cast<size_t>(keys.table)].rowsAt(t));
    double bytes = 0;
    for (const TablePlan& table : m_tables)
        if (table.domain == domain)
            bytes += std::max(0.0, table.rowsAt(t)) * table.rowSize;
    return bytes / rootRows;
}

double RunPlan::expectedRequests(size_t region, double t0, double t1) const
{
    const RegionPlan& plan = m_regions[region];
    return plan.share * plan.curve.expectedRequests(t0, t1);
}

double RunPlan::expectedRequestsOfRun(double duration) const
{
    double total = 0;
    for (size_t r = 0; r < m_regions.size(); ++r)
        total += expectedRequests(r, 0, duration);
    return total;
}

} // namespace shardsim::engine
