#include "shardsim/common/diagnostic.h"

namespace shardsim {

std::string Diagnostic::format() const
{
    std::string out = file.empty() ? std::string("<input>") : file;
    if (line > 0) {
        out += ':' + std::to_string(line);
        if (column > 0)
            out += ':' + std::to_string(column);
    }
    out += ": error: ";
    if (!path.empty())
        out += path + ": ";
    out += message;
    return out;
}

} // namespace shardsim
