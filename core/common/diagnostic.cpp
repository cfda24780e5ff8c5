#include "shardsim/common/diagnostic.h"

#include "shardsim/common/printable.h"

namespace shardsim {

std::string Diagnostic::format() const
{
    // Messages quote the input; a control character in it must not reach the terminal as one.
    std::string out = file.empty() ? std::string("<input>") : escapeUnprintable(file);
    if (line > 0) {
        out += ':' + std::to_string(line);
        if (column > 0)
            out += ':' + std::to_string(column);
    }
    out += ": error: ";
    if (!path.empty())
        out += escapeUnprintable(path) + ": ";
    out += escapeUnprintable(message);
    return out;
}

} // namespace shardsim
