#pragma once
// Text from a scenario reaches terminals and tables; these keep it from carrying control sequences there. An escape
// sequence in a name could rewrite the terminal; a right-to-left override could make a report say the opposite.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shardsim {

// One UTF-8 character of `text` starting at byte `i`: its code point and length in bytes; length 0 when the bytes
// there are not UTF-8 (a stray continuation byte, a sequence cut short, an overlong form, a surrogate).
struct Utf8Character {
    uint32_t code = 0;
    std::size_t length = 0;
};
Utf8Character decodeUtf8(std::string_view text, std::size_t i);

// The first character of `text` that must not be shown raw, as "U+001B", "U+202E" or "the byte 0xFF": C0 and C1
// control characters, DEL, bytes that are not UTF-8, and the invisible format characters that hide or reorder text
// (zero-width spaces and joiners, bidirectional marks, overrides and isolates, the byte order mark). Characters in
// `allowed` (such as "\n\t" for a description) pass. nullopt when every character is printable.
std::optional<std::string> firstUnprintable(std::string_view text, std::string_view allowed = {});

// `text` with every such character written as an escape (`\x1b`, `\u{202e}`), so a message can quote it safely.
std::string escapeUnprintable(std::string_view text);

} // namespace shardsim
