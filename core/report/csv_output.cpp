#include "shardsim/report/csv_output.h"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <memory>

namespace shardsim {

namespace {
    Error openError(const std::string& path)
    {
        return fail(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
    }
}

Result<std::unique_ptr<NodesCsvSink>> NodesCsvSink::open(const std::string& path)
{
    std::FILE* file = std::fopen(path.c_str(), "w");
    if (!file)
        return openError(path);
    return std::unique_ptr<NodesCsvSink>(new NodesCsvSink(file));
}

NodesCsvSink::NodesCsvSink(std::FILE* file)
    : m_file(file)
{
}

NodesCsvSink::~NodesCsvSink()
{
    if (m_file)
        std::fclose(m_file);
}

void NodesCsvSink::onStart(const RunStart& start)
{
    m_names.clear();
    for (const NodeSummary& node : start.nodes)
        m_names.push_back(node.name);
    std::fputs("tick,node,qps,utilization,p99_latency_ms,rows,bytes\n", m_file);
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
    std::fwrite(m_line.data(), 1, m_line.size(), m_file);
}

void NodesCsvSink::onFinish(const RunResult&)
{
    std::fflush(m_file);
}

Result<std::unique_ptr<FanoutCsvSink>> FanoutCsvSink::open(const std::string& path)
{
    std::FILE* file = std::fopen(path.c_str(), "w");
    if (!file)
        return openError(path);
    return std::unique_ptr<FanoutCsvSink>(new FanoutCsvSink(file));
}

FanoutCsvSink::FanoutCsvSink(std::FILE* file)
    : m_file(file)
{
}

FanoutCsvSink::~FanoutCsvSink()
{
    if (m_file)
        std::fclose(m_file);
}

void FanoutCsvSink::onStart(const RunStart& start)
{
    m_names.assign(start.operations.begin(), start.operations.end());
    std::fputs("tick,op,calls,shard_requests,mean_fanout,rows_read,lookups,cross_shard_fraction\n", m_file);
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
    std::fwrite(m_line.data(), 1, m_line.size(), m_file);
}

void FanoutCsvSink::onFinish(const RunResult&)
{
    std::fflush(m_file);
}

Result<bool> writeHeatmapCsv(const std::string& path, const HeatMap& heatmap)
{
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "w"), std::fclose);
    if (!file)
        return openError(path);
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
    if (std::fwrite(out.data(), 1, out.size(), file.get()) != out.size())
        return openError(path);
    return true;
}

Result<bool> writeTextFile(const std::string& path, const std::string& text)
{
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "w"), std::fclose);
    if (!file || std::fwrite(text.data(), 1, text.size(), file.get()) != text.size())
        return openError(path);
    return true;
}

} // namespace shardsim
