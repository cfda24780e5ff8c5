// The `cluster` section and the `limits` section.

#include <fmt/format.h>

#include "section_readers.h"
#include "shardsim/scenario/input_limits.h"

namespace shardsim::scenario {

namespace {

    // A node serving a million requests at once is a cluster of its own; the Erlang functions stay exact up to there.
    constexpr double kMaxConcurrency = 1e6;
    constexpr double kMaxQueueTimeout = 3600; // s

    void readNodeSpec(ReadContext& context, const TreeNode* node, NodeSpec& out)
    {
        MapReader map(context, node, "cluster.node",
            { "max_qps", "storage", "cost_per_month", "base_latency", "concurrency", "queue_timeout" });
        if (const TreeNode* value = map.get("max_qps")) {
            // The key says "per second", so a bare count (20K) is a rate too.
            if (value->isScalar() && value->scalar.find('/') == std::string::npos) {
                if (auto qps = readCount(context, *value, map.pathOf("max_qps"), 1, int64_t(input_limits::kMaxRate)))
                    out.maxQps = double(*qps);
            } else if (auto qps = readRate(context, *value, map.pathOf("max_qps"), 1, input_limits::kMaxRate)) {
                out.maxQps = *qps;
            }
        }
        if (const TreeNode* value = map.get("storage")) {
            if (auto bytes = readSize(context, *value, map.pathOf("storage"), 1, input_limits::kMaxBytes))
                out.storage = *bytes;
        }
        if (const TreeNode* value = map.get("cost_per_month")) {
            if (auto cost = readNumber(context, *value, map.pathOf("cost_per_month"), 0, 1e12))
                out.costPerMonth = *cost;
        }
        if (const TreeNode* value = map.get("base_latency")) {
            if (auto latency = readDuration(context, *value, map.pathOf("base_latency"), 1e-6, 3600))
                out.baseLatency = *latency;
        }
        readServiceModel(context, map, out.concurrency, out.queueTimeout);
        map.finish();
    }

} // namespace

void readServiceModel(ReadContext& context, MapReader& map, std::optional<double>& concurrency, double& queueTimeout)
{
    if (const TreeNode* value = map.get("concurrency")) {
        // Fractional values are allowed: Erlang B and C extend continuously between whole servers.
        if (auto servers = readNumber(context, *value, map.pathOf("concurrency"), 1, kMaxConcurrency))
            concurrency = *servers;
    }
    if (const TreeNode* value = map.get("queue_timeout")) {
        if (auto timeout = readDuration(context, *value, map.pathOf("queue_timeout"), 1e-6, kMaxQueueTimeout))
            queueTimeout = *timeout;
    }
}

namespace {

    // `regions: { east: 4, north: 2 }`; returns true when every entry read cleanly.
    bool readRegions(ReadContext& context, const TreeNode& node, std::vector<RegionSpec>& out)
    {
        const std::string path = "cluster.regions";
        if (!node.isMap()) {
            context.error(node, path,
                "expected a mapping of region name to node count like { east: 4, north: 4 }, got " + node.describe());
            return false;
        }
        bool clean = true;
        for (const auto& entry : node.children) {
            TreeNode keyNode;
            keyNode.kind = TreeNode::Kind::Scalar;
            keyNode.scalar = entry.key;
            keyNode.line = entry.keyLine;
            keyNode.column = entry.keyColumn;
            keyNode.origin = entry.origin;
            auto name = readName(context, keyNode, path);
            auto count
                = readCount(context, entry, path + "." + entry.key, 1, input_limits::kMaxNodes, "the node limit");
            if (!name || !count) {
                clean = false;
                continue;
            }
            out.push_back({ *name, static_cast<int>(*count) });
        }
        if (out.empty() && clean) {
            context.error(node, path, "lists no region; leave it out for a cluster without regions");
            return false;
        }
        return clean;
    }

} // namespace

void readCluster(ReadContext& context, const TreeNode* node, ClusterConfig& out, ReadState& state)
{
    MapReader map(context, node, "cluster", { "nodes", "node", "regions", "replication", "read_from" });
    if (const TreeNode* value = map.require("nodes")) {
        if (auto nodes
            = readCount(context, *value, map.pathOf("nodes"), 1, input_limits::kMaxNodes, "the node limit")) {
            out.nodes = static_cast<int>(*nodes);
            state.nodesKnown = true;
        }
    }
    if (const TreeNode* value = map.get("node"))
        readNodeSpec(context, value, out.node);
    if (const TreeNode* value = map.get("regions")) {
        state.regions = value;
        state.regionsKnown = readRegions(context, *value, out.regions);
        int64_t sum = 0;
        for (const auto& region : out.regions)
            sum += region.nodes;
        if (state.regionsKnown && state.nodesKnown && sum != out.nodes) {
            context.error(*value, map.pathOf("regions"),
                fmt::format(
                    "the regions hold {} nodes but cluster.nodes is {}; the counts must add up", sum, out.nodes));
            state.regionsKnown = false;
        }
    } else {
        state.regionsKnown = true;
    }
    if (const TreeNode* value = map.get("replication")) {
        if (auto copies = readCount(context, *value, map.pathOf("replication"), 1, input_limits::kMaxReplication)) {
            if (state.nodesKnown && *copies > out.nodes)
                context.error(*value, map.pathOf("replication"),
                    fmt::format("must be at most cluster.nodes, {} (got {}): copies go to different nodes", out.nodes,
                        value->scalar));
            else
                out.replication = static_cast<int>(*copies);
        }
    }
    if (const TreeNode* value = map.get("read_from")) {
        if (auto choice = readChoice(context, *value, map.pathOf("read_from"), { "primary", "any", "nearest" }, "replica choice"))
            out.readFrom = static_cast<ReadFrom>(*choice);
    }
    map.finish();
}

void readLimits(ReadContext& context, const TreeNode* node, LimitsConfig& out)
{
    MapReader map(context, node, "limits", { "max_rows_per_table", "max_utilization", "max_storage_utilization" });
    if (const TreeNode* value = map.get("max_rows_per_table")) {
        if (auto rows = readCount(context, *value, map.pathOf("max_rows_per_table"), 1, input_limits::kMaxRows))
            out.maxRowsPerTable = *rows;
    }
    if (const TreeNode* value = map.get("max_utilization")) {
        if (auto fraction = readFraction(context, *value, map.pathOf("max_utilization"), 0.01, 1))
            out.maxUtilization = *fraction;
    }
    if (const TreeNode* value = map.get("max_storage_utilization")) {
        if (auto fraction = readFraction(context, *value, map.pathOf("max_storage_utilization"), 0.01, 1))
            out.maxStorageUtilization = *fraction;
    }
    map.finish();
}

} // namespace shardsim::scenario
