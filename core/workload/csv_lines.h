#pragma once
// Internal: line-by-line reading of the small CSV files a workload replays (trace and sample keys). Plain comma
// separated fields, no quoting: keys, numbers and operation names never need it. Blank lines and lines starting
// with `#` are skipped; every problem names the file and its 1-based line, like a compiler would.

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/common/result.h"

namespace shardsim::workload {

class CsvLines {
public:
    // Fails with "no such file", "cannot read PATH: it is a directory" (or not a regular file) or "cannot read".
    static Result<CsvLines> open(const std::string& path);

    // The next data line's fields, trimmed; false at the end of the file.
    bool next(std::vector<std::string_view>& fields);
    int line() const { return m_line; }
    // "path:line: message" for the line last returned.
    std::string where(std::string_view message) const;

private:
    explicit CsvLines(std::string path);

    std::string m_path;
    std::ifstream m_stream;
    std::string m_text;
    int m_line = 0;
};

// Integer keys as written, "-12" and "9527"; no units, no separators.
Result<int64_t> parseIntegerKey(std::string_view text);

} // namespace shardsim::workload
