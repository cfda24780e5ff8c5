#include "shardsim/report/csv_output.h"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <memory>

#include "shardsim/common/units.h"

namespace shardsim {

void appendNodesCsvLine(std::string& out, int64_t tick, int64_t ticks, std::string_view name, const NodeTick& v)
{
    // Compiled format: a big run writes 250,000 of these lines, and parsing the format each time cost as much as
    // writing the numbers.
    fmt::format_to(std::back_inserter(out), FMT_COMPILE("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n"), tick, ticks, name, v.qps,
        v.utilization, v.p99LatencyMs, v.rows, v.bytes, v.servedQps, v.shedQps, v.queued, v.p50LatencyMs,
        v.p95LatencyMs, v.p999LatencyMs);
}

Result<std::unique_ptr<NodesCsvSink>> NodesCsvSink::open(const std::string& path, CsvResolution resolution)
{
    auto output = OutputFile::create(path);
    if (!output)
        return fail(output.error());
    return std::unique_ptr<NodesCsvSink>(new NodesCsvSink(std::move(*output), resolution));
}

NodesCsvSink::NodesCsvSink(OutputFile output, CsvResolution resolution)
    : m_output(std::move(output))
    , m_resolution(resolution)
{
}

NodesCsvSink::~NodesCsvSink() = default;

void NodesCsvSink::onStart(const RunStart& start)
{
    m_names.clear();
    for (const NodeSummary& node : start.nodes)
        m_names.push_back(node.name);
    m_windowTicks = m_resolution == CsvResolution::Ticks
        ? 1
        : windowLayout(start.ticks, static_cast<int64_t>(start.nodes.size())).nodeTicks;
    m_window.clear();
    m_output.write(kNodesCsvHeader);
}

void NodesCsvSink::onTick(int64_t tick, const ClusterTick&, std::span<const NodeTick> nodes)
{
    if (m_window.empty())
        m_windowStart = tick;
    m_window.add(nodes);
    if ((tick + 1) % m_windowTicks == 0)
        writeWindow();
}

void NodesCsvSink::writeWindow()
{
    m_window.window(m_values);
    m_line.clear();
    for (size_t n = 0; n < m_values.size(); ++n) {
        const std::string& name = n < m_names.size() ? m_names[n] : "";
        appendNodesCsvLine(m_line, m_windowStart, m_window.ticks(), name, m_values[n]);
    }
    m_output.write(m_line);
    m_window.clear();
}

void NodesCsvSink::onFinish(const RunResult&)
{
    if (!m_window.empty())
        writeWindow(); // a run's last window, or a cancelled run's, may be shorter
    if (auto committed = m_output.commit(); !committed)
        m_error = committed.error();
}

std::string nodesCsvNotice(int64_t ticks, int64_t nodes)
{
    // A line of a big run is about 175 bytes: the first eight columns took 95 (the 1,024-node day wrote 8.1 GB for
    // 88 M lines), and the six service columns add about 80, most of them numbers in full precision.
    constexpr double kBytesPerLine = 175;
    const double lines = static_cast<double>(ticks) * static_cast<double>(nodes);
    return fmt::format("nodes.csv at full resolution: {} ticks x {} nodes = {} lines, about {}", ticks, nodes,
        units::formatCount(lines), units::formatSize(lines * kBytesPerLine));
}

Result<std::unique_ptr<FanoutCsvSink>> FanoutCsvSink::open(const std::string& path, CsvResolution resolution)
{
    auto output = OutputFile::create(path);
    if (!output)
        return fail(output.error());
    return std::unique_ptr<FanoutCsvSink>(new FanoutCsvSink(std::move(*output), resolution));
}

FanoutCsvSink::FanoutCsvSink(OutputFile output, CsvResolution resolution)
    : m_output(std::move(output))
    , m_resolution(resolution)
{
}

FanoutCsvSink::~FanoutCsvSink() = default;

void FanoutCsvSink::onStart(const RunStart& start)
{
    m_names.assign(start.operations.begin(), start.operations.end());
    m_windowTicks = m_resolution == CsvResolution::Ticks ? 1 : windowLayout(start.ticks, 1).clusterTicks;
    m_windowStart = -1;
    m_output.write("tick,ticks,op,calls,shard_requests,mean_fanout,rows_read,lookups,cross_shard_fraction\n");
}

void FanoutCsvSink::onQueries(int64_t tick, std::span<const QueryTick> operations)
{
    if (m_windowStart < 0) {
        m_windowStart = tick;
        m_sums.assign(operations.size(), QueryTick {});
    }
    m_sums.resize(std::max(m_sums.size(), operations.size()));
    for (size_t o = 0; o < operations.size(); ++o) {
        QueryTick& sum = m_sums[o];
        const QueryTick& op = operations[o];
        sum.calls += op.calls;
        sum.shardRequests += op.shardRequests;
        sum.fanout += op.fanout;
        sum.rows += op.rows;
        sum.lookups += op.lookups;
        sum.crossShard += op.crossShard;
    }
    m_lastTick = tick;
    if ((tick + 1) % m_windowTicks == 0)
        writeWindow();
}

void FanoutCsvSink::writeWindow()
{
    m_line.clear();
    const int64_t ticks = m_lastTick - m_windowStart + 1;
    for (size_t o = 0; o < m_sums.size(); ++o) {
        const QueryTick& op = m_sums[o];
        const std::string& name = o < m_names.size() ? m_names[o] : "";
        const double calls = op.calls > 0 ? op.calls : 1;
        fmt::format_to(std::back_inserter(m_line), "{},{},{},{},{},{},{},{},{}\n", m_windowStart, ticks, name, op.calls,
            op.shardRequests, op.fanout / calls, op.rows, op.lookups, op.crossShard / calls);
    }
    m_output.write(m_line);
    m_windowStart = -1;
}

void FanoutCsvSink::onFinish(const RunResult&)
{
    if (m_windowStart >= 0)
        writeWindow();
    if (auto committed = m_output.commit(); !committed)
        m_error = committed.error();
}

Result<bool> writeHeatmapCsv(const std::string& path, const HeatMap& heatmap)
{
    std::string out = "time_s,key_from,key_to,requests_per_s\n";
    const double keySpan = heatmap.keyMax - heatmap.keyMin + 1;
    for (int t = 0; t < heatmap.timeBuckets; ++t) {
        for (int k = 0; k < heatmap.keyBuckets; ++k) {
            const double from = heatmap.keyMin + keySpan * k / heatmap.keyBuckets;
            const double to = heatmap.keyMin + keySpan * (k + 1) / heatmap.keyBuckets;
            fmt::format_to(std::back_inserter(out), "{},{},{},{}\n", t * heatmap.secondsPerTimeBucket, from, to,
                heatmap.rate[static_cast<size_t>(t) * static_cast<size_t>(heatmap.keyBuckets) + static_cast<size_t>(k)]);
        }
    }
    return writeFileAtomically(path, out);
}

std::string rangesCsvText(std::span<const RangeWindowSummary> windows)
{
    std::string out = "time_s,seconds,ranges,splits,merges,moves,bytes_moved,busiest_range_rate,leader_transfers\n";
    for (const RangeWindowSummary& window : windows)
        fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{},{},{}\n", window.atS, window.seconds,
            window.ranges, window.splits, window.merges, window.moves, window.bytesMoved, window.busiestRate,
            window.leaderTransfers);
    return out;
}

Result<bool> writeRangesCsv(const std::string& path, const RangesSummary& ranges)
{
    return writeFileAtomically(path, rangesCsvText(ranges.windows));
}

Result<bool> writeTextFile(const std::string& path, const std::string& text)
{
    return writeFileAtomically(path, text);
}

} // namespace shardsim
