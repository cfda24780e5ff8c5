#include "shardsim/planner/sweep.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "shardsim/common/csv_field.h"

namespace shardsim {

namespace {

    // Shortest text that reads back as the same double: byte-identical on every machine and thread count.
    std::string number(double value) { return fmt::format("{}", value); }

    const char* const kMetrics[] { "engine", "requests", "shed_requests", "failed_requests", "peak_qps",
        "max_utilization", "p99_latency_ms", "imbalance_max_over_mean", "imbalance_cv", "imbalance_gini",
        "max_storage_utilization", "max_rows_per_table", "expectations_failed",
        // The served requests' latency over the whole run, as summary.json's `latency` (after the columns above, so a
        // reader of the older columns finds them where they were).
        "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "latency_p999_ms" };

} // namespace

Result<SweepParam> parseSweepParam(std::string_view text)
{
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos || equals == 0)
        return fail(fmt::format("--param '{}': expected PATH=v1,v2,... (e.g. cluster.nodes=8,16)", text));
    SweepParam param;
    param.path = std::string(text.substr(0, equals));
    const std::string_view values = text.substr(equals + 1);
    int depth = 0;
    char quote = 0;
    std::string current;
    auto push = [&]() -> bool {
        const auto first = current.find_first_not_of(' ');
        const auto last = current.find_last_not_of(' ');
        if (first == std::string::npos)
            return false;
        param.values.push_back(current.substr(first, last - first + 1));
        current.clear();
        return true;
    };
    for (char c : values) {
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[' || c == '{') {
            ++depth;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        } else if (c == ',' && depth == 0) {
            if (!push())
                return fail(fmt::format("--param '{}': an empty value", text));
            continue;
        }
        current += c;
    }
    if (quote || depth != 0)
        return fail(fmt::format("--param '{}': an unclosed quote or bracket", text));
    if (!push())
        return fail(fmt::format("--param '{}': an empty value", text));
    return param;
}

std::vector<std::string> SweepPoint::overrides(const std::vector<SweepParam>& params) const
{
    std::vector<std::string> out;
    for (std::size_t i = 0; i < params.size() && i < values.size(); ++i)
        out.push_back(params[i].path + "=" + values[i]);
    return out;
}

Result<std::vector<SweepPoint>> sweepGrid(const std::vector<SweepParam>& params)
{
    std::size_t total = 1;
    for (const SweepParam& param : params) {
        if (param.values.empty())
            return fail(fmt::format("--param {}: no values", param.path));
        if (total > kMaxSweepPoints / param.values.size())
            return fail(fmt::format("the grid has more than {} points; split it into several sweeps", kMaxSweepPoints));
        total *= param.values.size();
    }
    std::vector<SweepPoint> grid(total);
    for (std::size_t index = 0; index < total; ++index) {
        SweepPoint& point = grid[index];
        point.index = index;
        point.values.resize(params.size());
        std::size_t rest = index;
        for (std::size_t p = params.size(); p-- > 0;) {
            point.values[p] = params[p].values[rest % params[p].values.size()];
            rest /= params[p].values.size();
        }
    }
    return grid;
}

Result<SweepPartition> parseSweepPartition(std::string_view text)
{
    const std::size_t slash = text.find('/');
    SweepPartition partition;
    auto parse = [](std::string_view part, int& out) {
        auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), out);
        return error == std::errc() && end == part.data() + part.size();
    };
    if (slash == std::string_view::npos || !parse(text.substr(0, slash), partition.index)
        || !parse(text.substr(slash + 1), partition.count))
        return fail(fmt::format("--partition '{}': expected I/N such as 2/8", text));
    if (partition.count < 1 || partition.index < 1 || partition.index > partition.count)
        return fail(fmt::format("--partition '{}': I must be between 1 and N", text));
    return partition;
}

std::vector<SweepPoint> partitionPoints(const std::vector<SweepPoint>& grid, SweepPartition partition)
{
    const std::size_t total = grid.size();
    const std::size_t count = static_cast<std::size_t>(partition.count);
    const std::size_t index = static_cast<std::size_t>(partition.index);
    const std::size_t begin = total * (index - 1) / count;
    const std::size_t end = total * index / count;
    return { grid.begin() + static_cast<std::ptrdiff_t>(begin), grid.begin() + static_cast<std::ptrdiff_t>(end) };
}

std::string sweepCsvHeader(const std::vector<SweepParam>& params)
{
    std::string line = "point";
    for (const SweepParam& param : params)
        line.append(",").append(csvField(param.path)); // not "," + ...: GCC 12 warns falsely (-Wrestrict)
    for (const char* metric : kMetrics)
        line += std::string(",") + metric;
    return line + "\n";
}

std::string sweepCsvRow(const SweepPoint& point, const RunResult& result)
{
    std::string line = std::to_string(point.index + 1);
    for (const std::string& value : point.values)
        line.append(",").append(csvField(value));
    // The cluster series holds window means of qps; the busiest tick is the run's peak.
    const double peakQps = result.peak.qps;
    double utilization = 0;
    double p99 = 0;
    for (const ClusterTick& tick : result.cluster) {
        utilization = std::max(utilization, tick.maxUtilization);
        p99 = std::max(p99, tick.p99LatencyMs);
    }
    double storage = 0;
    for (const NodeSummary& node : result.nodes)
        storage = std::max(storage, node.storageUtilization);
    double rows = 0;
    for (const TableSummary& table : result.tables)
        rows = std::max(rows, table.maxRowsPerTable);
    int failedExpectations = 0;
    for (const ExpectationResult& expectation : result.expectations)
        failedExpectations += expectation.ok ? 0 : 1;
    const std::string fields[] { std::string(engineModeName(result.engine)), number(result.requests),
        number(result.shedRequests), number(result.failedRequests), number(peakQps), number(utilization), number(p99),
        number(result.imbalance.maxOverMean), number(result.imbalance.cv), number(result.imbalance.gini),
        number(storage), number(rows), std::to_string(failedExpectations), number(result.latency.p50Ms),
        number(result.latency.p95Ms), number(result.latency.p99Ms), number(result.latency.p999Ms) };
    for (const std::string& field : fields)
        line += "," + field;
    return line + "\n";
}

} // namespace shardsim
