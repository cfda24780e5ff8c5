#pragma once
// A one-line progress bar with ETA on stderr, redrawn at most ten times a second.

#include <chrono>
#include <cstdint>

namespace shardsim::cli {

class ProgressBar {
public:
    void update(int64_t done, int64_t total);
    void finish(); // clears the line

private:
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point m_lastDraw {};
    bool m_drawn = false;
};

} // namespace shardsim::cli
