#include "engine/range_moves.h"

#include <algorithm>

#include "engine/migration_process.h"

namespace shardsim::engine {

int RangeMoves::movesOf(NodeId node) const
{
    return static_cast<int>(std::count_if(
        m_moves.begin(), m_moves.end(), [node](const RangeMove& move) { return move.from == node || move.to == node; }));
}

double RangeMoves::advance(double t0, double t1, std::span<double> background, std::vector<RangeMove>& finished)
{
    const double seconds = std::max(0.0, t1 - t0);
    double copied = 0;
    for (RangeMove& move : m_moves) {
        const double left = move.bytes - move.copied;
        // A rounding error's worth of bytes left does not hold a move for another tick.
        const double bytes = std::min(left, m_bytesPerSecond * seconds);
        move.copied = bytes >= left * (1 - 1e-12) ? move.bytes : move.copied + bytes;
        copied += bytes;
        // Read on the source, written on the target: one request's work per copy packet on each.
        const double work = bytes / MigrationProcess::kCopyPacketBytes;
        for (NodeId node : { move.from, move.to })
            if (static_cast<size_t>(node) < background.size())
                background[static_cast<size_t>(node)] += work;
    }
    const auto done = std::stable_partition(
        m_moves.begin(), m_moves.end(), [](const RangeMove& move) { return move.copied < move.bytes; });
    finished.insert(finished.end(), done, m_moves.end());
    m_moves.erase(done, m_moves.end());
    return copied;
}

} // namespace shardsim::engine
