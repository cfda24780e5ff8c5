#pragma once
// The run's CSV files: nodes.csv and fanout.csv streamed window by window as the run goes, heatmap.csv from the
// result. Every file is written through an OutputFile: under a temporary name, renamed when complete
// (output_file.h).

#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "shardsim/common/result.h"
#include "shardsim/engine/metrics_sink.h"
#include "shardsim/metrics/tick_windows.h"
#include "shardsim/report/output_file.h"

namespace shardsim {

// How finely nodes.csv and fanout.csv follow the run.
enum class CsvResolution {
    Windows, // the run's windows (windowLayout): at most kMaxNodeWindows lines of nodes.csv, whatever the run's length
    Ticks, // one line per node (per operation) per tick; can be gigabytes (see nodesCsvNotice)
};

// nodes.csv's first line. The service columns came later and follow the original eight, so a reader by position
// keeps working.
inline constexpr std::string_view kNodesCsvHeader = "tick,ticks,node,qps,utilization,p99_latency_ms,rows,bytes,"
                                                    "served_qps,shed_qps,queued,p50_latency_ms,p95_latency_ms,"
                                                    "p999_latency_ms\n";

// One line of nodes.csv: node `name` over the window of `ticks` ticks from tick `tick`. `history export` writes the
// stored windows with it, so both give the same bytes.
void appendNodesCsvLine(std::string& out, int64_t tick, int64_t ticks, std::string_view name, const NodeTick& values);

// nodes.csv: kNodesCsvHeader, then one line per node per window of `ticks` ticks starting at tick `tick`, merged by
// NodeWindowMerger (docs/outputs.md); the same rows the run history stores.
class NodesCsvSink : public MetricsSink {
public:
    static Result<std::unique_ptr<NodesCsvSink>> open(
        const std::string& path, CsvResolution resolution = CsvResolution::Windows);
    ~NodesCsvSink() override;

    void onStart(const RunStart& start) override;
    void onTick(int64_t tick, const ClusterTick& cluster, std::span<const NodeTick> nodes) override;
    void onFinish(const RunResult& result) override;
    bool wantsNodeLatencyEveryTick() const override { return m_resolution == CsvResolution::Ticks; }

    // onFinish puts the complete file in place; a sink dropped before (an interrupted run) leaves nothing. Why the
    // file could not be written, empty otherwise.
    const std::string& error() const { return m_error; }

private:
    NodesCsvSink(OutputFile output, CsvResolution resolution);
    void writeWindow();

    OutputFile m_output;
    std::string m_error;
    CsvResolution m_resolution;
    std::vector<std::string> m_names;
    int64_t m_windowTicks = 1;
    int64_t m_windowStart = 0; // first tick of the open window
    NodeWindowMerger m_window;
    std::vector<NodeTick> m_values; // reused
    std::string m_line; // reused buffer
};

// What the CLI says before writing nodes.csv tick by tick: how many lines and about how many bytes.
std::string nodesCsvNotice(int64_t ticks, int64_t nodes);

// fanout.csv: tick,ticks,op,calls,shard_requests,mean_fanout,rows_read,lookups,cross_shard_fraction — one line per
// operation per cluster window of `ticks` ticks: calls, shard requests, rows and lookups are the window's sums
// (see docs/outputs.md).
class FanoutCsvSink : public MetricsSink {
public:
    static Result<std::unique_ptr<FanoutCsvSink>> open(
        const std::string& path, CsvResolution resolution = CsvResolution::Windows);
    ~FanoutCsvSink() override;

    void onStart(const RunStart& start) override;
    void onTick(int64_t, const ClusterTick&, std::span<const NodeTick>) override { }
    bool wantsNodes() const override { return false; }
    void onQueries(int64_t tick, std::span<const QueryTick> operations) override;
    void onFinish(const RunResult& result) override;

    // onFinish puts the complete file in place; a sink dropped before (an interrupted run) leaves nothing. Why the
    // file could not be written, empty otherwise.
    const std::string& error() const { return m_error; }

private:
    FanoutCsvSink(OutputFile output, CsvResolution resolution);
    void writeWindow();

    OutputFile m_output;
    std::string m_error;
    CsvResolution m_resolution;
    std::vector<std::string> m_names;
    int64_t m_windowTicks = 1;
    int64_t m_windowStart = -1; // first tick of the open window; -1 when none is open
    int64_t m_lastTick = 0;
    std::vector<QueryTick> m_sums; // per operation, over the open window
    std::string m_line; // reused buffer
};

// heatmap.csv: time_s,key_from,key_to,requests_per_s — one line per (time bucket, key bucket).
Result<bool> writeHeatmapCsv(const std::string& path, const HeatMap& heatmap);

// ranges.csv (auto-range rules): time_s,seconds,ranges,splits,merges,moves,bytes_moved,busiest_range_rate,
// leader_transfers — one line per load window (several merged into one when the run has more than kMaxClusterWindows
// of them).
Result<bool> writeRangesCsv(const std::string& path, const RangesSummary& ranges);
// Its text, which `history export --ranges` writes from the stored windows too.
std::string rangesCsvText(std::span<const RangeWindowSummary> windows);

// Writes text to a file, replacing it whole or not at all; the error names the path.
Result<bool> writeTextFile(const std::string& path, const std::string& text);

} // namespace shardsim
