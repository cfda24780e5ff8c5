#pragma once
// One CSV field (RFC 4180): quoted, with its quotes doubled, when it holds a separator, a quote or a line break.

#include <string>
#include <string_view>

namespace shardsim {

inline std::string csvField(std::string_view text)
{
    if (text.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(text);
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

} // namespace shardsim
