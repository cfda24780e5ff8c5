// java.time's LocalDateTime as ShardingSphere's datetime algorithms use it: parsing "yyyy-MM-dd HH:mm:ss",
// month arithmetic, the numeric fields of DateTimeFormatter patterns, and the time inside a Snowflake id.

#include <cmath>
#include <fmt/format.h>

#include "rules/systems/middleware_formulas.h"

namespace shardsim::rules::systems {

namespace {

    constexpr int64_t kSecondsPerDay = 86400;

    struct Civil {
        int64_t year = 1970;
        int month = 1; // 1..12
        int day = 1; // 1..31
        int64_t secondOfDay = 0;
    };

    int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

    bool isLeap(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

    int daysInMonth(int64_t year, int month)
    {
        static constexpr int kDays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        return month == 2 && isLeap(year) ? 29 : kDays[month - 1];
    }

    // Days since 1970-01-01 of a proleptic Gregorian date, counted in 400-year eras of 146097 days whose years
    // start in March, so the leap day is the last day of its year.
    int64_t daysFromCivil(int64_t year, int month, int day)
    {
        const int64_t y = year - (month <= 2 ? 1 : 0);
        const int64_t era = floorDiv(y, 400);
        const int64_t yearOfEra = y - era * 400;
        const int64_t dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        const int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    Civil civilFromSeconds(int64_t seconds)
    {
        Civil out;
        const int64_t days = floorDiv(seconds, kSecondsPerDay);
        out.secondOfDay = seconds - days * kSecondsPerDay;
        const int64_t shifted = days + 719468;
        const int64_t era = floorDiv(shifted, 146097);
        const int64_t dayOfEra = shifted - era * 146097;
        const int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        const int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        const int64_t shiftedMonth = (5 * dayOfYear + 2) / 153; // 0 = March
        out.day = static_cast<int>(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        out.month = static_cast<int>(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        out.year = yearOfEra + era * 400 + (out.month <= 2 ? 1 : 0);
        return out;
    }

    int64_t secondsFromCivil(const Civil& civil)
    {
        return daysFromCivil(civil.year, civil.month, civil.day) * kSecondsPerDay + civil.secondOfDay;
    }

    // Reads `width` decimal digits at `pos`; -1 if any is not a digit.
    int64_t digitsAt(std::string_view text, size_t pos, size_t width)
    {
        int64_t value = 0;
        for (size_t i = pos; i < pos + width; ++i) {
            if (text[i] < '0' || text[i] > '9')
                return -1;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    }

} // namespace

Result<int64_t> parseLocalDateTime(std::string_view text)
{
    constexpr std::string_view kShape = "yyyy-MM-dd HH:mm:ss";
    const auto malformed = [&] {
        return fail(fmt::format("'{}' is not a date-time written {} (e.g. 2026-11-11 00:00:00)", text, kShape));
    };
    if (text.size() < kShape.size())
        return malformed();
    for (size_t i = 0; i < kShape.size(); ++i) {
        const char want = kShape[i];
        if ((want == '-' || want == ' ' || want == ':') && text[i] != want)
            return malformed();
    }
    const int64_t year = digitsAt(text, 0, 4);
    const int64_t month = digitsAt(text, 5, 2);
    const int64_t day = digitsAt(text, 8, 2);
    const int64_t hour = digitsAt(text, 11, 2);
    const int64_t minute = digitsAt(text, 14, 2);
    const int64_t second = digitsAt(text, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59)
        return malformed();
    Civil civil;
    civil.year = year;
    civil.month = static_cast<int>(month);
    civil.day = std::min(static_cast<int>(day), daysInMonth(year, civil.month));
    civil.secondOfDay = hour * 3600 + minute * 60 + second;
    return secondsFromCivil(civil);
}

std::string formatLocalDateTime(int64_t seconds)
{
    const Civil civil = civilFromSeconds(seconds);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", civil.year, civil.month, civil.day,
        civil.secondOfDay / 3600, civil.secondOfDay / 60 % 60, civil.secondOfDay % 60);
}

int64_t plusMonths(int64_t seconds, int64_t months)
{
    Civil civil = civilFromSeconds(seconds);
    const int64_t total = civil.year * 12 + (civil.month - 1) + months;
    civil.year = floorDiv(total, 12);
    civil.month = static_cast<int>(total - civil.year * 12) + 1;
    civil.day = std::min(civil.day, daysInMonth(civil.year, civil.month));
    return secondsFromCivil(civil);
}

Result<DateTimePattern> DateTimePattern::parse(std::string_view pattern)
{
    DateTimePattern out;
    out.m_text = std::string(pattern);
    if (pattern.empty())
        return fail("the suffix pattern is empty");
    for (size_t i = 0; i < pattern.size();) {
        const char c = pattern[i];
        if (c == '\'') {
            // Quoted text; '' is a quote.
            std::string literal;
            size_t j = i + 1;
            for (;; ++j) {
                if (j >= pattern.size())
                    return fail(fmt::format("suffix pattern '{}' has an unclosed quote", pattern));
                if (pattern[j] == '\'') {
                    if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
                        literal += '\'';
                        ++j;
                        continue;
                    }
                    break;
                }
                literal += pattern[j];
            }
            out.m_fields.push_back({ 0, 0, literal.empty() ? "'" : literal });
            i = j + 1;
            continue;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            size_t j = i;
            while (j < pattern.size() && pattern[j] == c)
                ++j;
            const int width = static_cast<int>(j - i);
            const bool known = c == 'y' || c == 'u'
                || ((c == 'M' || c == 'Q' || c == 'q' || c == 'd' || c == 'H' || c == 'm' || c == 's') && width <= 2);
            if (!known)
                return fail(fmt::format("suffix pattern '{}': '{}' is not supported; use the numeric fields yyyy yy "
                                        "MM M QQ Q dd d HH H mm m ss s, punctuation and 'quoted text'",
                    pattern, std::string(pattern.substr(i, j - i))));
            out.m_fields.push_back({ c == 'u' ? 'y' : (c == 'q' ? 'Q' : c), width, {} });
            i = j;
            continue;
        }
        if (c == '[' || c == ']' || c == '{' || c == '}' || c == '#')
            return fail(fmt::format("suffix pattern '{}': '{}' is reserved in DateTimeFormatter", pattern, c));
        out.m_fields.push_back({ 0, 0, std::string(1, c) });
        ++i;
    }
    return out;
}

std::string DateTimePattern::format(int64_t seconds) const
{
    const Civil civil = civilFromSeconds(seconds);
    std::string out;
    for (const Field& field : m_fields) {
        int64_t value = 0;
        switch (field.letter) {
        case 0:
            out += field.literal;
            continue;
        case 'y':
            // "yy" is the two-digit reduced year; other widths pad the full year.
            value = field.width == 2 ? ((civil.year % 100) + 100) % 100 : civil.year;
            break;
        case 'M':
            value = civil.month;
            break;
        case 'Q':
            value = (civil.month - 1) / 3 + 1;
            break;
        case 'd':
            value = civil.day;
            break;
        case 'H':
            value = civil.secondOfDay / 3600;
            break;
        case 'm':
            value = civil.secondOfDay / 60 % 60;
            break;
        case 's':
            value = civil.secondOfDay % 60;
            break;
        }
        out += fmt::format("{:0{}}", value, field.width);
    }
    return out;
}

int64_t snowflakeSeconds(int64_t id)
{
    const int64_t millis = (id >> 22) + kShardingSphereSnowflakeEpochMs;
    return floorDiv(millis, 1000);
}

int autoIntervalTable(int64_t seconds, int64_t shardingSeconds, int tables)
{
    // DecimalFormat("0.00") rounds the double quotient to two decimals, then Math.ceil: a fractional part up to
    // 0.005 rounds down onto the integer (so it stays there), anything above goes to the next integer. The
    // comparison with 0.005 is exact in long double (53 + 8 bits fit in its 64-bit mantissa).
    const double quotient = static_cast<double>(seconds) / static_cast<double>(shardingSeconds);
    const double whole = std::floor(quotient);
    const double fraction = quotient - whole;
    const double ceiled = static_cast<long double>(fraction) * 200 > 1 ? whole + 1 : whole;
    if (ceiled <= 0)
        return 0;
    return ceiled >= tables - 1 ? tables - 1 : static_cast<int>(ceiled);
}

} // namespace shardsim::rules::systems
