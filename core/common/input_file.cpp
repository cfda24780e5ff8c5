#include "shardsim/common/input_file.h"

#include <filesystem>

namespace shardsim {

std::string inputFileProblem(const std::string& path)
{
    namespace fs = std::filesystem;
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    switch (status.type()) {
    case fs::file_type::regular:
        return {};
    case fs::file_type::not_found:
        return "does not exist";
    case fs::file_type::directory:
        return "is a directory";
    case fs::file_type::fifo:
        return "is not a regular file (it is a FIFO)";
    case fs::file_type::character:
        return "is not a regular file (it is a character device)";
    case fs::file_type::block:
        return "is not a regular file (it is a block device)";
    case fs::file_type::socket:
        return "is not a regular file (it is a socket)";
    default:
        break;
    }
    if (error)
        return "cannot be read: " + error.message();
    return "is not a regular file";
}

} // namespace shardsim
