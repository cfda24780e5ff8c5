#include "shardsim/engine/data_movement.h"

#include <algorithm>

#include "engine/run_plan.h"

namespace shardsim {

namespace {

    // The least any layout with these rows per node must move: each node keeps at most the smaller of its rows
    // before and after. With equally loaded nodes this is |m - n| / max(m, n).
    double keptOnNodesOptimum(const std::vector<double>& before, const std::vector<double>& after, double rows)
    {
        if (!(rows > 0))
            return 0.0;
        double kept = 0;
        for (size_t n = 0; n < before.size(); ++n)
            kept += std::min(before[n], after[n]);
        return std::clamp(1 - kept / rows, 0.0, 1.0);
    }

    // Moves `rows` rows of `rowSize` bytes of cell (f, t): every copy that changes place.
    struct CellMover {
        const ShardHomes& from;
        const ShardHomes& to;
        DataMovement& out;

        // Returns whether any copy moved. `group`: the table's business database.
        bool move(int group, int f, int t, double rows, double rowSize, bool ruleMoved)
        {
            const int fromDb = from.rule->databaseOf(f);
            const int toDb = to.rule->databaseOf(t);
            const int copies = std::min(from.replication, to.replication);
            bool moved = false;
            for (int i = 0; i < copies; ++i) {
                const NodeId source = from.copy(group, fromDb, i);
                const NodeId target = to.copy(group, toDb, i);
                if (!ruleMoved && source == target)
                    continue;
                moved = true;
                const double bytes = rows * rowSize;
                out.addBytes(source, target, bytes);
            }
            // Copies the new layout has beyond the old one's are made from the new primary's source.
            for (int i = copies; i < to.replication; ++i) {
                const NodeId source = from.copy(group, fromDb, 0);
                const NodeId target = to.copy(group, toDb, i);
                moved = true;
                const double bytes = rows * rowSize;
                out.addBytes(source, target, bytes);
            }
            return moved;
        }
    };

} // namespace

DataMovement measureDataMovement(const ScenarioConfig& config, double t, const ShardHomes& from, const ShardHomes& to,
    int nodes, uint64_t routedKeyLimit)
{
    DataMovement out;
    out.nodeOut.assign(static_cast<size_t>(nodes), 0.0);
    out.nodeIn.assign(static_cast<size_t>(nodes), 0.0);
    out.nodeLocal.assign(static_cast<size_t>(nodes), 0.0);
    auto plan = engine::RunPlan::create(config);
    if (!plan) {
        out.problem = plan.error();
        return out;
    }
    const ShardRule& fromRule = *from.rule;
    const ShardRule& toRule = *to.rule;

    // One key movement per key domain (its root table's keys at t).
    std::vector<KeyMovement> domains;
    for (const engine::DomainPlan& domain : plan->domains()) {
        auto keys = measureKeyMovementBounded(fromRule, toRule, domain.keysAt(t), routedKeyLimit);
        if (!keys) {
            out.problem = keys.error();
            return out;
        }
        domains.push_back(std::move(*keys));
        out.exact = out.exact && domains.back().exact;
    }
    if (!domains.empty())
        out.keys = domains.front();

    CellMover mover { from, to, out };
    // Rows of the sharded tables whose primary copy is on each node, before and after: a row that stays keeps its
    // primary's node, so a node keeps at most the smaller of the two (the optimum below).
    std::vector<double> primaryBefore(out.nodeOut.size(), 0.0), primaryAfter(out.nodeOut.size(), 0.0);
    const int fromShards = fromRule.shardCount();
    const int toShards = toRule.shardCount();
    for (size_t table = 0; table < plan->tables().size(); ++table) {
        const engine::TablePlan& tablePlan = plan->tables()[table];
        TableMovement moved;
        moved.name = config.data.tables[table].name;
        moved.rows = tablePlan.rowsAt(t);
        const double before = out.movedBytes;
        if (tablePlan.domain < 0) {
            // A copy in every database: each database new to the layout gets one, from database 0's copies.
            moved.broadcast = true;
            for (int d = fromRule.databaseCount(); d < toRule.databaseCount(); ++d) {
                for (int i = 0; i < to.replication; ++i) {
                    const NodeId source = from.copy(tablePlan.group, 0, std::min(i, from.replication - 1));
                    const NodeId target = to.copy(tablePlan.group, d, i);
                    const double bytes = moved.rows * tablePlan.rowSize;
                    out.addBytes(source, target, bytes);
                }
                moved.movedRows += moved.rows;
            }
        } else {
            const KeyMovement& keys = domains[static_cast<size_t>(tablePlan.domain)];
            const double perKey = keys.keys > 0 ? moved.rows / static_cast<double>(keys.keys) : 0.0;
            for (int f = 0; f < fromShards; ++f) {
                for (int s = 0; s < toShards; ++s) {
                    const uint64_t cell = keys.cell(static_cast<size_t>(f), static_cast<size_t>(s));
                    if (cell == 0)
                        continue;
                    const bool ruleMoved = !keys.stays(static_cast<size_t>(f), static_cast<size_t>(s));
                    const double rows = static_cast<double>(cell) * perKey;
                    primaryBefore[static_cast<size_t>(from.copy(tablePlan.group, fromRule.databaseOf(f), 0))] += rows;
                    primaryAfter[static_cast<size_t>(to.copy(tablePlan.group, toRule.databaseOf(s), 0))] += rows;
                    if (mover.move(tablePlan.group, f, s, rows, tablePlan.rowSize, ruleMoved))
                        moved.movedRows += rows;
                }
            }
            out.rows += moved.rows;
        }
        moved.movedBytes = out.movedBytes - before;
        out.movedRows += moved.movedRows;
        out.tables.push_back(std::move(moved));
    }
    double shardedMoved = 0;
    for (const TableMovement& table : out.tables)
        if (!table.broadcast)
            shardedMoved += table.movedRows;
    out.movedFraction = out.rows > 0 ? shardedMoved / out.rows : 0.0;
    // Nodes are equally loaded units only when the rule's shards are: ranges give each range its own place already.
    out.optimumFraction = out.keys.byRanges
        ? out.keys.optimumFraction
        : std::max(out.keys.optimumFraction, keptOnNodesOptimum(primaryBefore, primaryAfter, out.rows));
    return out;
}

} // namespace shardsim
