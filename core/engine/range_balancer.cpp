#include "engine/range_balancer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace shardsim::engine {

namespace {

    // A split pass repeats while pieces are still too big (halving): enough for any table of 2^64 bytes.
    constexpr int kMaxSizePasses = 64;

} // namespace

double RangeLoad::massOf(uint64_t first, uint64_t last) const
{
    double mass = 0;
    for (size_t l = 0; l < laws.size(); ++l)
        mass += shares[l] * laws[l].ofRange(first, last);
    return mass;
}

uint64_t RangeLoad::halvingKey(uint64_t first, uint64_t last) const
{
    if (laws.size() == 1)
        return laws.front().halvingKey(first, last);
    const auto upTo = [&](uint64_t key) {
        double mass = 0;
        for (size_t l = 0; l < laws.size(); ++l)
            mass += shares[l] * laws[l].upTo(key);
        return mass;
    };
    return halvingKeyOf(upTo, first, last);
}

RangeBalancer::RangeBalancer(AutoRangeSettings settings, int nodeCount, std::vector<NodeId> members,
    uint64_t keyCount, double rows, int initialRanges)
    : m_settings(std::move(settings))
    , m_nodes(static_cast<size_t>(nodeCount))
    , m_startBudget(static_cast<size_t>(nodeCount), 1.0)
    , m_moves(m_settings.snapshotBytesPerSecond)
{
    std::sort(members.begin(), members.end());
    for (NodeId node : members)
        m_nodes[static_cast<size_t>(node)].member = true;
    m_map = RangeMap(keyCount, rows, members.empty() ? 0 : members.front());
    const auto pieces = static_cast<uint64_t>(std::max(1, initialRanges));
    for (uint64_t p = pieces - 1; p >= 1 && keyCount >= pieces; --p)
        m_map.split(0, 1 + p * keyCount / pieces, 0);
    for (size_t i = 0; i < m_map.size() && !members.empty(); ++i)
        m_map[i].leader = members[i % members.size()];
}

bool RangeBalancer::active(NodeId node) const
{
    const NodeState& state = m_nodes[static_cast<size_t>(node)];
    return state.member && state.up && !state.draining;
}

std::vector<NodeId> RangeBalancer::leaders() const
{
    std::vector<NodeId> leaders;
    leaders.reserve(m_map.size());
    for (const Range& range : m_map.ranges())
        leaders.push_back(range.leader);
    return leaders;
}

std::vector<int> RangeBalancer::rangesPerNode() const
{
    std::vector<int> count(m_nodes.size(), 0);
    for (const Range& range : m_map.ranges())
        ++count[static_cast<size_t>(range.leader)];
    return count;
}

std::vector<NodeId> RangeBalancer::activeNodes() const
{
    std::vector<NodeId> nodes;
    for (size_t n = 0; n < m_nodes.size(); ++n)
        if (active(static_cast<NodeId>(n)))
            nodes.push_back(static_cast<NodeId>(n));
    return nodes;
}

std::vector<NodeId> RangeBalancer::members() const
{
    std::vector<NodeId> nodes;
    for (size_t n = 0; n < m_nodes.size(); ++n)
        if (m_nodes[n].member)
            nodes.push_back(static_cast<NodeId>(n));
    return nodes;
}

int RangeBalancer::splitLoadedTable(const RangeWindowInput& input)
{
    const int splits = splitBySize(input);
    const std::vector<NodeId> nodes = activeNodes();
    for (size_t i = 0; i < m_map.size() && !nodes.empty(); ++i)
        m_map[i].leader = nodes[i % nodes.size()];
    return splits;
}

RangeWindowStats RangeBalancer::runWindow(const RangeWindowInput& input)
{
    m_map.setKeyCount(input.keyCount);
    RangeWindowStats stats;
    stats.t = input.t;
    stats.bytesMoved = m_windowBytes;
    m_windowBytes = 0;
    if (input.load) {
        // A range's share of the requests changes only with the laws and its bounds: computed again only then.
        const bool lawsChanged = input.load->version != m_massVersion;
        m_massVersion = input.load->version;
        for (size_t i = 0; i < m_map.size(); ++i) {
            Range& range = m_map[i];
            if (lawsChanged || range.mass < 0)
                range.mass = input.load->massOf(range.first, m_map.last(i));
            range.rate = range.mass * input.load->requestsPerSecond;
            range.hotDegree = m_settings.hotSchedule && range.rate > 0 && range.rate >= m_settings.hotMinRate
                ? range.hotDegree + 1
                : 0;
        }
    }
    const double rate = m_settings.moveStartsPerNodePerSecond;
    // A pass that found nothing while a store limit's budget was spent may find work once it has refilled.
    const bool refilling
        = rate > 0 && std::any_of(m_startBudget.begin(), m_startBudget.end(), [](double b) { return b < 1; });
    if (rate > 0)
        for (double& budget : m_startBudget)
            budget = std::min(std::max(1.0, rate), budget + rate * (input.t - m_lastWindow));
    m_lastWindow = input.t;
    double rows = 0;
    for (const Range& range : m_map.ranges())
        rows += range.rows;
    if (std::fabs(rows - m_lastRows) > 1e-12 * std::max(1.0, rows))
        m_changed = true;
    m_lastRows = rows;
    const bool changed = m_changed;
    m_changed = false;
    if (changed)
        stats.splits = splitBySize(input);
    stats.splits += splitByLoad(input);
    if (changed || stats.splits > 0 || input.t >= m_nextMergeCheck)
        stats.merges = mergeSmall(input);
    stats.moves = rebuildCopies(input);
    const bool settled = m_balanceIdle && !changed && stats.splits == 0 && stats.merges == 0
        && m_settings.score != BalanceScore::Load && !refilling;
    if (input.t >= m_nextBalance && !settled) {
        const int moves = balance(input);
        stats.moves += moves;
        m_balanceIdle = moves == 0;
        m_nextBalance = input.t + m_settings.balanceIntervalSeconds * (1 - 1e-9);
    }
    if (m_settings.hotSchedule && input.t >= m_nextHot)
        scheduleHot(input, stats);
    if (stats.splits > 0 || stats.merges > 0 || stats.leaderTransfers > 0)
        m_changed = true;
    stats.ranges = static_cast<int>(m_map.size());
    for (const Range& range : m_map.ranges())
        stats.busiestRate = std::max(stats.busiestRate, range.rate);
    m_splits += stats.splits;
    m_merges += stats.merges;
    m_movesStarted += stats.moves;
    m_leaderTransfers += stats.leaderTransfers;
    const bool idle
        = stats.splits == 0 && stats.merges == 0 && stats.moves == 0 && stats.leaderTransfers == 0 && m_moves.empty();
    if (!idle)
        m_balancedAt.reset();
    else if (!m_balancedAt)
        m_balancedAt = input.t;
    return stats;
}

double RangeBalancer::sizeThreshold(size_t range, double tableBytes, const std::vector<int>& perNode) const
{
    const auto node = static_cast<size_t>(m_map[range].leader);
    return splitThresholdBytes(m_settings, tableBytes, node < perNode.size() ? perNode[node] : 1);
}

int RangeBalancer::splitBySize(const RangeWindowInput& input)
{
    double rows = 0;
    for (const Range& range : m_map.ranges())
        rows += range.rows;
    const double tableBytes = rows * input.bytesPerRow;
    int splits = 0;
    for (int pass = 0; pass < kMaxSizePasses; ++pass) {
        const std::vector<int> perNode = rangesPerNode();
        int passSplits = 0;
        for (size_t i = 0; i < m_map.size(); ++i) {
            const Range& range = m_map[i];
            const uint64_t keys = m_map.keys(i);
            if (range.moving || keys < 2)
                continue;
            const double bytes = range.rows * input.bytesPerRow;
            const double threshold = sizeThreshold(i, tableBytes, perNode);
            uint64_t pieces = 1;
            if (threshold > 0 && bytes > threshold)
                pieces = m_settings.splitTargetBytes > 0
                    ? static_cast<uint64_t>(std::ceil(bytes / m_settings.splitTargetBytes))
                    : 2;
            if (m_settings.splitKeys > 0 && range.rows > m_settings.splitKeys)
                pieces = std::max<uint64_t>(pieces,
                    m_settings.splitTargetKeys > 0
                        ? static_cast<uint64_t>(std::ceil(range.rows / m_settings.splitTargetKeys))
                        : 2);
            pieces = std::min(pieces, keys);
            if (pieces < 2)
                continue;
            // Cut from the last piece back, so range i keeps its index and the pieces follow it.
            const uint64_t first = range.first;
            for (uint64_t p = pieces - 1; p >= 1; --p)
                m_map.split(i, first + p * keys / pieces, input.t);
            passSplits += static_cast<int>(pieces - 1);
            i += pieces - 1;
        }
        splits += passSplits;
        if (passSplits == 0)
            break;
    }
    return splits;
}

int RangeBalancer::splitByLoad(const RangeWindowInput& input)
{
    const double qps = m_settings.splitQps;
    const double bps = m_settings.splitBytesPerSecond;
    if (!input.load || (qps <= 0 && bps <= 0))
        return 0;
    int splits = 0;
    for (size_t i = 0; i < m_map.size(); ++i) {
        Range& range = m_map[i];
        const bool hot = (qps > 0 && range.rate > qps) || (bps > 0 && range.rate * input.bytesPerRow > bps);
        range.hotWindows = hot ? range.hotWindows + 1 : 0;
        if (!hot || range.hotWindows < m_settings.splitWindows || range.moving)
            continue;
        const uint64_t last = m_map.last(i);
        if (last == range.first) {
            UnsplittableKey& key = m_unsplittable[range.first];
            key.key = range.first;
            if (range.rate >= key.rate) {
                key.rate = range.rate;
                key.node = range.leader;
            }
            continue;
        }
        // Keys first..k carry half the load; the cut leaves k on the left unless k is the range's last key.
        const uint64_t k = input.load->halvingKey(range.first, last);
        m_map.split(i, k < last ? k + 1 : last, input.t);
        m_map[i].fromLoadSplit = m_map[i + 1].fromLoadSplit = true;
        for (size_t piece : { i, i + 1 }) {
            m_map[piece].mass = input.load->massOf(m_map[piece].first, m_map.last(piece));
            m_map[piece].rate = m_map[piece].mass * input.load->requestsPerSecond;
        }
        ++splits;
        ++i; // the pieces wait splitWindows windows of their own
    }
    if (splits > 0) {
        m_loadSplits += splits;
        if (!m_firstLoadSplit)
            m_firstLoadSplit = input.t;
        m_lastLoadSplit = input.t;
    }
    return splits;
}

int RangeBalancer::mergeSmall(const RangeWindowInput& input)
{
    double rows = 0;
    for (const Range& range : m_map.ranges())
        rows += range.rows;
    const double tableBytes = rows * input.bytesPerRow;
    const std::vector<int> perNode = rangesPerNode();
    const auto mergeBelow = [&](const Range& range) {
        const auto node = static_cast<size_t>(range.leader);
        return mergeThresholdBytes(m_settings, tableBytes, node < perNode.size() ? perNode[node] : 1);
    };
    m_nextMergeCheck = std::numeric_limits<double>::infinity();
    if (m_map.size() < 2 || mergeBelow(m_map[0]) <= 0)
        return 0;
    // Small enough by size (and not moving): what only time or load can still stop.
    const auto smallBySize = [&](const Range& range) {
        return !range.moving && range.rows * input.bytesPerRow < mergeBelow(range)
            && (m_settings.mergeKeys <= 0 || range.rows < m_settings.mergeKeys);
    };
    const auto hot = [&](const Range& range) {
        return range.hotWindows > 0 || (m_settings.splitQps > 0 && range.rate > m_settings.splitQps);
    };
    int merges = 0;
    for (size_t i = 0; i + 1 < m_map.size(); ++i) {
        const Range& left = m_map[i];
        const Range& right = m_map[i + 1];
        if (!smallBySize(left) || !smallBySize(right))
            continue;
        const double threshold = sizeThreshold(i, tableBytes, perNode);
        if (threshold > 0 && (left.rows + right.rows) * input.bytesPerRow > threshold)
            continue;
        // A pair kept apart by its age merges when the younger is old enough; one kept apart by its load may merge
        // any window: the next pass comes then.
        const double old = std::max(left.bornAt, right.bornAt) + m_settings.splitMergeIntervalSeconds;
        if (input.t < old) {
            m_nextMergeCheck = std::min(m_nextMergeCheck, old);
            continue;
        }
        if (hot(left) || hot(right) || (m_settings.splitQps > 0 && left.rate + right.rate > m_settings.splitQps)) {
            m_nextMergeCheck = input.t;
            continue;
        }
        m_map.mergeWithNext(i, input.t);
        ++merges;
    }
    return merges;
}

double RangeBalancer::scoreOf(const Range& range, double bytesPerRow) const
{
    switch (m_settings.score) {
    case BalanceScore::RangeCount:
        return 1;
    case BalanceScore::Bytes:
        return range.rows * bytesPerRow;
    case BalanceScore::Load:
        return range.rate;
    }
    return 1;
}

bool RangeBalancer::freeSlot(NodeId node) const
{
    return m_settings.movesPerNode <= 0 || m_moves.movesOf(node) < m_settings.movesPerNode;
}

size_t RangeBalancer::pieceToMove(size_t i, const RangeWindowInput& input)
{
    const Range& range = m_map[i];
    const double bytes = range.rows * input.bytesPerRow;
    const uint64_t keys = m_map.keys(i);
    if (m_settings.moveBytes <= 0 || bytes <= m_settings.moveBytes || keys < 2)
        return i;
    const auto pieceKeys = std::clamp<uint64_t>(
        static_cast<uint64_t>(static_cast<double>(keys) * m_settings.moveBytes / bytes), 1, keys - 1);
    m_map.split(i, range.first + pieceKeys, input.t);
    ++m_splits;
    return i;
}

NodeId RangeBalancer::nextActive(NodeId after) const
{
    const auto count = static_cast<NodeId>(m_nodes.size());
    for (NodeId step = 1; step <= count; ++step) {
        const NodeId node = (after + step) % count;
        if (active(node))
            return node;
    }
    return -1;
}

bool RangeBalancer::failNode(NodeId node)
{
    m_nodes[static_cast<size_t>(node)].up = false;
    m_changed = true;
    bool changed = false;
    const NodeId heir = nextActive(node);
    for (size_t i = 0; i < m_map.size(); ++i) {
        Range& range = m_map[i];
        if (range.leader != node || heir < 0 || m_settings.replicas < 2)
            continue; // without a follower the range is down with its node
        // The first follower lives on the next member: the leader passes to it at once, and the lost copy is rebuilt.
        range.leader = heir;
        m_lostCopies.push_back(range.first);
        changed = true;
    }
    return changed;
}

void RangeBalancer::recoverNode(NodeId node)
{
    m_nodes[static_cast<size_t>(node)].up = true;
    m_changed = true;
}

void RangeBalancer::addNode(NodeId node)
{
    NodeState& state = m_nodes[static_cast<size_t>(node)];
    state.member = true;
    state.up = true;
    state.draining = false;
    m_changed = true;
}

void RangeBalancer::drainNode(NodeId node)
{
    m_nodes[static_cast<size_t>(node)].draining = true;
    m_changed = true;
}

int RangeBalancer::rebuildCopies(const RangeWindowInput& input)
{
    int started = 0;
    std::vector<uint64_t> waiting;
    for (uint64_t first : m_lostCopies) {
        const size_t i = m_map.indexOf(first);
        Range& range = m_map[i];
        const int limit = m_settings.movesAtOnce;
        const NodeId target = nextActive(nextActive(range.leader));
        if (range.first != first || range.moving || target < 0 || target == range.leader || !freeSlot(range.leader)
            || !freeSlot(target) || (limit > 0 && static_cast<int>(m_moves.running().size()) >= limit)) {
            if (range.first == first)
                waiting.push_back(first);
            continue;
        }
        const double copied = m_settings.moveCopiesBytes ? range.rows * input.bytesPerRow : 0;
        m_moves.start(RangeMove { first, range.leader, target, copied, 0, false });
        range.moving = true;
        ++started;
    }
    m_lostCopies = std::move(waiting);
    return started;
}

int RangeBalancer::balance(const RangeWindowInput& input)
{
    // Scores as they will be once the running moves end.
    std::vector<double> score(m_nodes.size(), 0.0);
    for (const Range& range : m_map.ranges())
        score[static_cast<size_t>(range.leader)] += scoreOf(range, input.bytesPerRow);
    for (const RangeMove& move : m_moves.running()) {
        if (!move.leaderMoves)
            continue;
        const double s = scoreOf(m_map[m_map.indexOf(move.rangeFirst)], input.bytesPerRow);
        score[static_cast<size_t>(move.from)] -= s;
        score[static_cast<size_t>(move.to)] += s;
    }
    const std::vector<NodeId> nodes = activeNodes();
    if (nodes.empty())
        return 0;
    double bytes = 0;
    double load = 0;
    for (const Range& range : m_map.ranges()) {
        bytes += range.rows * input.bytesPerRow;
        load += range.rate;
    }
    const double meanRangeBytes = bytes / static_cast<double>(m_map.size());
    const double meanRangeLoad = load / static_cast<double>(m_map.size());
    const bool limited = m_settings.moveStartsPerNodePerSecond > 0;
    int started = 0;
    const int limit = m_settings.movesAtOnce;
    while (limit <= 0 || static_cast<int>(m_moves.running().size()) < limit) {
        NodeId target = -1;
        for (NodeId node : nodes)
            if (freeSlot(node) && (!limited || m_startBudget[static_cast<size_t>(node)] >= 1)
                && (target < 0 || score[static_cast<size_t>(node)] < score[static_cast<size_t>(target)]))
                target = node;
        if (target < 0)
            break;
        // A draining node's ranges first, whatever the scores; then the highest score above the band.
        NodeId source = -1;
        bool drain = false;
        for (size_t n = 0; n < m_nodes.size() && source < 0; ++n) {
            const auto node = static_cast<NodeId>(n);
            if (m_nodes[n].member && m_nodes[n].draining && m_nodes[n].up && freeSlot(node)
                && std::any_of(m_map.ranges().begin(), m_map.ranges().end(),
                    [node](const Range& range) { return range.leader == node && !range.moving; })) {
                source = node;
                drain = true;
            }
        }
        double spread = 0;
        if (!drain) {
            double mean = 0;
            for (NodeId node : nodes)
                mean += score[static_cast<size_t>(node)];
            mean /= static_cast<double>(nodes.size());
            for (NodeId node : nodes)
                if (node != target && freeSlot(node)
                    && (source < 0 || score[static_cast<size_t>(node)] > score[static_cast<size_t>(source)]))
                    source = node;
            if (source < 0)
                break;
            spread = score[static_cast<size_t>(source)] - score[static_cast<size_t>(target)];
            if (m_settings.score == BalanceScore::Bytes) {
                // A range moves while the two nodes' bytes differ by more than tolerance range sizes and toleranceBytes.
                if (spread <= m_settings.tolerance * meanRangeBytes + m_settings.toleranceBytes)
                    break;
            } else {
                // A node is out of balance when it is more than the band away from the mean.
                const double unit = m_settings.score == BalanceScore::Load ? meanRangeLoad : 1.0;
                const double band = std::max(m_settings.tolerance * mean, m_settings.toleranceRanges * unit);
                if (score[static_cast<size_t>(source)] - mean <= band && mean - score[static_cast<size_t>(target)] <= band)
                    break;
            }
        }
        // The hottest of its ranges that narrows the spread (any, when draining).
        size_t pick = m_map.size();
        for (size_t i = 0; i < m_map.size(); ++i) {
            const Range& range = m_map[i];
            if (range.leader != source || range.moving)
                continue;
            if (!drain && scoreOf(range, input.bytesPerRow) >= spread)
                continue;
            // PD's balance-region leaves hot regions to the hot scheduler; CockroachDB's replicate queue has no
            // such filter (its preset counts every range with load as hot, so it keeps none back).
            if (!drain && m_settings.hotMinRate > 0 && isHot(range))
                continue;
            if (pick == m_map.size() || range.rate > m_map[pick].rate)
                pick = i;
        }
        if (pick == m_map.size())
            break;
        Range& range = m_map[pieceToMove(pick, input)];
        const double s = scoreOf(range, input.bytesPerRow);
        score[static_cast<size_t>(source)] -= s;
        score[static_cast<size_t>(target)] += s;
        const double copied = m_settings.moveCopiesBytes ? range.rows * input.bytesPerRow : 0;
        m_moves.start(RangeMove { range.first, source, target, copied, 0, true });
        range.moving = true;
        if (limited)
            m_startBudget[static_cast<size_t>(target)] -= 1;
        ++started;
    }
    return started;
}

bool RangeBalancer::advanceMoves(double t0, double t1, std::span<double> background)
{
    std::vector<RangeMove> finished;
    const double bytes = m_moves.advance(t0, t1, background, finished);
    m_windowBytes += bytes;
    m_bytesMoved += bytes;
    bool leadersChanged = false;
    for (const RangeMove& move : finished) {
        Range& range = m_map[m_map.indexOf(move.rangeFirst)];
        range.moving = false;
        if (move.leaderMoves && m_nodes[static_cast<size_t>(move.to)].up) {
            range.leader = move.to;
            leadersChanged = true;
        }
        m_changed = true;
    }
    // A drained node leaves once it holds nothing.
    for (size_t n = 0; n < m_nodes.size(); ++n) {
        NodeState& state = m_nodes[n];
        const auto node = static_cast<NodeId>(n);
        if (state.member && state.draining && m_moves.movesOf(node) == 0
            && std::none_of(m_map.ranges().begin(), m_map.ranges().end(),
                [node](const Range& range) { return range.leader == node; })) {
            state.member = false;
            leadersChanged = true;
        }
    }
    return leadersChanged;
}

std::vector<UnsplittableKey> RangeBalancer::unsplittable() const
{
    std::vector<UnsplittableKey> keys;
    for (const auto& [key, entry] : m_unsplittable)
        keys.push_back(entry);
    return keys;
}

} // namespace shardsim::engine
