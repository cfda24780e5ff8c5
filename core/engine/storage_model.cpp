#include "engine/storage_model.h"

#include <algorithm>
#include <cmath>

#include "shardsim/workload/key_distribution.h"

namespace shardsim::engine {

namespace {

    // Keys of a window of monotone inserts at least; larger windows cost little (their shares are closed forms, counted
    // prefixes or the hash space's fractions) and shorter ones would be routed key by key.
    constexpr uint64_t kMinInsertWindow = 16'384;

    uint64_t keysOf(double rows)
    {
        return static_cast<uint64_t>(std::clamp(std::floor(rows), 0.0, static_cast<double>(workload::kMaxKeyCount)));
    }

    bool monotoneIds(IdScheme scheme) { return scheme != IdScheme::Uuid; }

} // namespace

StorageModel::StorageModel(const RunPlan& plan, const ClusterLayout& cluster, RangeShareCounter& counter,
    std::vector<double> geoShares, double start)
    : m_plan(&plan)
    , m_cluster(&cluster)
    , m_counter(&counter)
    , m_rule(&counter.rule())
    , m_geoShares(std::move(geoShares))
{
    for (int64_t bound : m_rule->rangeBoundaries()) {
        if (bound >= 1)
            m_boundaries.push_back(static_cast<uint64_t>(bound));
    }
    const size_t nodes = static_cast<size_t>(cluster.nodeCount());
    m_copiesOnNode.assign(static_cast<size_t>(cluster.groupCount()), std::vector<double>(nodes, 0.0));
    for (int d = 0; d < cluster.databaseCount(); ++d) {
        for (NodeId node : cluster.copiesOfDatabase(d))
            m_copiesOnNode[static_cast<size_t>(cluster.groupOfDatabase(d))][static_cast<size_t>(node)] += 1;
    }
    m_nodeRows.assign(nodes, 0.0);
    m_nodeBytes.assign(nodes, 0.0);
    m_tables.resize(plan.tables().size());
    for (size_t t = 0; t < plan.tables().size(); ++t) {
        const TablePlan& table = plan.tables()[t];
        TableState& state = m_tables[t];
        const double tableRows = table.rowsAt(start);
        state.checkpointTime = start;
        std::vector<double> rowsOnNode;
        if (table.domain < 0) {
            rowsOnNode = m_copiesOnNode[static_cast<size_t>(table.group)];
            for (double& rows : rowsOnNode)
                rows *= tableRows;
        } else {
            // Where the existing rows are: a root table's keys 1..rows, a bound table's parent keys.
            const uint64_t keys
                = table.ownKeys ? keysOf(tableRows) : plan.domains()[static_cast<size_t>(table.domain)].keysAt(start);
            std::vector<double> shares;
            double refused = 0;
            spreadUniform(1, keys, shares, refused);
            state.checkpointRows.resize(shares.size());
            for (size_t s = 0; s < shares.size(); ++s)
                state.checkpointRows[s] = shares[s] * tableRows;
            state.checkpointRefused = refused * tableRows;
            rowsOnNode = nodeRateOf(shares, tableRows, table.group);
        }
        for (size_t n = 0; n < nodes; ++n) {
            m_nodeRows[n] += rowsOnNode[n];
            m_nodeBytes[n] += rowsOnNode[n] * table.rowSize;
        }
        if (table.domain < 0)
            state.nodeRate = nodeRateOf({}, table.growth, table.group);
    }
    sumNodeRates();
}

void StorageModel::spreadUniform(
    uint64_t first, uint64_t last, std::vector<double>& shares, double& refused, bool window) const
{
    shares.assign(static_cast<size_t>(m_rule->shardCount()), 0.0);
    refused = 0;
    if (!m_geoShares.empty()) {
        shares = m_geoShares;
        double placed = 0;
        for (double share : shares)
            placed += share;
        refused = std::max(0.0, 1 - placed);
        return;
    }
    if (last < first)
        last = first; // an empty table's rows would go where key 1 goes
    if (!window) {
        refused = m_counter->addEvenShares(first, last, shares);
        return;
    }
    // A window of inserts is counted only where that is cheap, at least half of it within the counter's exact keys:
    // its error is the table's, stated over all the table's keys at once (shareStandardError), and counting further
    // would sweep every key up to the newest.
    const uint64_t exact = m_counter->exactKeys();
    const bool cheap = first <= exact && std::min(last, exact) - first + 1 >= (last - first + 1) / 2;
    const auto lo = static_cast<int64_t>(first);
    const auto hi = static_cast<int64_t>(last);
    refused = cheap && m_counter->keysToCount(first, last) > 0 ? m_counter->addRangeShares(lo, hi, 1.0, shares, exact)
                                                               : m_rule->addRangeShares(lo, hi, 1.0, shares);
}

std::vector<double> StorageModel::nodeRateOf(const std::vector<double>& shardShares, double growth, int group) const
{
    std::vector<double> rate(static_cast<size_t>(m_cluster->nodeCount()), 0.0);
    if (shardShares.empty()) { // broadcast: every database copy
        for (size_t n = 0; n < rate.size(); ++n)
            rate[n] = growth * m_copiesOnNode[static_cast<size_t>(group)][n];
        return rate;
    }
    for (size_t s = 0; s < shardShares.size(); ++s) {
        if (shardShares[s] == 0)
            continue;
        const int shard = m_cluster->groupShard(group, static_cast<int>(s));
        for (NodeId node : m_cluster->copiesOfDatabase(m_cluster->databaseOfShard(shard)))
            rate[static_cast<size_t>(node)] += growth * shardShares[s];
    }
    return rate;
}

void StorageModel::sumNodeRates()
{
    m_nodeRowRate.assign(m_nodeRows.size(), 0.0);
    m_nodeByteRate.assign(m_nodeRows.size(), 0.0);
    for (size_t t = 0; t < m_tables.size(); ++t) {
        const std::vector<double>& rate = m_tables[t].nodeRate;
        const double rowSize = m_plan->tables()[t].rowSize;
        for (size_t n = 0; n < rate.size(); ++n) {
            m_nodeRowRate[n] += rate[n];
            m_nodeByteRate[n] += rate[n] * rowSize;
        }
    }
}

void StorageModel::refreshInserts(size_t t, double t0, double t1)
{
    const TablePlan& table = m_plan->tables()[t];
    TableState& state = m_tables[t];
    uint64_t first = 1;
    uint64_t last = 0;
    if (table.ownKeys && monotoneIds(table.ids)) {
        // The keys this tick inserts: after the newest, up to the newest at t1.
        first = keysOf(table.rowsAt(t0)) + 1;
        const uint64_t upTo = std::max(first, keysOf(table.rowsAt(t1)));
        if (!state.insertShares.empty() && first >= state.windowFirst && upTo <= state.windowLast)
            return;
        // A tick whose keys cross a range boundary gets the shares of exactly its keys; otherwise the window
        // reaches ahead, up to the next boundary, so the following ticks reuse it.
        const auto boundary = std::upper_bound(m_boundaries.begin(), m_boundaries.end(), first);
        const bool crosses = boundary != m_boundaries.end() && *boundary <= upTo;
        last = crosses ? upTo : std::max(upTo, first + std::max(kMinInsertWindow, first / 1000) - 1);
        if (!crosses && boundary != m_boundaries.end() && *boundary <= last)
            last = *boundary - 1;
        state.windowFirst = first;
        state.windowLast = last;
    } else {
        // Spread like the existing keys (uuid) or over the parent's keys (a bound table).
        const uint64_t keys = table.ownKeys ? keysOf(table.rowsAt(t1))
                                            : m_plan->domains()[static_cast<size_t>(table.domain)].keysAt(t1);
        if (!state.insertShares.empty() && keys <= state.basisKeys + state.basisKeys / 1000 + 1)
            return;
        state.basisKeys = keys;
        first = 1;
        last = keys;
    }
    // Move the checkpoint to t0 with the old shares, then switch to the new ones.
    state.checkpointRows = shardRows(t, t0);
    state.checkpointRefused = refusedRows(t, t0);
    state.checkpointTime = t0;
    spreadUniform(first, last, state.insertShares, state.refusedInsert, table.ownKeys && monotoneIds(table.ids));
    state.nodeRate = nodeRateOf(state.insertShares, table.growth, table.group);
    sumNodeRates();
}

void StorageModel::advance(double t0, double t1)
{
    for (size_t t = 0; t < m_tables.size(); ++t) {
        const TablePlan& table = m_plan->tables()[t];
        if (table.domain >= 0 && table.growth > 0 && (m_geoShares.empty() || m_tables[t].insertShares.empty()))
            refreshInserts(t, t0, t1);
    }
    const double dt = t1 - t0;
    for (size_t n = 0; n < m_nodeRows.size(); ++n) {
        m_nodeRows[n] += dt * m_nodeRowRate[n];
        m_nodeBytes[n] += dt * m_nodeByteRate[n];
    }
}

bool StorageModel::countsEnough(uint64_t keys) const
{
    // Every key counted, or as many as the bound needs; where the fractions alone keep the bound, the inserts' own
    // shares stand as they were computed.
    return keys <= m_counter->exactKeys() || (m_counter->keysToCount(1, keys) > 0 && m_counter->meetsBound(1, keys));
}

bool StorageModel::countsKeysAt(size_t table, double t) const
{
    const TablePlan& plan = m_plan->tables()[table];
    // Closed-form rules keep their insert windows: residues and ranges already split a window exactly at its ends.
    return plan.domain >= 0 && plan.ownKeys && monotoneIds(plan.ids) && plan.growth > 0 && m_geoShares.empty()
        && !m_rule->countsRangesExactly() && countsEnough(keysOf(plan.rowsAt(t)));
}

std::vector<double> StorageModel::shardRows(size_t table, double t) const
{
    if (countsKeysAt(table, t)) {
        // Exact at any time, not only where an insert window starts.
        const double rows = m_plan->tables()[table].rowsAt(t);
        std::vector<double> shares;
        double refused = 0;
        spreadUniform(1, keysOf(rows), shares, refused);
        for (double& share : shares)
            share *= rows;
        return shares;
    }
    const TableState& state = m_tables[table];
    std::vector<double> rows = state.checkpointRows;
    const double added = m_plan->tables()[table].growth * (t - state.checkpointTime);
    for (size_t s = 0; s < rows.size() && s < state.insertShares.size(); ++s)
        rows[s] += added * state.insertShares[s];
    return rows;
}

double StorageModel::shareStandardError(size_t table, double t) const
{
    const TablePlan& plan = m_plan->tables()[table];
    if (plan.domain < 0 || !m_geoShares.empty())
        return 0;
    const uint64_t keys
        = plan.ownKeys ? keysOf(plan.rowsAt(t)) : m_plan->domains()[static_cast<size_t>(plan.domain)].keysAt(t);
    return m_counter->shareStandardError(1, keys);
}

double StorageModel::refusedRows(size_t table, double t) const
{
    if (countsKeysAt(table, t)) {
        const double rows = m_plan->tables()[table].rowsAt(t);
        std::vector<double> shares;
        double refused = 0;
        spreadUniform(1, keysOf(rows), shares, refused);
        return refused * rows;
    }
    const TableState& state = m_tables[table];
    return state.checkpointRefused + m_plan->tables()[table].growth * (t - state.checkpointTime) * state.refusedInsert;
}

} // namespace shardsim::engine
