// The hot-range scheduler, the second scheduler of RangeBalancer (docs/engine-model.md, "Ranges that split, merge and
// move", phase 6): where the balance evens out a score (counts or bytes), this evens out the load each node serves,
// as TiKV's balance-hot-region-scheduler (PD pkg/schedule/schedulers/hot_region.go) and CockroachDB's store rebalancer
// (pkg/kv/kvserver/store_rebalancer.go) do. A node's load is the rates of the ranges whose leader it holds: the leader
// serves the range's requests. Leaders go first, to a node that already holds a follower copy (TiKV's transfer-leader,
// CockroachDB's lease transfer: no data copied); a range none of whose followers can take it moves as a balancer move
// does (move-peer, a replica rebalance), copying its bytes at the snapshot rate.

#include <algorithm>

#include "engine/range_balancer.h"

namespace shardsim::engine {

bool RangeBalancer::isHot(const Range& range) const
{
    return m_settings.hotSchedule && range.rate > 0 && range.rate >= m_settings.hotMinRate
        && range.hotDegree >= m_settings.hotWindows;
}

std::vector<NodeId> RangeBalancer::followers(size_t i, const std::vector<NodeId>& group) const
{
    std::vector<NodeId> nodes;
    const auto at = std::find(group.begin(), group.end(), m_map[i].leader);
    if (at == group.end())
        return nodes;
    const auto start = static_cast<size_t>(at - group.begin());
    for (size_t step = 1; step < group.size() && step < static_cast<size_t>(m_settings.replicas); ++step) {
        const NodeId node = group[(start + step) % group.size()];
        if (active(node))
            nodes.push_back(node);
    }
    return nodes;
}

void RangeBalancer::scheduleHot(const RangeWindowInput& input, RangeWindowStats& stats)
{
    // PD waits minHotScheduleInterval after a round that scheduled, and 1.3 times longer after each that did not
    // (scheduleIntervalFactor), up to maxHotScheduleInterval; a round held back by the operator limit waits as long.
    const double interval = m_hotInterval > 0 ? m_hotInterval : m_settings.hotIntervalSeconds;
    m_nextHot = input.t + interval * (1 - 1e-9);
    int inFlight = 0;
    for (const RangeMove& move : m_moves.running())
        inFlight += move.hot ? 1 : 0;
    const int limit = m_settings.hotMovesAtOnce;
    const std::vector<NodeId> nodes = activeNodes();
    if (nodes.size() < 2 || (limit > 0 && inFlight >= limit))
        return;
    const int before = stats.leaderTransfers + stats.moves;
    scheduleHotRound(input, stats, nodes, inFlight);
    m_hotInterval = stats.leaderTransfers + stats.moves > before
        ? m_settings.hotIntervalSeconds
        : std::min(interval * 1.3, std::max(m_settings.hotIntervalSeconds, m_settings.hotMaxIntervalSeconds));
}

void RangeBalancer::scheduleHotRound(
    const RangeWindowInput& input, RangeWindowStats& stats, const std::vector<NodeId>& nodes, int inFlight)
{
    const int limit = m_settings.hotMovesAtOnce;
    // Each node's load as it will be once the running moves end. The buffers live with the balancer: a round runs
    // every second of a day-long run.
    std::vector<double>& load = m_hotLoad;
    load.assign(m_nodes.size(), 0.0);
    for (const Range& range : m_map.ranges())
        load[static_cast<size_t>(range.leader)] += range.rate;
    for (const RangeMove& move : m_moves.running()) {
        if (!move.leaderMoves)
            continue;
        const double rate = m_map[m_map.indexOf(move.rangeFirst)].rate;
        load[static_cast<size_t>(move.from)] -= rate;
        load[static_cast<size_t>(move.to)] += rate;
    }
    double mean = 0;
    for (NodeId node : nodes)
        mean += load[static_cast<size_t>(node)];
    mean /= static_cast<double>(nodes.size());
    // PD: a source above src-tolerance-ratio x the mean, a target below it by dst-tolerance-ratio; CockroachDB: a
    // store is overfull (underfull) more than max(qps_rebalance_threshold x mean, MinQPSThresholdDifference) above
    // (below) the mean.
    const double band = std::max(m_settings.hotTolerance * mean, m_settings.hotMinDifference);
    // A target takes the range only when it stays below what the source had: every step narrows the gap, so the
    // rounds end. Below by more than rounding: swapping equal ranges between a node of k + 1 and one of k narrows
    // nothing, however the sums of their rates round.
    const auto takes = [&](NodeId node, NodeId source, double rate) {
        const double sourceLoad = load[static_cast<size_t>(source)];
        return node != source && load[static_cast<size_t>(node)] < mean - band
            && load[static_cast<size_t>(node)] + rate < sourceLoad - 1e-9 * sourceLoad;
    };
    const std::vector<NodeId> group = members();
    const bool limited = m_settings.moveStartsPerNodePerSecond > 0;
    std::vector<size_t>& candidates = m_hotCandidates;
    for (int ops = 0; limit <= 0 || inFlight + ops < limit; ++ops) {
        NodeId source = nodes.front();
        for (NodeId node : nodes)
            if (load[static_cast<size_t>(node)] > load[static_cast<size_t>(source)])
                source = node;
        if (load[static_cast<size_t>(source)] <= mean + band)
            break;
        // The source's hot ranges, hottest first (in key order among equals).
        candidates.clear();
        for (size_t i = 0; i < m_map.size(); ++i)
            if (m_map[i].leader == source && !m_map[i].moving && isHot(m_map[i]))
                candidates.push_back(i);
        std::sort(candidates.begin(), candidates.end(), [&](size_t a, size_t b) {
            return m_map[a].rate > m_map[b].rate || (m_map[a].rate == m_map[b].rate && a < b);
        });
        const auto hand = [&](Range& range, NodeId to) {
            load[static_cast<size_t>(source)] -= range.rate;
            load[static_cast<size_t>(to)] += range.rate;
        };
        // The hottest of them that one of its followers can take: the leader passes at once.
        bool done = false;
        for (size_t i : candidates) {
            Range& range = m_map[i];
            NodeId to = -1;
            for (NodeId node : followers(i, group))
                if (takes(node, source, range.rate)
                    && (to < 0 || load[static_cast<size_t>(node)] < load[static_cast<size_t>(to)]))
                    to = node;
            if (to < 0)
                continue;
            hand(range, to);
            range.leader = to;
            ++stats.leaderTransfers;
            done = true;
            break;
        }
        if (done)
            continue;
        // Else the hottest one the coldest node can take moves there, copying its bytes.
        NodeId to = -1;
        for (NodeId node : nodes)
            if (node != source && freeSlot(node) && (!limited || m_startBudget[static_cast<size_t>(node)] >= 1)
                && (to < 0 || load[static_cast<size_t>(node)] < load[static_cast<size_t>(to)]))
                to = node;
        if (to < 0 || !freeSlot(source))
            break;
        for (size_t i : candidates) {
            Range& range = m_map[i];
            if (!takes(to, source, range.rate))
                continue;
            hand(range, to);
            const double copied = m_settings.moveCopiesBytes ? range.rows * input.bytesPerRow : 0;
            m_moves.start(RangeMove { range.first, source, to, copied, 0, true, true });
            range.moving = true;
            if (limited)
                m_startBudget[static_cast<size_t>(to)] -= 1;
            ++stats.moves;
            done = true;
            break;
        }
        if (!done)
            break;
    }
}

} // namespace shardsim::engine
