// RunHistory::load: a stored run laid out in the windows the live run showed, merged by the same mergers
// (shardsim/metrics/tick_windows.h), so a reopened run and the live one agree to the last bit.

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "shardsim/history/run_history.h"
#include "shardsim/metrics/tick_windows.h"
#include "shardsim/report/summary_json.h"

namespace shardsim {

namespace {

    // Runs stored before served, queued and the other percentiles were kept read them back as NaN: what was not shed
    // was served, nothing is known to be queued, and the unknown percentiles show as 0.
    double known(double x, double otherwise) { return std::isnan(x) ? otherwise : x; }

    NodeTick withServiceDefaults(NodeTick v)
    {
        v.servedQps = known(v.servedQps, v.qps - v.shedQps);
        v.queued = known(v.queued, 0);
        v.p50LatencyMs = known(v.p50LatencyMs, 0);
        v.p95LatencyMs = known(v.p95LatencyMs, 0);
        v.p999LatencyMs = known(v.p999LatencyMs, 0);
        return v;
    }

    ClusterWindow withServiceDefaults(ClusterWindow window)
    {
        ClusterTick& v = window.values;
        v.servedQps = known(v.servedQps, v.qps - v.shedQps);
        v.queued = known(v.queued, 0);
        v.p95LatencyMs = known(v.p95LatencyMs, 0);
        v.p999LatencyMs = known(v.p999LatencyMs, 0);
        return window;
    }

    // The run's node windows, which the live run showed and the history stores as node rows; each holds whole
    // cluster windows. A run stored by an earlier build may have rows that do not: its windows are its rows rounded
    // up to whole cluster windows. Without a stored cluster series, the rows.
    int64_t windowTicksOf(const RunRecord& record)
    {
        const int64_t rows = std::max<int64_t>(1, record.tickStride);
        if (record.clusterTickStride <= 0)
            return rows;
        const int64_t stride = record.clusterTickStride;
        return stride * ((rows + stride - 1) / stride);
    }

    // Before schema version 4 the history kept no node capacity; a node's servers were max_qps x base_latency unless
    // the scenario set its concurrency (or that came to less than one server), which is all that can be known of it.
    double nodeMaxQpsOf(const RunRecord& record, const ServiceModel& service)
    {
        if (record.nodeMaxQps > 0)
            return record.nodeMaxQps;
        if (!service.serversGiven && service.servers > 1 && service.serviceTimeS > 0)
            return service.servers / service.serviceTimeS;
        return 0;
    }

    // Node rows, in tick then node order, merged into the run's windows. A row is one whole window of a current run
    // and is taken as it is; rows of a run stored by an earlier build can be narrower than its windows, which then
    // merge them as the live run merged ticks.
    class NodeRowsToWindows {
    public:
        NodeRowsToWindows(std::vector<RunWindow>& windows, int64_t windowTicks, int64_t rowTicks, int64_t runTicks)
            : m_windows(windows)
            , m_windowTicks(windowTicks)
            , m_rowTicks(rowTicks)
            , m_runTicks(runTicks)
        {
        }

        void add(const StoredNodeTick& row)
        {
            if (row.tick != m_rowTick)
                closeRow();
            m_rowTick = row.tick;
            if (row.node < 0)
                return;
            const auto node = static_cast<size_t>(row.node);
            if (m_row.size() <= node)
                m_row.resize(node + 1);
            m_row[node] = withServiceDefaults(row.values);
        }

        void finish()
        {
            closeRow();
            closeWindow();
        }

    private:
        void closeRow()
        {
            if (m_windows.empty()) // a run with no tick, whose file holds rows anyway (edited by hand)
                m_row.clear();
            if (m_row.empty())
                return;
            const int64_t w = std::clamp<int64_t>(m_rowTick / m_windowTicks, 0, std::ssize(m_windows) - 1);
            if (w != m_window)
                closeWindow();
            m_window = w;
            const int64_t ticks = std::clamp<int64_t>(m_runTicks - m_rowTick, 1, m_rowTicks);
            if (m_rows++ == 0) {
                m_first = std::move(m_row);
                m_firstTicks = ticks;
            } else {
                if (m_rows == 2)
                    m_merger.add(m_first, m_firstTicks);
                m_merger.add(m_row, ticks);
            }
            m_row.clear();
        }

        void closeWindow()
        {
            if (m_rows == 0 || m_window < 0)
                return;
            std::vector<NodeTick>& nodes = m_windows[static_cast<size_t>(m_window)].nodes;
            if (m_rows == 1)
                nodes = std::move(m_first); // as stored, not multiplied and divided by its ticks
            else
                m_merger.window(nodes);
            m_merger = NodeWindowMerger {};
            m_rows = 0;
        }

        std::vector<RunWindow>& m_windows;
        int64_t m_windowTicks;
        int64_t m_rowTicks;
        int64_t m_runTicks;
        int64_t m_rowTick = -1;
        std::vector<NodeTick> m_row; // the row being read, one per node
        int64_t m_window = -1; // the window being filled
        int m_rows = 0; // rows in it so far
        std::vector<NodeTick> m_first; // its first row
        int64_t m_firstTicks = 1;
        NodeWindowMerger m_merger; // its rows, once there are two
    };

    std::vector<RunWindow> emptyWindows(int64_t ticks, int64_t windowTicks, double tickSeconds)
    {
        std::vector<RunWindow> windows;
        for (int64_t first = 0; first < ticks; first += windowTicks) {
            RunWindow& window = windows.emplace_back();
            window.firstTick = first;
            window.ticks = std::min(windowTicks, ticks - first);
            window.cluster.tick = first;
            window.cluster.ticks = window.ticks;
            window.cluster.values.time = static_cast<double>(first) * tickSeconds;
        }
        return windows;
    }

    // Each window's cluster numbers: the stored cluster windows it holds, merged as the live run merged them.
    void clusterFromSeries(std::vector<RunWindow>& windows, int64_t windowTicks, const std::vector<ClusterWindow>& series)
    {
        std::vector<ClusterWindowMerger> merges(windows.size());
        for (const ClusterWindow& stored : series) {
            const int64_t w = stored.tick / windowTicks;
            if (w >= 0 && w < std::ssize(windows))
                merges[static_cast<size_t>(w)].add(stored);
        }
        for (size_t w = 0; w < windows.size(); ++w)
            if (!merges[w].empty())
                windows[w].cluster = merges[w].window();
    }

    // Runs stored before the cluster series was kept (schema version 1): the cluster numbers summed from the node
    // windows, so qps sums the nodes' window rates and shed requests are unknown.
    void clusterFromNodes(std::vector<RunWindow>& windows)
    {
        for (RunWindow& window : windows) {
            ClusterTick& v = window.cluster.values;
            double busiest = 0;
            for (const NodeTick& node : window.nodes) {
                v.qps += node.qps;
                busiest = std::max(busiest, node.qps);
                v.maxUtilization = std::max(v.maxUtilization, node.utilization);
                v.p99LatencyMs = std::max(v.p99LatencyMs, node.p99LatencyMs);
            }
            v.servedQps = v.qps;
            const double nodes = static_cast<double>(std::max<size_t>(1, window.nodes.size()));
            v.imbalance.maxOverMean = v.qps > 0 ? busiest / (v.qps / nodes) : 1.0;
            window.cluster.qpsMin = v.qps;
            window.cluster.qpsMax = v.qps;
        }
    }

} // namespace

Result<std::optional<StoredRun>> RunHistory::load(int64_t id) const
{
    auto details = get(id);
    if (!details)
        return fail(details.error());
    if (!*details)
        return std::optional<StoredRun>();
    RunDetails& run = **details;

    auto result = readSummaryJson(run.summaryJson, fmt::format("run {}'s summary", id));
    if (!result)
        return fail(fmt::format("run history {}: {}", m_path.string(), result.error()));
    StoredRun stored;
    stored.record = run.record;
    stored.scenarioText = std::move(run.scenarioText);
    stored.overrides = std::move(run.overrides);
    stored.nodes = std::move(run.nodes);
    stored.result = std::move(*result);
    RunResult& out = stored.result;
    if (run.heatmap)
        out.heatmap = std::move(*run.heatmap);
    // The summary has the run's range totals; the windows behind its charts are stored beside it.
    if (out.ranges)
        out.ranges->windows = std::move(run.rangeWindows);
    for (ClusterWindow& window : run.cluster)
        window = withServiceDefaults(window);
    out.clusterWindowTicks = std::max<int64_t>(1, run.record.clusterTickStride);
    out.cluster.clear();
    for (const ClusterWindow& window : run.cluster)
        out.cluster.push_back(window.values);
    stored.nodeMaxQps = nodeMaxQpsOf(run.record, out.service);

    stored.windowTicks = windowTicksOf(run.record);
    stored.windows = emptyWindows(run.record.ticks, stored.windowTicks, run.record.tickSeconds);
    NodeRowsToWindows rows(stored.windows, stored.windowTicks, std::max<int64_t>(1, run.record.tickStride), run.record.ticks);
    auto visited = visitNodeTicks(id, [&rows](const StoredNodeTick& row) { rows.add(row); });
    if (!visited)
        return fail(visited.error());
    rows.finish();
    if (run.cluster.empty())
        clusterFromNodes(stored.windows);
    else
        clusterFromSeries(stored.windows, stored.windowTicks, run.cluster);
    return std::optional<StoredRun>(std::move(stored));
}

} // namespace shardsim
