#include "progress_bar.h"

#include <cstdio>
#include <string>

namespace shardsim::cli {

void ProgressBar::update(int64_t done, int64_t total)
{
    using namespace std::chrono;
    const auto now = steady_clock::now();
    if (m_drawn && done < total && now - m_lastDraw < milliseconds(100))
        return;
    m_lastDraw = now;
    m_drawn = true;
    const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    const double elapsed = duration<double>(now - m_start).count();
    const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r[%s] %5.1f%%  %s %lld/%lld  ETA %.0fs ", bar.c_str(), 100 * fraction, m_unit,
        static_cast<long long>(done), static_cast<long long>(total), eta);
    std::fflush(stderr);
}

void ProgressBar::finish()
{
    if (m_drawn)
        std::fprintf(stderr, "\r%*s\r", 72, "");
    m_drawn = false;
}

} // namespace shardsim::cli
