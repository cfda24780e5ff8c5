#pragma once
// The balancer's moves in progress: each copies one range's bytes from its leader's node to another node at the
// preset's snapshot rate (every move at that rate, as TiKV's and CockroachDB's snapshot limits apply per move). While
// it copies, both nodes do the copy's work, in request-equivalents as a migration's copy costs
// (MigrationProcess::kCopyPacketBytes per request), and the bytes cross the network. The range keeps being served
// by its old node until the copy ends; then its leader moves (a move that rebuilds a lost copy keeps the leader).

#include <cstdint>
#include <span>
#include <vector>

#include "shardsim/rules/placement.h"

namespace shardsim::engine {

struct RangeMove {
    uint64_t rangeFirst = 1; // the range's first key: ranges that move neither split nor merge
    NodeId from = 0;
    NodeId to = 0;
    double bytes = 0;
    double copied = 0;
    bool leaderMoves = true; // false: a copy rebuilt after a failure, the leader stays
    bool hot = false; // started by the hot-range scheduler (it counts them against hotMovesAtOnce)
};

class RangeMoves {
public:
    explicit RangeMoves(double bytesPerSecond = 0)
        : m_bytesPerSecond(bytesPerSecond)
    {
    }

    void start(RangeMove move) { m_moves.push_back(move); }
    const std::vector<RangeMove>& running() const { return m_moves; }
    bool empty() const { return m_moves.empty(); }
    // Moves `node` takes part in now, as source or target.
    int movesOf(NodeId node) const;

    // Copies over [t0, t1): adds each node's copy work (request-equivalents) to `background`, appends the moves whose
    // copy ended to `finished` and returns the bytes copied.
    double advance(double t0, double t1, std::span<double> background, std::vector<RangeMove>& finished);

private:
    double m_bytesPerSecond;
    std::vector<RangeMove> m_moves;
};

} // namespace shardsim::engine
