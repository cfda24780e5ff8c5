#pragma once
// What stands between a path and reading it as an input file (scenario, trace, sample, directory CSV).
// Checked with stat before anything opens the file, so a FIFO never blocks and /dev/zero never fills memory.

#include <string>

namespace shardsim {

// Empty when `path` is a regular file (symbolic links followed); otherwise what it is instead, ready to follow
// the path in a message: "does not exist", "is a directory", "is not a regular file (it is a FIFO)".
std::string inputFileProblem(const std::string& path);

} // namespace shardsim
