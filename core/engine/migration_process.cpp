#include "engine/migration_process.h"

#include <algorithm>

namespace shardsim::engine {

MigrationProcess::MigrationProcess(MigrationSummary summary, double start, std::vector<double> readBytes,
    std::vector<double> writeBytes, double maxQps)
    : m_summary(std::move(summary))
    , m_start(start)
{
    const double bandwidth = m_summary.bandwidth;
    const double bytes = m_summary.movedBytes;
    m_summary.atS = start;
    m_summary.copyS = bandwidth > 0 ? bytes / bandwidth : 0;
    m_copyEnd = start + m_summary.copyS;
    m_workPerSecond.assign(readBytes.size(), 0.0);
    double peak = 0;
    for (size_t n = 0; n < readBytes.size() && bytes > 0; ++n) {
        const double bytesPerSecond = bandwidth * (readBytes[n] + writeBytes[n]) / bytes;
        m_workPerSecond[n] = bytesPerSecond / kCopyPacketBytes;
        peak = std::max(peak, maxQps > 0 ? m_workPerSecond[n] / maxQps : 0.0);
    }
    m_summary.peakExtraUtilization = peak;
}

double MigrationProcess::advance(double t0, double t1, double writeBytesPerSecond, std::span<double> background)
{
    const double bandwidth = m_summary.bandwidth;
    const double from = std::max(t0, m_start);
    if (!(t1 > from))
        return 0;
    // The copy's part of the tick, and the writes it leaves to catch up on.
    const double copyUntil = std::min(t1, m_copyEnd);
    if (copyUntil > from)
        m_backlog += writeBytesPerSecond * (copyUntil - from);
    if (!m_catchUpComputed && t1 >= m_copyEnd) {
        m_catchUpComputed = true;
        m_summary.catchUpBytes = m_backlog;
        if (m_backlog <= 0) {
            m_cutover = m_copyEnd;
            m_caughtUp = true;
        } else if (writeBytesPerSecond < bandwidth) {
            m_summary.catchUpS = m_backlog / (bandwidth - writeBytesPerSecond);
            m_cutover = m_copyEnd + m_summary.catchUpS;
            m_caughtUp = true;
        }
    }
    const double activeUntil = std::min(t1, m_cutover);
    const double active = std::max(0.0, activeUntil - from);
    for (size_t n = 0; n < background.size() && n < m_workPerSecond.size(); ++n)
        background[n] += m_workPerSecond[n] * active;
    return bandwidth * active;
}

MigrationSummary MigrationProcess::finish(bool finished, double t)
{
    m_summary.finished = finished;
    if (finished) {
        m_summary.durationS = m_summary.copyS + m_summary.catchUpS;
    } else {
        m_summary.durationS = std::max(0.0, t - m_start);
        if (!m_catchUpComputed)
            m_summary.catchUpBytes = m_backlog;
    }
    return m_summary;
}

} // namespace shardsim::engine
