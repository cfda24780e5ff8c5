#include "shardsim/common/run_clock.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "shardsim/common/units.h"

namespace shardsim {

namespace {

    constexpr double kDay = 86'400;

    // Exactly `digits` ASCII digits (or 1-2 for the hour), parsed.
    std::optional<int> field(std::string_view text, size_t minDigits, size_t maxDigits)
    {
        if (text.size() < minDigits || text.size() > maxDigits)
            return std::nullopt;
        int value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size())
            return std::nullopt;
        return value;
    }

} // namespace

Result<double> parseTimeOfDay(std::string_view text)
{
    const auto wrong = [&](std::string_view why) {
        return fail(fmt::format("'{}' is not a time of day: {}; write the 24-hour clock, e.g. \"22:00\" or "
                                "\"07:30:15\"",
            text, why));
    };
    const size_t colon = text.find(':');
    if (colon == std::string_view::npos)
        return wrong("expected HH:MM");
    const std::string_view hoursText = text.substr(0, colon);
    std::string_view minutesText = text.substr(colon + 1);
    std::string_view secondsText;
    if (const size_t second = minutesText.find(':'); second != std::string_view::npos) {
        secondsText = minutesText.substr(second + 1);
        minutesText = minutesText.substr(0, second);
        if (secondsText.empty())
            return wrong("nothing after the second ':'");
    }
    const auto hours = field(hoursText, 1, 2);
    const auto minutes = field(minutesText, 2, 2);
    const auto seconds = secondsText.empty() ? std::optional<int>(0) : field(secondsText, 2, 2);
    if (!hours || !minutes || !seconds)
        return wrong("expected HH:MM or HH:MM:SS with digits only");
    if (*hours > 23)
        return wrong("the hour is 0 to 23");
    if (*minutes > 59 || *seconds > 59)
        return wrong("minutes and seconds are 00 to 59");
    return *hours * 3600.0 + *minutes * 60.0 + *seconds;
}

std::string formatTimeOfDay(double seconds)
{
    auto whole = static_cast<int64_t>(std::llround(seconds)) % static_cast<int64_t>(kDay);
    if (whole < 0)
        whole += static_cast<int64_t>(kDay);
    const int64_t hours = whole / 3600, minutes = whole / 60 % 60, secs = whole % 60;
    return secs == 0 ? fmt::format("{:02}:{:02}", hours, minutes)
                     : fmt::format("{:02}:{:02}:{:02}", hours, minutes, secs);
}

RunClock::RunClock(std::optional<double> start, double duration)
    : m_start(start)
    , m_showsDay(start && duration > kDay)
{
}

std::string RunClock::format(double elapsed) const
{
    if (!m_start)
        return units::formatDuration(elapsed);
    const double at = *m_start + std::round(elapsed);
    const std::string time = formatTimeOfDay(at);
    if (!m_showsDay)
        return time;
    return fmt::format("day {} {}", static_cast<int64_t>(std::floor(at / kDay)) + 1, time);
}

double RunClock::elapsedAt(double secondsOfDay, int day) const
{
    if (!m_start)
        return secondsOfDay;
    if (day > 0)
        return (day - 1) * kDay + secondsOfDay - *m_start;
    const double after = secondsOfDay - *m_start;
    return after >= 0 ? after : after + kDay;
}

} // namespace shardsim
