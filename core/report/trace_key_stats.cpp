#include "report/trace_key_stats.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "shardsim/workload/trace_file.h"

namespace shardsim::report {

double correlationWithOrder(const std::vector<double>& y)
{
    const auto n = static_cast<double>(y.size());
    double meanX = (n - 1) / 2, meanY = 0;
    for (double v : y)
        meanY += v / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < y.size(); ++i) {
        const double dx = static_cast<double>(i) - meanX, dy = y[i] - meanY;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0;
}

namespace {

    std::vector<KeyValueFrequency> mostCommon(std::vector<int64_t> keys, int64_t& distinct)
    {
        std::sort(keys.begin(), keys.end());
        std::vector<std::pair<int64_t, uint64_t>> counts; // key, rows: by key
        for (int64_t key : keys) {
            if (counts.empty() || counts.back().first != key)
                counts.emplace_back(key, 0);
            ++counts.back().second;
        }
        distinct = static_cast<int64_t>(counts.size());
        // The most rows first; equal counts by key, so the output never depends on the sort's whims.
        const size_t top = std::min(kMostCommonValues, counts.size());
        std::partial_sort(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(top), counts.end(),
            [](const auto& a, const auto& b) {
                return a.second != b.second ? a.second > b.second : a.first < b.first;
            });
        std::vector<KeyValueFrequency> out;
        for (size_t i = 0; i < top; ++i)
            out.push_back({ std::to_string(counts[i].first),
                static_cast<double>(counts[i].second) / static_cast<double>(keys.size()) });
        return out;
    }

} // namespace

Result<std::optional<TraceKeyStats>> traceKeyStats(const ScenarioConfig& config, const std::string& table)
{
    const KeyDistributionConfig& keys = config.workload.keys;
    const std::string& path = keys.resolvedFile.empty() ? keys.file : keys.resolvedFile;
    auto reader = workload::TraceReader::open(path, config.workload.mix);
    if (!reader)
        return fail(reader.error());
    std::vector<int64_t> rows; // every row's key on the table, in the trace's order
    std::vector<TraceRequest> requests;
    std::vector<double> inserted; // the keys of its inserts, in order
    while (true) {
        auto row = reader->next();
        if (!row)
            return fail(row.error());
        if (!*row)
            break;
        const OperationConfig& op = config.workload.mix[static_cast<size_t>((*row)->operation)];
        if (std::find(op.tables.begin(), op.tables.end(), table) == op.tables.end())
            continue;
        rows.push_back((*row)->key);
        requests.push_back({ (*row)->operation, (*row)->key });
        if (op.kind == OperationKind::Insert)
            inserted.push_back(static_cast<double>((*row)->key));
    }
    if (rows.empty())
        return std::optional<TraceKeyStats> {};
    TraceKeyStats out;
    out.rows = rows.size();
    out.requests = std::move(requests);
    const std::string file = std::filesystem::path(path).filename().string();
    out.file = file;
    if (inserted.size() >= 2) {
        out.monotonicity = correlationWithOrder(inserted);
        out.monotonicityHow
            = fmt::format("Pearson r of the {} keys inserted in {} with their order", inserted.size(), file);
    } else {
        out.monotonicity = correlationWithOrder(std::vector<double>(rows.begin(), rows.end()));
        out.monotonicityHow = fmt::format(
            "{} has no inserts on {}: Pearson r of the {} keys requested with their order", file, table, rows.size());
    }
    out.mostCommon = mostCommon(std::move(rows), out.cardinality);
    return std::optional<TraceKeyStats>(std::move(out));
}

} // namespace shardsim::report
