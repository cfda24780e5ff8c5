#include "shardsim/scenario/metric_names.h"

#include <algorithm>

namespace shardsim {

const std::vector<MetricInfo>& metricCatalog()
{
    static const std::vector<MetricInfo> catalog = {
        { "imbalance.max_over_mean", "ratio", "busiest node's requests over the mean node's, at the worst tick" },
        { "imbalance.cv", "ratio", "coefficient of variation of requests per node (stddev / mean)" },
        { "imbalance.gini", "ratio", "Gini coefficient of requests per node: 0 even, 1 all on one node" },
        { "peak.qps", "requests/s", "highest total request rate of any tick" },
        { "peak.utilization", "fraction", "highest utilisation of any node at any tick" },
        { "utilization.max", "fraction", "utilisation of the busiest node, averaged over the run" },
        { "utilization.mean", "fraction", "mean utilisation over nodes and ticks" },
        { "latency.p50_ms", "ms", "median response time of the requests served, over the cluster, at the worst tick" },
        { "latency.p95_ms", "ms", "95th percentile of the served requests' response time at the worst tick" },
        { "latency.p99_ms", "ms", "99th percentile of the served requests' response time at the worst tick" },
        { "latency.p999_ms", "ms", "99.9th percentile of the served requests' response time at the worst tick" },
        { "requests.total", "requests", "requests generated" },
        { "requests.failed", "requests", "requests that could not be served (failed node, no replica)" },
        { "requests.served", "requests", "requests the nodes served" },
        { "requests.shed", "requests", "requests dropped because a node's queue was full" },
        { "requests.queued", "requests", "requests still waiting in the nodes' queues when the run ended" },
        { "requests.served_fraction", "fraction", "requests served over the requests offered to the nodes" },
        { "requests.shed_fraction", "fraction", "requests shed over the requests offered to the nodes" },
        { "queries.cross_shard_fraction", "fraction", "share of calls (transactions excluded) touching more than one "
                                                      "shard" },
        { "queries.mean_fanout", "shards", "mean number of data shards a call touches, over every operation" },
        { "queries.amplification", "ratio", "shard requests per client request, over every operation" },
        { "transactions.cross_shard_fraction", "fraction", "share of transactions needing 2PC" },
        { "migration.moved_fraction", "fraction", "rows moved by migrations over rows stored" },
        { "migration.moved_bytes", "bytes", "bytes moved by migrations" },
        { "migration.duration_s", "s", "time from the first migration start to the last migration end" },
        { "availability.failed_fraction", "fraction", "share of requests that failed because a node was down" },
        { "availability.failed_requests", "fraction", "deprecated: the old name of availability.failed_fraction" },
        { "storage.max_utilization", "fraction", "highest storage use of any node over its capacity" },
        { "rows.max_per_table", "rows", "rows in the largest physical table at the end" },
        { "ranges.end", "ranges", "auto-range: ranges when the run ends" },
        { "ranges.splits", "splits", "auto-range: splits during the run, by size and by load" },
        { "ranges.load_splits", "splits", "auto-range: splits by load during the run" },
        { "ranges.merges", "merges", "auto-range: merges during the run" },
        { "ranges.moves", "moves", "auto-range: ranges the balancer moved" },
        { "ranges.bytes_moved", "bytes", "auto-range: bytes the balancer's moves copied" },
        { "ranges.leader_transfers", "transfers", "auto-range: leaders the hot-range scheduler passed to a follower" },
        { "ranges.unsplittable", "keys", "auto-range: single keys too hot for their range that no split can divide" },
        { "ranges.max_per_node", "ranges", "auto-range: most ranges on one node at the end" },
        { "ranges.min_per_node", "ranges", "auto-range: fewest ranges on one node at the end" },
    };
    return catalog;
}

const std::vector<MetricInfo>& operationMetricFields()
{
    static const std::vector<MetricInfo> fields = {
        { "calls", "requests", "client requests of the operation" },
        { "mean_fanout", "shards", "distinct data shards per call" },
        { "max_fanout", "shards", "largest fan-out of any call" },
        { "rows_read_per_call", "rows", "rows the asked shards return per call" },
        { "extra_lookups_per_call", "requests", "mapping-table lookups per call" },
        { "cross_shard_fraction", "fraction", "calls over more than one shard (transactions: by 2PC)" },
        { "amplification", "ratio", "shard requests per call" },
    };
    return fields;
}

bool splitOperationMetric(std::string_view name, std::string& op, std::string& field)
{
    constexpr std::string_view prefix = "queries.";
    if (name.substr(0, prefix.size()) != prefix)
        return false;
    const std::string_view rest = name.substr(prefix.size());
    const size_t dot = rest.rfind('.');
    if (dot == std::string_view::npos || dot == 0)
        return false;
    const std::string_view fieldName = rest.substr(dot + 1);
    const auto& fields = operationMetricFields();
    if (std::none_of(fields.begin(), fields.end(), [&](const MetricInfo& f) { return f.name == fieldName; }))
        return false;
    op = std::string(rest.substr(0, dot));
    field = std::string(fieldName);
    return true;
}

std::vector<std::string> metricNames()
{
    std::vector<std::string> names;
    for (const auto& metric : metricCatalog())
        names.emplace_back(metric.name);
    return names;
}

const MetricInfo* findMetric(std::string_view name)
{
    const auto& catalog = metricCatalog();
    auto it = std::find_if(catalog.begin(), catalog.end(), [&](const MetricInfo& m) { return m.name == name; });
    return it == catalog.end() ? nullptr : &*it;
}

std::string_view metricUnit(std::string_view name)
{
    if (const MetricInfo* metric = findMetric(name))
        return metric->unit;
    std::string op;
    std::string field;
    if (splitOperationMetric(name, op, field))
        for (const MetricInfo& info : operationMetricFields())
            if (info.name == field)
                return info.unit;
    return {};
}

// summary.json's availability.failed_requests is a count while the metric of that name was a fraction: the metric
// now says what it is, and the old name keeps existing scenarios working.
std::string_view replacementOfMetric(std::string_view name)
{
    return name == "availability.failed_requests" ? "availability.failed_fraction" : std::string_view {};
}

} // namespace shardsim
