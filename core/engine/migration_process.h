#pragma once
// One data migration as a process in time (docs/migration-model.md), after Vitess's resharding workflow:
//
//   copy      movedBytes at the event's bandwidth (a cluster-wide throttle): copyS = movedBytes / bandwidth;
//   catch-up  the writes that reached moved rows during the copy (every copy of them) are applied at the same
//             bandwidth while new ones keep arriving at w bytes/s: catchUpS = backlog / (bandwidth - w), the sum of
//             the rounds backlog/bw, backlog*w/bw^2, ...; when w >= bandwidth the migration never catches up;
//   cutover   at start + copyS + catchUpS: reads and writes switch to the new layout at the first tick that starts
//             at or after it. Until then they follow the old one.
//
// While it copies and catches up, node n reads bandwidth * out_n / movedBytes bytes/s and writes
// bandwidth * in_n / movedBytes (rows rewritten on the same node count on both sides). One copy packet of
// kCopyPacketBytes read on the source and applied on the target costs each of them what one request costs.

#include <limits>
#include <span>
#include <vector>

#include "shardsim/engine/run_result.h"

namespace shardsim::engine {

class MigrationProcess {
public:
    // Vitess's default vstream_packet_size: the rows a copy streams in one packet.
    static constexpr double kCopyPacketBytes = 250'000;

    // `readBytes` / `writeBytes`: per node, bytes it reads (sends) and writes (receives) over the whole copy.
    MigrationProcess(MigrationSummary summary, double start, std::vector<double> readBytes,
        std::vector<double> writeBytes, double maxQps);

    // Runs over [t0, t1) with `writeBytesPerSecond` written to the moved rows (every copy): adds the copy's work on
    // each node in request-equivalents to `background` and returns the bytes copied in the interval.
    double advance(double t0, double t1, double writeBytesPerSecond, std::span<double> background);

    // Copy and catch-up are done by t: the new layout may take over.
    bool readyForCutover(double t) const { return m_caughtUp && t >= m_cutover; }
    double cutoverTime() const { return m_cutover; }
    // Ends the record: finished at the cutover, or cut short at `t` (the run ended, the copy was abandoned).
    MigrationSummary finish(bool finished, double t);
    const MigrationSummary& summary() const { return m_summary; }

private:
    MigrationSummary m_summary;
    double m_start;
    double m_copyEnd;
    double m_cutover = std::numeric_limits<double>::infinity();
    bool m_caughtUp = false; // the catch-up end is known (and finite)
    bool m_catchUpComputed = false;
    double m_backlog = 0; // bytes written to moved rows during the copy
    std::vector<double> m_workPerSecond; // request-equivalents/s on each node while active
};

} // namespace shardsim::engine
