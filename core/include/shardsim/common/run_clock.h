#pragma once
// How a run's moments read. A scenario without `start:` counts time since its start ("1h40m"); one with
// `start: "22:00"` reads the time of day ("23:40"), so that the evening peak and midnight are where the clock says.
// Tick times stay seconds since the start everywhere; only what a person reads changes.

#include <optional>
#include <string>
#include <string_view>

#include "shardsim/common/result.h"

namespace shardsim {

// "22:00" or "22:00:30" (24-hour clock, two-digit minutes and seconds) -> s after midnight, in [0, 86400).
Result<double> parseTimeOfDay(std::string_view text);
// s after midnight (wrapping at 24h) -> "22:00", or "22:00:30" when the second is not whole minutes.
std::string formatTimeOfDay(double seconds);

class RunClock {
public:
    RunClock() = default; // time since the start
    // `start`: s after midnight of the run's first moment; none reads time since the start. `duration`: s; a run
    // longer than a day names the day of each moment ("day 2 00:00"), a shorter one just the time of day.
    RunClock(std::optional<double> start, double duration);

    bool onClock() const { return m_start.has_value(); }
    const std::optional<double>& start() const { return m_start; }
    bool showsDay() const { return m_showsDay; }

    // The moment `elapsed` s after the start as a person reads it: "23:40" on the clock, "1h40m" without.
    std::string format(double elapsed) const;
    // The first moment at or after the start that the clock shows as `secondsOfDay` (s after midnight), in s since
    // the start; on the day `day` (1 = the run's first) when given. Without a start, `secondsOfDay` itself.
    double elapsedAt(double secondsOfDay, int day = 0) const;

private:
    std::optional<double> m_start;
    bool m_showsDay = false;
};

} // namespace shardsim
