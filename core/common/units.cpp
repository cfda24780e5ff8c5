#include "shardsim/common/units.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <limits>
#include <optional>
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

    std::string_view trimmedDuration(std::string_view text)
    {
        while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
            text.remove_prefix(1);
        while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
            text.remove_suffix(1);
        return text;
    }

    // A duration unit runs up to the next part's number (the `30` of 1h30m) or the end.
    size_t unitLength(std::string_view text)
    {
        size_t length = 0;
        while (length < text.size()) {
            const char c = text[length];
            if ((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == ' ' || c == '\t')
                break;
            ++length;
        }
        return length;
    }

    // The sum of a duration's parts (1h0m30.123s) with one rounding, so that printed parts read back as the very
    // duration that was printed: each part is a decimal times a unit of whole microseconds, summed as integers.
    class ExactSum {
    public:
        void add(std::string_view number, double factor)
        {
            const auto micros = static_cast<int64_t>(std::llround(factor * 1e6));
            std::string digits;
            int decimals = -1;
            for (const char c : number) {
                if (c >= '0' && c <= '9') {
                    digits += c;
                    decimals += decimals >= 0 ? 1 : 0;
                } else if (c == '.') {
                    decimals = 0;
                } else if (c != '_') {
                    m_exact = false; // a sign or an exponent: summed as doubles
                }
            }
            decimals = std::max(decimals, 0);
            if (!m_exact || digits.size() > 18 || decimals > 9) {
                m_exact = false;
                return;
            }
            // Bring both to the larger number of decimals; any overflow leaves the doubles' sum.
            int64_t mantissa = std::stoll(digits);
            while (m_decimals < decimals) {
                m_exact = m_exact && !__builtin_mul_overflow(m_sum, int64_t(10), &m_sum);
                ++m_decimals;
            }
            for (int d = decimals; d < m_decimals; ++d)
                m_exact = m_exact && !__builtin_mul_overflow(mantissa, int64_t(10), &mantissa);
            int64_t part = 0;
            m_exact = m_exact && !__builtin_mul_overflow(mantissa, micros, &part)
                && !__builtin_add_overflow(m_sum, part, &m_sum);
        }

        std::optional<double> value() const
        {
            if (!m_exact || m_sum >= (int64_t(1) << 53))
                return std::nullopt;
            double scale = 1e6;
            for (int d = 0; d < m_decimals; ++d)
                scale *= 10;
            return static_cast<double>(m_sum) / scale;
        }

    private:
        int64_t m_sum = 0; // in 10^-m_decimals microseconds
        int m_decimals = 0;
        bool m_exact = true;
    };

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
    // One number with its unit (1.5h, 500ms), or whole parts from the largest unit down (1h30m, 2d3h, 1h0m30s):
    // the form formatDuration prints, so that what the tool prints can be written back.
    constexpr std::string_view kExample = "30s, 10m or 2h";
    std::string_view rest = trimmedDuration(text);
    if (rest.empty())
        return fail(fmt::format("expected a duration like {}, got {}", kExample, quoted(text)));
    double total = 0;
    double previousFactor = 0;
    ExactSum exact;
    for (int part = 0; !rest.empty(); ++part) {
        if (part > 0 && (rest.front() == '-' || rest.front() == '+'))
            return fail(fmt::format("unexpected sign in {} at {}: each part of a duration is a number and its unit, "
                                    "like 1h30m",
                quoted(text), quoted(rest)));
        auto split = splitNumber(rest);
        if (!split)
            return fail(part == 0 ? fmt::format("expected a duration like {}, got {}", kExample, quoted(text))
                                  : fmt::format("no number at {} in {}; write every part as a number and its unit, "
                                              "like 1h30m",
                                      quoted(rest), quoted(text)));
        auto [number, after] = *split;
        const std::string_view numberText = trimmedDuration(rest.substr(0, rest.size() - after.size()));
        after = trimmedDuration(after);
        const std::string_view unit = after.substr(0, unitLength(after));
        if (unit.empty()) {
            if (part == 0 && after.empty())
                return fail(fmt::format("a duration needs a unit, like {} (got {})", kExample, quoted(text)));
            return fail(fmt::format("missing unit after {} in {}; write every part with its unit, like 1h30m",
                quoted(numberText), quoted(text)));
        }
        const auto found = std::find_if(kDurationUnits.begin(), kDurationUnits.end(),
            [&](const Suffix& suffix) { return suffix.text == unit; });
        if (found == kDurationUnits.end())
            return fail(fmt::format("unknown unit {} in {}; expected a duration like {}", quoted(unit), quoted(text),
                kExample));
        if (part > 0 && found->factor >= previousFactor)
            return fail(fmt::format("the parts of {} must go from the largest unit to the smallest, each once, like "
                                    "1h30m or 2d3h",
                quoted(text)));
        if (number < 0)
            return fail(fmt::format("a duration must not be negative (got {})", quoted(text)));
        total += number * found->factor;
        if (!std::isfinite(total))
            return fail(fmt::format("a duration is too large: {}", quoted(text)));
        exact.add(numberText, found->factor);
        previousFactor = found->factor;
        rest = trimmedDuration(after.substr(unit.size()));
        if (part == 0 && rest.empty())
            return total; // one number and its unit
    }
    return exact.value().value_or(total);
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
    if (seconds >= 9e12) // beyond whole milliseconds in 64 bits: only days are worth printing
        return fmt::format("{:.0f}d", seconds / 86400.0);
    // From the largest unit present down to the smallest that is not zero: 2h, 1h30m, 1h0m30s, 3d12h. The parts are
    // counted in whole milliseconds, so that none rounds up to a full unit (59m60s) and the text reads back as the
    // same duration.
    constexpr std::array<std::pair<const char*, int64_t>, 4> kParts { { { "d", 86'400'000 }, { "h", 3'600'000 },
        { "m", 60'000 }, { "s", 1'000 } } };
    int64_t rest = std::llround(seconds * 1000.0);
    std::string out;
    for (const auto& [name, size] : kParts) {
        const int64_t whole = size == 1'000 ? rest : rest / size;
        rest -= size == 1'000 ? rest : whole * size;
        if (!out.empty() || whole > 0)
            out += size == 1'000 ? fmt::format("{:g}{}", static_cast<double>(whole) / 1000.0, name)
                                 : fmt::format("{}{}", whole, name);
        if (rest == 0)
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
