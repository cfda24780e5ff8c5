#include "scripted_run.h"

#include <algorithm>
#include <thread>

#include "shardsim/scenario/scenario_reader.h"

namespace shardsim::ui::test {

namespace {
    class ScriptedRun : public SteppedRun {
    public:
        ScriptedRun(ScriptOptions script, RunOptions options)
            : m_script(script)
            , m_options(std::move(options))
        {
            for (int i = 0; i < script.nodes; ++i) {
                NodeSummary node;
                node.name = "node-" + std::to_string(i + 1);
                node.region = i < script.nodes / 2 ? "east" : "west";
                m_summaries.push_back(node);
            }
            RunStart start;
            start.scenario = "scripted";
            start.ticks = script.ticks;
            start.tickSeconds = script.tickSeconds;
            start.nodes = m_summaries;
            for (MetricsSink* sink : m_options.sinks)
                sink->onStart(start);
        }

        bool step() override
        {
            if (m_tick >= m_script.ticks)
                return false;
            if (m_script.stepTime.count() > 0) {
                // Busy, not sleeping: a tick of the real simulator keeps its core busy too.
                const auto until = std::chrono::steady_clock::now() + m_script.stepTime;
                while (std::chrono::steady_clock::now() < until) { }
            }
            const bool spike = m_tick >= m_script.ticks / 2 && m_tick < m_script.ticks / 2 + m_script.ticks / 10;
            std::vector<NodeTick> nodes(static_cast<size_t>(m_script.nodes));
            ClusterTick cluster;
            cluster.time = static_cast<double>(m_tick) * m_script.tickSeconds;
            for (int i = 0; i < m_script.nodes; ++i) {
                NodeTick& node = nodes[size_t(i)];
                node.qps = m_script.baseQps * (i + 1) * (spike ? 10 : 1);
                node.utilization = node.qps / 1000.0;
                // A node serves up to 1K/s and sheds the rest; latency grows with the load it serves.
                node.servedQps = std::min(node.qps, 1000.0);
                node.shedQps = node.qps - node.servedQps;
                node.p50LatencyMs = 1 + node.servedQps / 1000.0;
                node.p95LatencyMs = 2 * node.p50LatencyMs;
                node.p99LatencyMs = 3 * node.p50LatencyMs;
                node.p999LatencyMs = 4 * node.p50LatencyMs;
                node.rows = 1000.0 * (i + 1);
                node.bytes = node.rows * 100;
                cluster.qps += node.qps;
                cluster.servedQps += node.servedQps;
                cluster.shedQps += node.shedQps;
                cluster.p50LatencyMs = std::max(cluster.p50LatencyMs, node.p50LatencyMs);
                cluster.p95LatencyMs = std::max(cluster.p95LatencyMs, node.p95LatencyMs);
                cluster.p99LatencyMs = std::max(cluster.p99LatencyMs, node.p99LatencyMs);
                cluster.p999LatencyMs = std::max(cluster.p999LatencyMs, node.p999LatencyMs);
                cluster.maxUtilization = std::max(cluster.maxUtilization, node.utilization);
                m_summaries[size_t(i)].requests += node.qps * m_script.tickSeconds;
                m_summaries[size_t(i)].servedRequests += node.servedQps * m_script.tickSeconds;
                m_summaries[size_t(i)].shedRequests += node.shedQps * m_script.tickSeconds;
            }
            cluster.imbalance.maxOverMean = 2.0 * m_script.nodes / (m_script.nodes + 1);
            for (MetricsSink* sink : m_options.sinks)
                sink->onTick(m_tick, cluster, nodes);
            if (cluster.qps > m_result.peak.qps)
                m_result.peak = PeakMoment { m_tick, cluster.time, cluster.qps };
            ++m_tick;
            return m_tick < m_script.ticks;
        }

        int64_t tick() const override { return m_tick; }
        int64_t tickCount() const override { return m_script.ticks; }

        RunResult finish() override
        {
            m_result.scenario = "scripted";
            m_result.ticks = m_tick;
            m_result.tickSeconds = m_script.tickSeconds;
            m_result.cancelled = m_tick < m_script.ticks;
            double total = 0;
            for (const NodeSummary& node : m_summaries)
                total += node.requests;
            m_result.requests = total;
            for (const NodeSummary& node : m_summaries) {
                m_result.servedRequests += node.servedRequests;
                m_result.shedRequests += node.shedRequests;
            }
            m_result.latency = LatencySummary { 1.5, 3, 4.5, 6 };
            m_result.service = ServiceModel { 1, false, 0.001, 1 };
            m_result.nodes = m_summaries;
            for (NodeSummary& node : m_result.nodes)
                node.share = total > 0 ? node.requests / total : 0;
            m_result.imbalance.maxOverMean = 2.0 * m_script.nodes / (m_script.nodes + 1);
            // A range rule's heat map: keys 1..1000 in 10 buckets, the low keys hot.
            HeatMap& heatmap = m_result.heatmap;
            heatmap.table = "t_user";
            heatmap.keyMin = 1;
            heatmap.keyMax = 1000;
            heatmap.keyBuckets = 10;
            heatmap.timeBuckets = static_cast<int>(std::max<int64_t>(1, m_tick));
            heatmap.secondsPerTimeBucket = m_script.tickSeconds;
            for (int t = 0; t < heatmap.timeBuckets; ++t)
                for (int k = 0; k < heatmap.keyBuckets; ++k)
                    heatmap.rate.push_back(1000.0 / (k + 1) + t);
            heatmap.shardBoundaries = { 250, 500, 750 };
            // Two operations: point reads on one shard each (90% of the calls), and a scatter over 4 shards.
            QuerySummary point { "get", "point", "", 0.9 * total, 0.9 * total, 1, 1, { 0, 0.9 * total }, 1, 0, 0, 0, 1, {} };
            QuerySummary scatter { "report", "page", "", 0.025 * total, 0.1 * total, 4, 4, { 0, 0, 0, 0, 0.025 * total },
                80, 0, 1, 0, 4, {} };
            for (const NodeSummary& node : m_result.nodes) {
                point.nodeLoad.push_back(0.9 * node.requests);
                scatter.nodeLoad.push_back(0.1 * node.requests);
            }
            m_result.queries = { point, scatter };
            m_result.clientRequests = point.calls + scatter.calls;
            for (MetricsSink* sink : m_options.sinks)
                sink->onFinish(m_result);
            return m_result;
        }

    private:
        ScriptOptions m_script;
        RunOptions m_options;
        std::vector<NodeSummary> m_summaries;
        RunResult m_result;
        int64_t m_tick = 0;
    };
}

RunFactory scriptedRunFactory(ScriptOptions options)
{
    return [options](const ScenarioConfig&, RunOptions runOptions) -> Result<std::unique_ptr<SteppedRun>> {
        return std::unique_ptr<SteppedRun>(std::make_unique<ScriptedRun>(options, std::move(runOptions)));
    };
}

std::string scriptedScenarioText(int nodes, const std::string& duration)
{
    return "name: scripted\nduration: " + duration + "\ntick: 1s\ncluster:\n  nodes: " + std::to_string(nodes)
        + "\n  node: { max_qps: 1K }\n  regions: { east: " + std::to_string(nodes / 2)
        + ", west: " + std::to_string(nodes - nodes / 2)
        + " }\ndata:\n  tables:\n    - { name: t_user, key: uid, rows: 1000, row_size: 100B }\nsharding:\n  rule: "
          "range:bounds=250|500|750\nworkload:\n  rate: 1K/s\n";
}

std::shared_ptr<const ScenarioConfig> scriptedScenario(int nodes, const std::string& duration)
{
    const std::string text = scriptedScenarioText(nodes, duration);
    ScenarioLoad load = loadScenarioText(text, "scripted.yaml", {});
    if (!load.ok())
        throw std::runtime_error(load.errorText());
    return std::make_shared<const ScenarioConfig>(*load.config);
}

} // namespace shardsim::ui::test
