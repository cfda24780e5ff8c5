#pragma once
// A one-line progress bar with ETA on stderr, redrawn at most ten times a second.

#include <chrono>
#include <cstdint>

namespace shardsim::cli {

class ProgressBar {
public:
    // `unit` names what is counted: "tick" for a run, "period" for a plan (every candidate's periods).
    explicit ProgressBar(const char* unit = "tick")
        : m_unit(unit)
    {
    }
    void update(int64_t done, int64_t total);
    void finish(); // clears the line

private:
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point m_lastDraw {};
    bool m_drawn = false;
    const char* m_unit;
};

} // namespace shardsim::cli
