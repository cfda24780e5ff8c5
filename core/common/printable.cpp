#include "shardsim/common/printable.h"

#include <cstdint>

#include <fmt/format.h>

namespace shardsim {

Utf8Character decodeUtf8(std::string_view text, std::size_t i)
{
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80)
        return { c, 1 };
    std::size_t length = 0;
    uint32_t min = 0;
    if ((c & 0xE0) == 0xC0) {
        length = 2;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        length = 3;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        length = 4;
        min = 0x10000;
    } else {
        return {};
    }
    if (i + length > text.size())
        return {};
    uint32_t code = c & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[i + k]);
        if ((next & 0xC0) != 0x80)
            return {};
        code = (code << 6) | (next & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        return {};
    return { code, length };
}

namespace {

    bool unprintable(uint32_t code)
    {
        return code < 0x20 || (code >= 0x7F && code <= 0x9F) // C0, DEL, C1
            || code == 0xAD || code == 0x061C || code == 0x180E // soft hyphen, Arabic letter mark, Mongolian vowel separator
            || (code >= 0x200B && code <= 0x200F) // zero-width space, joiners, LRM, RLM
            || (code >= 0x2028 && code <= 0x202E) // line and paragraph separators, bidi embeddings and overrides
            || (code >= 0x2060 && code <= 0x206F) // word joiner, invisible operators, bidi isolates
            || code == 0xFEFF || (code >= 0xFFF9 && code <= 0xFFFB); // byte order mark, interlinear annotations
    }

} // namespace

std::optional<std::string> firstUnprintable(std::string_view text, std::string_view allowed)
{
    for (std::size_t i = 0; i < text.size();) {
        const Utf8Character character = decodeUtf8(text, i);
        if (character.length == 0)
            return fmt::format("the byte 0x{:02X}", static_cast<unsigned char>(text[i]));
        const bool isAllowed = character.length == 1 && allowed.find(text[i]) != std::string_view::npos;
        if (unprintable(character.code) && !isAllowed)
            return fmt::format("U+{:04X}", character.code);
        i += character.length;
    }
    return std::nullopt;
}

std::string escapeUnprintable(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const Utf8Character character = decodeUtf8(text, i);
        if (character.length == 0) {
            out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
            ++i;
            continue;
        }
        if (unprintable(character.code))
            out += character.code < 0x80 ? fmt::format("\\x{:02x}", character.code)
                                         : fmt::format("\\u{{{:04x}}}", character.code);
        else
            out.append(text.substr(i, character.length));
        i += character.length;
    }
    return out;
}

} // namespace shardsim
