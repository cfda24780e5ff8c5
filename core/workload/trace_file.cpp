#include "shardsim/workload/trace_file.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "csv_lines.h"
#include "shardsim/common/suggest.h"
#include "shardsim/common/units.h"

namespace shardsim::workload {

namespace {

    // `12.5` is seconds; `1.5s`, `2m` or `1h` carry their unit.
    Result<double> parseTime(std::string_view text)
    {
        if (auto seconds = units::parseNumber(text)) {
            if (*seconds < 0)
                return fail(fmt::format("a time must not be negative, got '{}'", text));
            return *seconds;
        }
        return units::parseDuration(text);
    }

    std::string unknownOperation(std::string_view name, std::span<const OperationConfig> mix)
    {
        std::vector<std::string> names;
        std::string list;
        for (const OperationConfig& op : mix) {
            names.push_back(op.name);
            list += (list.empty() ? "" : ", ") + op.name;
        }
        const std::string suggestion = didYouMean(name, names);
        if (!suggestion.empty())
            return fmt::format("unknown operation '{}'{}", name, suggestion);
        return fmt::format("unknown operation '{}'; the mix has {}", name, list);
    }

} // namespace

TraceReader::TraceReader(std::unique_ptr<CsvLines> lines, std::span<const OperationConfig> mix)
    : m_lines(std::move(lines))
    , m_mix(mix)
{
}

TraceReader::TraceReader(TraceReader&&) noexcept = default;
TraceReader& TraceReader::operator=(TraceReader&&) noexcept = default;
TraceReader::~TraceReader() = default;

Result<TraceReader> TraceReader::open(const std::string& path, std::span<const OperationConfig> mix)
{
    auto lines = CsvLines::open(path);
    if (!lines)
        return fail(lines.error());
    return TraceReader(std::make_unique<CsvLines>(std::move(lines).value()), mix);
}

Result<std::optional<TraceRow>> TraceReader::next()
{
    std::vector<std::string_view> fields;
    CsvLines& lines = *m_lines;
    while (lines.next(fields)) {
        const bool header = m_first && fields.front() == "time";
        m_first = false;
        if (header)
            continue;
        if (fields.size() < 3 || fields.size() > 4)
            return fail(lines.where(fmt::format("expected time,op,key[,table], got {} fields", fields.size())));
        TraceRow row;
        row.line = lines.line();
        auto time = parseTime(fields[0]);
        if (!time)
            return fail(lines.where("time: " + time.error()));
        if (*time < m_lastTime)
            return fail(lines.where(fmt::format("times must not decrease: {} is before the previous row's {}",
                fields[0], units::formatDuration(m_lastTime))));
        row.time = m_lastTime = *time;
        const auto op = std::find_if(
            m_mix.begin(), m_mix.end(), [&](const OperationConfig& candidate) { return candidate.name == fields[1]; });
        if (op == m_mix.end())
            return fail(lines.where(unknownOperation(fields[1], m_mix)));
        row.operation = static_cast<int>(op - m_mix.begin());
        auto key = parseIntegerKey(fields[2]);
        if (!key)
            return fail(lines.where(key.error()));
        row.key = *key;
        if (fields.size() == 4 && !fields[3].empty()
            && std::find(op->tables.begin(), op->tables.end(), fields[3]) == op->tables.end())
            return fail(lines.where(fmt::format("operation '{}' does not read table '{}'", op->name, fields[3])));
        return std::optional<TraceRow>(row);
    }
    return std::optional<TraceRow>();
}

Result<TraceSummary> checkTraceFile(const std::string& path, std::span<const OperationConfig> mix)
{
    auto reader = TraceReader::open(path, mix);
    if (!reader)
        return fail(reader.error());
    TraceSummary summary;
    while (true) {
        auto row = reader->next();
        if (!row)
            return fail(row.error());
        if (!*row)
            return summary;
        ++summary.rows;
        summary.lastTime = (*row)->time;
    }
}

} // namespace shardsim::workload
