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
    m_nextHot = input.t + m_settings.hotIntervalSeconds * (1 - 1e-9);
    const std::vector<NodeId> nodes = activeNodes();
    if (nodes.size() < 2)
        return;
    // Each node's load as it will be once the running moves end.
    std::vector<double> load(m_nodes.size(), 0.0);
    for (const Range& range : m_map.ranges())
        load[static_cast<size_t>(range.leader)] += range.rate;
    int inFlight = 0;
    for (const RangeMove& move : m_moves.running()) {
        inFlight += move.hot ? 1 : 0;
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
    const auto busiest = [&] {
        NodeId source = nodes.front();
        for (NodeId node : nodes)
            if (load[static_cast<size_t>(node)] > load[static_cast<size_t>(source)])
                source = node;
        return load[static_cast<size_t>(source)] > mean + band ? source : -1;
    };
    if (busiest() < 0)
        return;
    // A target takes the range only when it stays below what the source had: every step narrows the gap, so the
    // rounds end.
    const auto takes = [&](NodeId node, NodeId source, double rate) {
        return node != source && load[static_cast<size_t>(node)] < mean - band
            && load[static_cast<size_t>(node)] + rate < load[static_cast<size_t>(source)];
    };
    // The hot ranges each node leads, hottest first (among equals in key order, then those handed to it this round);
    // a node's list is sorted when it is the source, so a round costs O(ranges), not a sort of them all.
    std::vector<std::vector<size_t>> hot(m_nodes.size());
    std::vector<bool> sorted(m_nodes.size(), false);
    for (size_t i = 0; i < m_map.size(); ++i)
        if (!m_map[i].moving && isHot(m_map[i]))
            hot[static_cast<size_t>(m_map[i].leader)].push_back(i);
    const std::vector<NodeId> group = members();
    const bool limited = m_settings.moveStartsPerNodePerSecond > 0;
    const int limit = m_settings.hotMovesAtOnce;
    for (int ops = 0; limit <= 0 || inFlight + ops < limit; ++ops) {
        const NodeId source = busiest();
        if (source < 0)
            break;
        std::vector<size_t>& candidates = hot[static_cast<size_t>(source)];
        if (!sorted[static_cast<size_t>(source)]) {
            std::stable_sort(candidates.begin(), candidates.end(),
                [&](size_t a, size_t b) { return m_map[a].rate > m_map[b].rate; });
            sorted[static_cast<size_t>(source)] = true;
        }
        const auto hand = [&](size_t c, NodeId to) {
            load[static_cast<size_t>(source)] -= m_map[candidates[c]].rate;
            load[static_cast<size_t>(to)] += m_map[candidates[c]].rate;
            candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(c));
        };
        // The hottest of the source's hot ranges that one of its followers can take: the leader passes at once.
        bool done = false;
        for (size_t c = 0; c < candidates.size() && !done; ++c) {
            Range& range = m_map[candidates[c]];
            NodeId to = -1;
            for (NodeId node : followers(candidates[c], group))
                if (takes(node, source, range.rate)
                    && (to < 0 || load[static_cast<size_t>(node)] < load[static_cast<size_t>(to)]))
                    to = node;
            if (to < 0)
                continue;
            // It joins the target's list where its rate puts it, should the target be a source later.
            std::vector<size_t>& theirs = hot[static_cast<size_t>(to)];
            theirs.push_back(candidates[c]);
            sorted[static_cast<size_t>(to)] = false;
            hand(c, to);
            range.leader = to;
            ++stats.leaderTransfers;
            done = true;
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
        for (size_t c = 0; c < candidates.size() && !done; ++c) {
            Range& range = m_map[candidates[c]];
            if (!takes(to, source, range.rate))
                continue;
            const double copied = m_settings.moveCopiesBytes ? range.rows * input.bytesPerRow : 0;
            m_moves.start(RangeMove { range.first, source, to, copied, 0, true, true });
            range.moving = true;
            if (limited)
                m_startBudget[static_cast<size_t>(to)] -= 1;
            hand(c, to); // a moving range is no candidate any more
            ++stats.moves;
            done = true;
        }
        if (!done)
            break;
    }
}

} // namespace shardsim::engine
