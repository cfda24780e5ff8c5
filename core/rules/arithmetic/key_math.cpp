#include "rules/arithmetic/key_math.h"

#include <charconv>
#include <fmt/format.h>

#include "shardsim/common/units.h"

namespace shardsim::rules {

std::optional<WideInt> wideValue(const Key& key)
{
    switch (key.type) {
    case KeyType::Int32:
    case KeyType::Int64:
        return WideInt(key.i);
    case KeyType::UInt64:
        return WideInt(key.u);
    case KeyType::String:
    case KeyType::Bytes:
        break;
    }
    return std::nullopt;
}

WideInt floorDiv(WideInt value, WideInt divisor)
{
    WideInt quotient = value / divisor;
    if (value % divisor != 0 && value < 0)
        --quotient;
    return quotient;
}

WideInt floorMod(WideInt value, WideInt divisor)
{
    WideInt remainder = value % divisor;
    if (remainder < 0)
        remainder += divisor;
    return remainder;
}

std::string toString(WideInt value)
{
    if (value == 0)
        return "0";
    const bool negative = value < 0;
    // Work on the negative side so the most negative value needs no special case.
    if (!negative)
        value = -value;
    std::string digits;
    while (value != 0) {
        digits.insert(digits.begin(), static_cast<char>('0' - static_cast<int>(value % 10)));
        value /= 10;
    }
    return negative ? "-" + digits : digits;
}

std::string compactCount(int64_t value)
{
    struct Suffix {
        int64_t factor;
        char letter;
    };
    static constexpr Suffix kSuffixes[]
        = { { 1'000'000'000'000, 'T' }, { 1'000'000'000, 'B' }, { 1'000'000, 'M' }, { 1'000, 'K' } };
    for (const Suffix& suffix : kSuffixes) {
        if (value != 0 && value % suffix.factor == 0)
            return fmt::format("{}{}", value / suffix.factor, suffix.letter);
    }
    return std::to_string(value);
}

Result<int64_t> parseIntegerText(std::string_view text)
{
    std::string digits;
    for (char c : text) {
        if (c != '_')
            digits += c;
    }
    int64_t value = 0;
    const char* begin = digits.data();
    const char* end = digits.data() + digits.size();
    if (begin != end && *begin == '+')
        ++begin;
    const auto [stop, error] = std::from_chars(begin, end, value);
    if (error == std::errc() && stop == end && begin != end)
        return value;
    if (error == std::errc::result_out_of_range)
        return fail(fmt::format("'{}' is outside the 64-bit integer range", text));
    // Suffixed counts (10M); the sign is handled here because counts themselves are never negative.
    const bool negative = !text.empty() && text.front() == '-';
    auto count = units::parseCount(negative ? text.substr(1) : text);
    if (!count)
        return fail(count.error());
    return negative ? -*count : *count;
}

std::string plainShardName(int index) { return "shard-" + std::to_string(index); }

} // namespace shardsim::rules
