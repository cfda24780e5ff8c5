#include "csv_lines.h"

#include <charconv>
#include <filesystem>

#include <fmt/format.h>

#include "shardsim/common/input_file.h"

namespace shardsim::workload {

namespace {

    std::string_view trimmed(std::string_view text)
    {
        const auto first = text.find_first_not_of(" \t\r");
        if (first == std::string_view::npos)
            return {};
        const auto last = text.find_last_not_of(" \t\r");
        return text.substr(first, last - first + 1);
    }

} // namespace

CsvLines::CsvLines(std::string path)
    : m_path(std::move(path))
{
}

Result<CsvLines> CsvLines::open(const std::string& path)
{
    // stat before opening: a FIFO would block and /dev/zero would never end a line.
    std::error_code error;
    if (!std::filesystem::exists(path, error))
        return fail("no such file: " + path);
    if (const std::string problem = inputFileProblem(path); !problem.empty())
        return fail(fmt::format("cannot read {}: it {}", path, problem));
    CsvLines lines(path);
    lines.m_stream.open(path, std::ios::binary);
    if (!lines.m_stream)
        return fail("cannot read " + path);
    return lines;
}

bool CsvLines::next(std::vector<std::string_view>& fields)
{
    while (std::getline(m_stream, m_text)) {
        ++m_line;
        const std::string_view line = trimmed(m_text);
        if (line.empty() || line.front() == '#')
            continue;
        fields.clear();
        std::size_t from = 0;
        while (true) {
            const auto comma = line.find(',', from);
            fields.push_back(trimmed(line.substr(from, comma == std::string_view::npos ? line.npos : comma - from)));
            if (comma == std::string_view::npos)
                break;
            from = comma + 1;
        }
        return true;
    }
    return false;
}

std::string CsvLines::where(std::string_view message) const
{
    return fmt::format("{}:{}: {}", m_path, m_line, message);
}

Result<int64_t> parseIntegerKey(std::string_view text)
{
    int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        return fail(fmt::format("expected an integer key, got '{}'", text));
    return value;
}

} // namespace shardsim::workload
