#include "shardsim/report/csv_output.h"

#include <fmt/format.h>
#include <memory>

namespace shardsim {

Result<std::unique_ptr<NodesCsvSink>> NodesCsvSink::open(const std::string& path)
{
    auto output = OutputFile::create(path);
    if (!output)
        return fail(output.error());
    return std::unique_ptr<NodesCsvSink>(new NodesCsvSink(std::move(*output)));
}

NodesCsvSink::NodesCsvSink(OutputFile output)
    : m_output(std::move(output))
{
}

NodesCsvSink::~NodesCsvSink() = default;

void NodesCsvSink::onStart(const RunStart& start)
{
    m_names.clear();
    for (const NodeSummary& node : start.nodes)
        m_names.push_back(node.name);
    m_output.write("tick,node,qps,utilization,p99_latency_ms,rows,bytes\n");
}

void NodesCsvSink::onTick(int64_t tick, const ClusterTick&, std::span<const NodeTick> nodes)
{
    m_line.clear();
    for (size_t n = 0; n < nodes.size(); ++n) {
        const NodeTick& node = nodes[n];
        const std::string& name = n < m_names.size() ? m_names[n] : "";
        fmt::format_to(std::back_inserter(m_line), "{},{},{},{},{},{},{}\n", tick, name, node.qps, node.utilization,
            node.p99LatencyMs, node.rows, node.bytes);
    }
    m_output.write(m_line);
}

void NodesCsvSink::onFinish(const RunResult&)
{
    if (auto committed = m_output.commit(); !committed)
        m_error = committed.error();
}

Result<std::unique_ptr<FanoutCsvSink>> FanoutCsvSink::open(const std::string& path)
{
    auto output = OutputFile::create(path);
    if (!output)
        return fail(output.error());
    return std::unique_ptr<FanoutCsvSink>(new FanoutCsvSink(std::move(*output)));
}

FanoutCsvSink::FanoutCsvSink(OutputFile output)
    : m_output(std::move(output))
{
}

FanoutCsvSink::~FanoutCsvSink() = default;

void FanoutCsvSink::onStart(const RunStart& start)
{
    m_names.assign(start.operations.begin(), start.operations.end());
    m_output.write("tick,op,calls,shard_requests,mean_fanout,rows_read,lookups,cross_shard_fraction\n");
}

void FanoutCsvSink::onQueries(int64_t tick, std::span<const QueryTick> operations)
{
    m_line.clear();
    for (size_t o = 0; o < operations.size(); ++o) {
        const QueryTick& op = operations[o];
        const std::string& name = o < m_names.size() ? m_names[o] : "";
        const double calls = op.calls > 0 ? op.calls : 1;
        fmt::format_to(std::back_inserter(m_line), "{},{},{},{},{},{},{},{}\n", tick, name, op.calls,
            op.shardRequests, op.fanout / calls, op.rows, op.lookups, op.crossShard / calls);
    }
    m_output.write(m_line);
}

void FanoutCsvSink::onFinish(const RunResult&)
{
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

Result<bool> writeTextFile(const std::string& path, const std::string& text)
{
    return writeFileAtomically(path, text);
}

} // namespace shardsim
