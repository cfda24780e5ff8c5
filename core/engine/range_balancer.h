#pragma once
// What a system with dynamic range partitioning decides after each load window (docs/engine-model.md, "Ranges that
// split, merge and move"), in this order:
//
//   1. rates     each range's requests/s: the window's requests/s times the range's share of the requests that count
//                for load (the key laws' mass over it, weighted by their operations' share of the mix);
//   2. size      a range above splitThresholdBytes (or above splitKeys rows) splits into equal pieces of at most
//                splitTargetBytes (splitTargetKeys; halves when 0), at the keys that divide its rows evenly;
//   3. load      a range above splitQps (or splitBytesPerSecond) for splitWindows windows in a row splits at the key
//                that halves its load; a range of one key cannot split and is reported unsplittable;
//   4. merge     two adjacent ranges, both below mergeThresholdBytes (and mergeKeys rows), both older than
//                splitMergeIntervalSeconds, neither hot nor moving, and together below the split size, merge;
//   5. balance   every balanceIntervalSeconds: a draining node's ranges move first; then the hottest range whose own
//                score is below the difference moves from the highest-scored node to the lowest while they are out
//                of the tolerance band (Bytes: they differ by more than tolerance mean range sizes + toleranceBytes;
//                counts and load: either is more than max(tolerance x mean, toleranceRanges units) from the mean),
//                within movesPerNode, movesAtOnce and the store limit moveStartsPerNodePerSecond (ranges the hot
//                scheduler counts as hot stay where it put them, as PD's balance-region skips hot regions);
//   6. hot       every hotIntervalSeconds, with hotSchedule: the hot-range scheduler (range_hot_scheduler.cpp) evens
//                out the nodes' serving load by leader transfers (no bytes copied) and moves.
//
// Node events feed it: a node that joins starts empty, a removed node drains, a failed node's leaders pass to the
// next member (where their first follower lives) and its copies are rebuilt by moves that keep the leader.

#include <map>
#include <optional>
#include <vector>

#include "engine/key_mass.h"
#include "engine/range_map.h"
#include "engine/range_moves.h"
#include "shardsim/rules/auto_range_preset.h"

namespace shardsim::engine {

// The requests of one load window over the key space: the key laws the requests that count for load draw with, each
// with its share of all requests, and all requests' rate.
struct RangeLoad {
    std::vector<KeyMass> laws;
    std::vector<double> shares;
    double requestsPerSecond = 0;
    int version = 0; // changes whenever a law does: the ranges' masses are computed again

    // The share of all requests that falls on first..last and counts.
    double massOf(uint64_t first, uint64_t last) const;
    // The smallest key k in first..last whose keys first..k carry at least half of the range's load.
    uint64_t halvingKey(uint64_t first, uint64_t last) const;
};

// The table and cluster as one window ends.
struct RangeWindowInput {
    double t = 0; // s: the window's end
    uint64_t keyCount = 1;
    double bytesPerRow = 0; // the table's bytes per row, with the rows of the tables that live with its keys
    const RangeLoad* load = nullptr;
};

// What one window did (a row of ranges.csv).
struct RangeWindowStats {
    double t = 0;
    int ranges = 0;
    int splits = 0;
    int merges = 0;
    int moves = 0; // moves started
    int leaderTransfers = 0; // leaders the hot scheduler passed to a node holding a follower copy
    double bytesMoved = 0; // copied by moves during the window
    double busiestRate = 0; // requests/s of the busiest range
};

struct UnsplittableKey {
    uint64_t key = 0;
    double rate = 0; // requests/s, the highest seen
    NodeId node = 0; // its leader's node then
};

class RangeBalancer {
public:
    // Ranges over `keyCount` keys with `rows` rows, one per member of `members` in key order (a table starts as one
    // range; `initialRanges` > 1 pre-splits it evenly).
    RangeBalancer(AutoRangeSettings settings, int nodeCount, std::vector<NodeId> members, uint64_t keyCount,
        double rows, int initialRanges = 1);

    const AutoRangeSettings& settings() const { return m_settings; }
    const RangeMap& map() const { return m_map; }
    RangeMap& map() { return m_map; }
    const RangeMoves& moves() const { return m_moves; }
    // The leader's node of every range, in key order.
    std::vector<NodeId> leaders() const;
    // Ranges whose leader is each node.
    std::vector<int> rangesPerNode() const;
    // Nodes that hold data or may receive it: members that are up and not draining.
    std::vector<NodeId> activeNodes() const;
    // Members now (joined and not yet drained).
    std::vector<NodeId> members() const;

    // The table as loaded before the run: split by size and its ranges dealt round-robin over the active nodes, as
    // a bulk load leaves it. Returns the splits.
    int splitLoadedTable(const RangeWindowInput& input);
    // Runs the window's decisions; the layout changed when the bounds or the leaders did.
    RangeWindowStats runWindow(const RangeWindowInput& input);
    // Copies over [t0, t1), charging `background`; true when a move ended (a leader changed).
    bool advanceMoves(double t0, double t1, std::span<double> background);

    void addNode(NodeId node);
    void drainNode(NodeId node);
    // Returns true when leaders changed.
    bool failNode(NodeId node);
    void recoverNode(NodeId node);

    int splits() const { return m_splits; }
    int loadSplits() const { return m_loadSplits; }
    std::optional<double> firstLoadSplit() const { return m_firstLoadSplit; }
    std::optional<double> lastLoadSplit() const { return m_lastLoadSplit; }
    int merges() const { return m_merges; }
    int movesDone() const { return m_movesStarted; }
    double bytesMoved() const { return m_bytesMoved; }
    int leaderTransfers() const { return m_leaderTransfers; }
    std::vector<UnsplittableKey> unsplittable() const;
    // When the balancer last found nothing to do and nothing in flight, if it stayed so.
    std::optional<double> balancedAt() const { return m_balancedAt; }

private:
    struct NodeState {
        bool member = false;
        bool up = true;
        bool draining = false;
    };
    bool active(NodeId node) const;
    double sizeThreshold(size_t range, double tableBytes, const std::vector<int>& perNode) const;
    int splitBySize(const RangeWindowInput& input);
    int splitByLoad(const RangeWindowInput& input);
    int mergeSmall(const RangeWindowInput& input);
    int balance(const RangeWindowInput& input);
    int rebuildCopies(const RangeWindowInput& input);
    // The hot-range scheduler's round (range_hot_scheduler.cpp): adds its leader transfers and moves to `stats`.
    void scheduleHot(const RangeWindowInput& input, RangeWindowStats& stats);
    void scheduleHotRound(
        const RangeWindowInput& input, RangeWindowStats& stats, const std::vector<NodeId>& nodes, int inFlight);
    bool isHot(const Range& range) const;
    // The active nodes holding range i's follower copies: the next replicas - 1 of `group` (the members, in node
    // order) after its leader, as the layout places them.
    std::vector<NodeId> followers(size_t i, const std::vector<NodeId>& group) const;
    double scoreOf(const Range& range, double bytesPerRow) const;
    bool freeSlot(NodeId node) const;
    // Cuts a piece of moveBytes off range i when it is bigger (MongoDB's moveRange); returns the range to move.
    size_t pieceToMove(size_t i, const RangeWindowInput& input);
    NodeId nextActive(NodeId after) const;

    AutoRangeSettings m_settings;
    std::vector<NodeState> m_nodes;
    std::vector<double> m_startBudget; // per node: moves it may still start (store limit)
    // What the last window saw, so that a window where nothing changed skips the passes that could find nothing:
    // the size splits (same rows, same ranges), the merges (until the first pair old enough, or every window while a
    // pair is kept apart by its load) and, for scores other than load, the balance that last found nothing to do.
    bool m_changed = true;
    double m_lastRows = -1;
    double m_nextMergeCheck = 0;
    bool m_balanceIdle = false;
    double m_lastWindow = 0;
    double m_nextBalance = 0;
    double m_nextHot = 0;
    double m_hotInterval = 0; // s: the wait after the last round (0: none yet)
    std::vector<double> m_hotLoad; // the hot scheduler's buffers: per node, and the source's hot ranges
    std::vector<size_t> m_hotCandidates;
    int m_massVersion = -1;
    RangeMap m_map;
    RangeMoves m_moves;
    std::vector<uint64_t> m_lostCopies; // ranges (first keys) with a copy to rebuild after a failure
    std::map<uint64_t, UnsplittableKey> m_unsplittable;
    int m_splits = 0;
    int m_loadSplits = 0;
    std::optional<double> m_firstLoadSplit, m_lastLoadSplit;
    int m_merges = 0;
    int m_movesStarted = 0;
    double m_bytesMoved = 0;
    int m_leaderTransfers = 0;
    double m_windowBytes = 0;
    std::optional<double> m_balancedAt;
};

} // namespace shardsim::engine
