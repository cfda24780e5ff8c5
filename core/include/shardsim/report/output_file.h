#pragma once
// A file written whole or not at all. The bytes go to a temporary name beside the target (".NAME.partial-PID"),
// and commit() renames it over NAME once every byte is on disk. A write error, or an OutputFile dropped before
// commit() (an interrupted run), removes the temporary file: NAME is never left truncated and no temporary file
// is left behind. Errors name the target file: "cannot write out/nodes.csv: No space left on device".

#include <cstdio>
#include <string>
#include <string_view>

#include "shardsim/common/result.h"

namespace shardsim {

class OutputFile {
public:
    static Result<OutputFile> create(const std::string& path);
    OutputFile(OutputFile&& other) noexcept;
    OutputFile& operator=(OutputFile&& other) noexcept;
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    ~OutputFile(); // discards an uncommitted file

    // Appends bytes; the first failure is kept for commit() to report.
    void write(std::string_view bytes);
    // Where write() goes; null once committed or discarded.
    std::FILE* stream() const { return m_file; }
    const std::string& path() const { return m_path; }
    const std::string& temporaryPath() const { return m_temporary; }

    // Flushes, syncs and closes the temporary file and renames it to path(). On failure the temporary file is
    // removed and the error says which file and why.
    Result<bool> commit();
    // Removes the temporary file; path() is untouched.
    void discard();

private:
    OutputFile(std::string path, std::string temporary, std::FILE* file);

    std::string m_path;
    std::string m_temporary;
    std::FILE* m_file = nullptr;
    int m_error = 0; // errno of the first failed write
};

// Writes text to `path` through an OutputFile: the file is replaced whole or not at all.
Result<bool> writeFileAtomically(const std::string& path, const std::string& text);

} // namespace shardsim
