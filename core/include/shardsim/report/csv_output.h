#pragma once
// The run's CSV files: nodes.csv streamed tick by tick (it can be large), heatmap.csv from the result. Every file
// is written through an OutputFile: under a temporary name, renamed when complete (output_file.h).

#include <cstdio>
#include <memory>
#include <string>

#include "shardsim/common/result.h"
#include "shardsim/engine/metrics_sink.h"
#include "shardsim/report/output_file.h"

namespace shardsim {

// nodes.csv: tick,node,qps,utilization,p99_latency_ms,rows,bytes — one line per node per tick.
class NodesCsvSink : public MetricsSink {
public:
    static Result<std::unique_ptr<NodesCsvSink>> open(const std::string& path);
    ~NodesCsvSink() override;

    void onStart(const RunStart& start) override;
    void onTick(int64_t tick, const ClusterTick& cluster, std::span<const NodeTick> nodes) override;
    void onFinish(const RunResult& result) override;

    // onFinish puts the complete file in place; a sink dropped before (an interrupted run) leaves nothing. Why the
    // file could not be written, empty otherwise.
    const std::string& error() const { return m_error; }

private:
    explicit NodesCsvSink(OutputFile output);

    OutputFile m_output;
    std::string m_error;
    std::vector<std::string> m_names;
    std::string m_line; // reused buffer
};

// fanout.csv: tick,op,calls,shard_requests,mean_fanout,rows_read,lookups,cross_shard_fraction — one line per
// operation per tick (see docs/outputs.md).
class FanoutCsvSink : public MetricsSink {
public:
    static Result<std::unique_ptr<FanoutCsvSink>> open(const std::string& path);
    ~FanoutCsvSink() override;

    void onStart(const RunStart& start) override;
    void onTick(int64_t, const ClusterTick&, std::span<const NodeTick>) override { }
    void onQueries(int64_t tick, std::span<const QueryTick> operations) override;
    void onFinish(const RunResult& result) override;

    // onFinish puts the complete file in place; a sink dropped before (an interrupted run) leaves nothing. Why the
    // file could not be written, empty otherwise.
    const std::string& error() const { return m_error; }

private:
    explicit FanoutCsvSink(OutputFile output);

    OutputFile m_output;
    std::string m_error;
    std::vector<std::string> m_names;
    std::string m_line; // reused buffer
};

// heatmap.csv: time_s,key_from,key_to,requests_per_s — one line per (time bucket, key bucket).
Result<bool> writeHeatmapCsv(const std::string& path, const HeatMap& heatmap);

// Writes text to a file, replacing it whole or not at all; the error names the path.
Result<bool> writeTextFile(const std::string& path, const std::string& text);

} // namespace shardsim
