#include "shardsim/common/units.h"

#include <array>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <limits>
#include <utility>

namespace shardsim::units {

namespace {

    struct Suffix {
        std::string_view text;
        double factor;
    };

    std::string quoted(std::string_view text) { return fmt::format("'{}'", text); }

    // Splits "1.5GiB" into the number and what follows it. The number may carry `_` separators.
    Result<std::pair<double, std::string_view>> splitNumber(std::string_view text)
    {
        size_t begin = 0;
        while (begin < text.size() && (text[begin] == ' ' || text[begin] == '\t'))
            ++begin;
        size_t end = text.size();
        while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t'))
            --end;
        text = text.substr(begin, end - begin);

        std::string digits;
        size_t i = 0;
        if (i < text.size() && (text[i] == '-' || text[i] == '+'))
            digits += text[i++];
        bool sawDigit = false;
        bool sawDot = false;
        bool lastWasSeparator = false;
        for (; i < text.size(); ++i) {
            const char c = text[i];
            if (c >= '0' && c <= '9') {
                digits += c;
                sawDigit = true;
                lastWasSeparator = false;
            } else if (c == '_' && sawDigit && !lastWasSeparator) {
                lastWasSeparator = true;
            } else if (c == '.' && !sawDot && !lastWasSeparator) {
                digits += c;
                sawDot = true;
            } else if ((c == 'e' || c == 'E') && sawDigit && i + 1 < text.size()
                && ((text[i + 1] >= '0' && text[i + 1] <= '9') || text[i + 1] == '-' || text[i + 1] == '+')) {
                // An exponent (1e6) — only when followed by digits, so "1EB" is not misread.
                size_t j = i + 1;
                std::string exponent(1, 'e');
                if (text[j] == '-' || text[j] == '+')
                    exponent += text[j++];
                const size_t firstDigit = j;
                while (j < text.size() && text[j] >= '0' && text[j] <= '9')
                    exponent += text[j++];
                if (j == firstDigit)
                    break;
                digits += exponent;
                i = j;
                break;
            } else {
                break;
            }
        }
        if (!sawDigit || lastWasSeparator)
            return fail(fmt::format("expected a number, got {}", quoted(text)));
        char* parsedEnd = nullptr;
        const double value = std::strtod(digits.c_str(), &parsedEnd);
        if (parsedEnd != digits.c_str() + digits.size() || !std::isfinite(value))
            return fail(fmt::format("expected a finite number, got {}", quoted(text)));
        return std::pair { value, text.substr(i) };
    }

    template <size_t N>
    Result<double> withSuffix(std::string_view text, const std::array<Suffix, N>& suffixes, std::string_view what,
        std::string_view example, bool unitRequired)
    {
        auto split = splitNumber(text);
        if (!split)
            return fail(fmt::format("expected {} like {}, got {}", what, example, quoted(text)));
        auto [number, rest] = *split;
        while (!rest.empty() && rest.front() == ' ')
            rest.remove_prefix(1);
        if (rest.empty()) {
            if (unitRequired)
                return fail(fmt::format("{} needs a unit, like {} (got {})", what, example, quoted(text)));
            return number;
        }
        for (const Suffix& suffix : suffixes) {
            if (rest == suffix.text) {
                const double value = number * suffix.factor;
                if (!std::isfinite(value))
                    return fail(fmt::format("{} is too large: {}", what, quoted(text)));
                return value;
            }
        }
        return fail(fmt::format("unknown unit {} in {}; expected {} like {}", quoted(rest), quoted(text), what, example));
    }

    constexpr std::array kDurationUnits {
        Suffix { "us", 1e-6 },
        Suffix { "\u00b5s", 1e-6 }, // micro sign
        Suffix { "\u03bcs", 1e-6 }, // Greek mu, which keyboards often give for the same
        Suffix { "ms", 1e-3 },
        Suffix { "s", 1.0 },
        Suffix { "m", 60.0 },
        Suffix { "min", 60.0 },
        Suffix { "h", 3600.0 },
        Suffix { "d", 86400.0 },
        Suffix { "day", 86400.0 },
        Suffix { "days", 86400.0 },
        Suffix { "w", 7 * 86400.0 },
        Suffix { "y", 365 * 86400.0 },
    };

    constexpr std::array kSizeUnits {
        Suffix { "B", 1.0 },
        Suffix { "KB", 1e3 },
        Suffix { "MB", 1e6 },
        Suffix { "GB", 1e9 },
        Suffix { "TB", 1e12 },
        Suffix { "PB", 1e15 },
        Suffix { "KiB", 1024.0 },
        Suffix { "MiB", 1024.0 * 1024 },
        Suffix { "GiB", 1024.0 * 1024 * 1024 },
        Suffix { "TiB", 1024.0 * 1024 * 1024 * 1024 },
        Suffix { "PiB", 1024.0 * 1024 * 1024 * 1024 * 1024 },
    };

    constexpr std::array kCountUnits {
        Suffix { "K", 1e3 },
        Suffix { "M", 1e6 },
        Suffix { "B", 1e9 },
        Suffix { "T", 1e12 },
    };

    constexpr std::array kPerUnits {
        Suffix { "s", 1.0 },
        Suffix { "sec", 1.0 },
        Suffix { "min", 60.0 },
        Suffix { "m", 60.0 },
        Suffix { "h", 3600.0 },
        Suffix { "hour", 3600.0 },
        Suffix { "d", 86400.0 },
        Suffix { "day", 86400.0 },
    };

    constexpr std::array kGrowthPeriods {
        Suffix { "day", 1.0 / 365 },
        Suffix { "month", 1.0 / 12 },
        Suffix { "quarter", 1.0 / 4 },
        Suffix { "year", 1.0 },
    };

    Result<double> perPeriod(std::string_view text, std::string_view what, std::string_view example,
        Result<double> (*amount)(std::string_view))
    {
        const size_t slash = text.rfind('/');
        if (slash == std::string_view::npos)
            return fail(fmt::format("expected {} like {}, got {}", what, example, quoted(text)));
        auto value = amount(text.substr(0, slash));
        if (!value)
            return fail(fmt::format("expected {} like {}, got {}", what, example, quoted(text)));
        const std::string_view period = text.substr(slash + 1);
        for (const Suffix& unit : kPerUnits) {
            if (period == unit.text)
                return *value / unit.factor;
        }
        return fail(fmt::format("unknown period {} in {}; use /s, /min, /h or /day", quoted(period), quoted(text)));
    }

    Result<double> countAsDouble(std::string_view text)
    {
        auto count = withSuffix(text, kCountUnits, "a count", "50M", false);
        if (!count)
            return count;
        if (*count < 0)
            return fail(fmt::format("must not be negative (got {})", quoted(text)));
        return count;
    }

    Result<double> sizeOf(std::string_view text) { return parseSize(text); }

} // namespace

Result<double> parseNumber(std::string_view text)
{
    auto split = splitNumber(text);
    if (!split)
        return fail(split.error());
    if (!split->second.empty())
        return fail(fmt::format("expected a number, got {}", quoted(text)));
    return split->first;
}

Result<double> parseDuration(std::string_view text)
{
    auto seconds = withSuffix(text, kDurationUnits, "a duration", "30s, 10m or 2h", true);
    if (seconds && *seconds < 0)
        return fail(fmt::format("a duration must not be negative (got {})", quoted(text)));
    return seconds;
}

Result<double> parseSize(std::string_view text)
{
    auto bytes = withSuffix(text, kSizeUnits, "a size", "512B, 4KB or 2GiB", true);
    if (bytes && *bytes < 0)
        return fail(fmt::format("a size must not be negative (got {})", quoted(text)));
    return bytes;
}

Result<int64_t> parseCount(std::string_view text)
{
    auto value = countAsDouble(text);
    if (!value)
        return fail(value.error());
    // 9.2e18 is where int64 ends; anything near it is not a count anybody means.
    if (*value >= 9.0e18)
        return fail(fmt::format("count is too large: {}", quoted(text)));
    const double rounded = std::round(*value);
    if (std::abs(rounded - *value) > 1e-6 * std::max(1.0, std::abs(*value)))
        return fail(fmt::format("expected a whole count, got {}", quoted(text)));
    return static_cast<int64_t>(rounded);
}

Result<double> parseRate(std::string_view text) { return perPeriod(text, "a rate", "50K/s or 2M/day", countAsDouble); }

Result<double> parseByteRate(std::string_view text)
{
    return perPeriod(text, "a bandwidth", "100MB/s", sizeOf);
}

Result<double> parseMultiplier(std::string_view text)
{
    auto split = splitNumber(text);
    if (!split || split->second != "x")
        return fail(fmt::format("expected a multiplier like 30x, got {}", quoted(text)));
    if (split->first < 0)
        return fail(fmt::format("a multiplier must not be negative (got {})", quoted(text)));
    return split->first;
}

Result<double> parsePercent(std::string_view text)
{
    auto split = splitNumber(text);
    if (!split || split->second != "%")
        return fail(fmt::format("expected a percentage like 70%, got {}", quoted(text)));
    return split->first / 100.0;
}

Result<double> parseGrowth(std::string_view text)
{
    const size_t slash = text.rfind('/');
    if (slash == std::string_view::npos)
        return fail(fmt::format("expected a growth rate like 50%/year, got {}", quoted(text)));
    auto fraction = parsePercent(text.substr(0, slash));
    if (!fraction)
        return fail(fmt::format("expected a growth rate like 50%/year, got {}", quoted(text)));
    if (*fraction <= -1.0)
        return fail(fmt::format("a growth rate must be above -100% (got {})", quoted(text)));
    const std::string_view period = text.substr(slash + 1);
    for (const Suffix& unit : kGrowthPeriods) {
        if (period == unit.text) {
            // Compounding: (1 + g)^(periods per year) - 1.
            const double yearly = std::pow(1.0 + *fraction, 1.0 / unit.factor) - 1.0;
            if (!std::isfinite(yearly))
                return fail(fmt::format("growth rate is too large: {}", quoted(text)));
            return yearly;
        }
    }
    return fail(fmt::format("unknown period {} in {}; use /day, /month, /quarter or /year", quoted(period),
        quoted(text)));
}

std::string formatDuration(double seconds)
{
    if (seconds == 0)
        return "0s";
    if (std::abs(seconds) < 1e-3)
        return fmt::format("{:g}\u00b5s", seconds * 1e6);
    if (std::abs(seconds) < 1.0)
        return fmt::format("{:g}ms", seconds * 1e3);
    if (seconds < 60.0)
        return fmt::format("{:g}s", seconds);
    // From the largest unit present down to the smallest that is not zero: 2h, 1h30m, 1h0m30s, 3d12h.
    constexpr std::array<std::pair<const char*, double>, 4> kParts { { { "d", 86400.0 }, { "h", 3600.0 },
        { "m", 60.0 }, { "s", 1.0 } } };
    std::string out;
    double rest = seconds;
    for (size_t i = 0; i < kParts.size(); ++i) {
        const auto& [name, size] = kParts[i];
        const bool last = i + 1 == kParts.size();
        const double whole = last ? rest : std::floor(rest / size + 1e-9);
        rest -= whole * size;
        if (!out.empty() || whole > 0)
            out += last ? fmt::format("{:g}{}", std::round(whole * 1000) / 1000, name) : fmt::format("{:g}{}", whole, name);
        if (rest < 1e-6 * seconds)
            break;
    }
    return out;
}

namespace {

    // `value` rounded to three significant digits, as "{:.3g}" prints it (the locale never enters).
    double roundedTo3Digits(double value)
    {
        if (value == 0)
            return 0;
        const double scale = std::pow(10.0, std::floor(std::log10(std::abs(value))) - 2);
        return std::round(value / scale) * scale;
    }

    // Three significant digits in the largest unit that keeps the value below 1000 once rounded: 999,950 is
    // "1M", not "1e+03K". Past the largest unit the digits are written out ("1000T"), never an exponent.
    template <std::size_t N>
    std::string withUnit(double value, const std::array<const char*, N>& names, std::string_view separator)
    {
        if (!std::isfinite(value))
            return fmt::format("{}", value);
        std::size_t unit = 0;
        while (unit + 1 < names.size() && std::abs(roundedTo3Digits(value)) >= 1000.0) {
            value /= 1000.0;
            ++unit;
        }
        if (std::abs(value) >= 999.5)
            return fmt::format("{:.0f}{}{}", value, separator, names[unit]);
        return fmt::format("{:.3g}{}{}", value, separator, names[unit]);
    }

} // namespace

std::string formatSize(double bytes)
{
    return withUnit(bytes, std::array<const char*, 7> { "B", "KB", "MB", "GB", "TB", "PB", "EB" }, " ");
}

std::string formatCount(double count)
{
    return withUnit(count, std::array<const char*, 5> { "", "K", "M", "B", "T" }, "");
}

} // namespace shardsim::units
