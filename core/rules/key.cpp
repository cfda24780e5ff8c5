#include "shardsim/rules/key.h"

#include <charconv>
#include <fmt/format.h>
#include <limits>

namespace shardsim {

std::string_view keyTypeName(KeyType type)
{
    switch (type) {
    case KeyType::Int32:
        return "int32";
    case KeyType::Int64:
        return "int64";
    case KeyType::UInt64:
        return "uint64";
    case KeyType::String:
        return "string";
    case KeyType::Bytes:
        return "bytes";
    }
    return "?";
}

std::optional<int64_t> Key::asInt64() const
{
    switch (type) {
    case KeyType::Int32:
    case KeyType::Int64:
        return i;
    case KeyType::UInt64:
        if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            return static_cast<int64_t>(u);
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

std::string Key::display() const
{
    if (type != KeyType::Bytes)
        return text();
    std::string hex = "0x";
    for (unsigned char c : bytes)
        hex += fmt::format("{:02x}", c);
    return hex;
}

std::string Key::text() const
{
    switch (type) {
    case KeyType::Int32:
    case KeyType::Int64:
        return std::to_string(i);
    case KeyType::UInt64:
        return std::to_string(u);
    case KeyType::String:
    case KeyType::Bytes:
        break;
    }
    return bytes;
}

Result<KeyParseMode> parseKeyParseMode(std::string_view name)
{
    if (name == "auto")
        return KeyParseMode::Auto;
    if (name == "int32")
        return KeyParseMode::Int32;
    if (name == "int64")
        return KeyParseMode::Int64;
    if (name == "uint64")
        return KeyParseMode::UInt64;
    if (name == "string")
        return KeyParseMode::String;
    if (name == "hex" || name == "bytes")
        return KeyParseMode::Hex;
    return fail(fmt::format("unknown key type '{}'; expected auto, int32, int64, uint64, string or hex", name));
}

namespace {

    template <typename T>
    std::optional<T> parseInteger(std::string_view text)
    {
        if (text.empty())
            return std::nullopt;
        // from_chars rejects a leading '+', which people do type.
        if (text.front() == '+' && text.size() > 1 && text[1] != '-')
            text.remove_prefix(1);
        T value {};
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size())
            return std::nullopt;
        return value;
    }

    Result<Key> parseHex(std::string_view text)
    {
        if (text.starts_with("0x") || text.starts_with("0X"))
            text.remove_prefix(2);
        if (text.size() % 2 != 0)
            return fail(fmt::format("hex key '{}' has an odd number of digits", text));
        std::string bytes;
        for (size_t i = 0; i < text.size(); i += 2) {
            unsigned value = 0;
            const auto [end, error] = std::from_chars(text.data() + i, text.data() + i + 2, value, 16);
            if (error != std::errc() || end != text.data() + i + 2)
                return fail(fmt::format("'{}' is not a hex key", text));
            bytes += static_cast<char>(value);
        }
        return Key::rawBytes(std::move(bytes));
    }

} // namespace

Result<Key> parseKey(std::string_view text, KeyParseMode mode)
{
    switch (mode) {
    case KeyParseMode::Auto:
        if (auto value = parseInteger<int64_t>(text))
            return Key::int64(*value);
        return Key::string(std::string(text));
    case KeyParseMode::Int32:
        if (auto value = parseInteger<int32_t>(text))
            return Key::int32(*value);
        return fail(fmt::format("'{}' is not an int32 (-2147483648..2147483647)", text));
    case KeyParseMode::Int64:
        if (auto value = parseInteger<int64_t>(text))
            return Key::int64(*value);
        return fail(fmt::format("'{}' is not an int64", text));
    case KeyParseMode::UInt64:
        if (auto value = parseInteger<uint64_t>(text))
            return Key::uint64(*value);
        return fail(fmt::format("'{}' is not a uint64 (0..18446744073709551615)", text));
    case KeyParseMode::String:
        return Key::string(std::string(text));
    case KeyParseMode::Hex:
        return parseHex(text);
    }
    return fail("unknown key type");
}

} // namespace shardsim
