#pragma once
// Errors found in a scenario file, each with its place, so a person can go straight to the fault.

#include <string>
#include <vector>

namespace shardsim {

struct Diagnostic {
    std::string file; // as given by the caller; may be empty for in-memory text
    int line = 0; // 1-based; 0 when the fault has no place in the text (e.g. the file is missing)
    int column = 0; // 1-based
    std::string path; // field path such as "cluster.nodes" or "data.tables[1].rows"; may be empty
    std::string message;

    // "FILE:LINE:COL: error: PATH: MESSAGE" — the format compilers use, so editors can jump to it.
    std::string format() const;
};

using Diagnostics = std::vector<Diagnostic>;

} // namespace shardsim
