#pragma once
// The `cluster` section: how many nodes, what one node can take, where the nodes are.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shardsim/rules/placement.h"

namespace shardsim {

// Capacity and price of one node; `cluster.node` gives the defaults every node starts with.
struct NodeSpec {
    double maxQps = 10'000; // requests/s served at 100% utilisation; default 10K
    double storage = 1e12; // bytes; default 1TB
    double costPerMonth = 0; // currency units per node and month; default 0
    double baseLatency = 0.001; // s, mean service time of one request; default 1ms
    // Requests served in parallel (M/M/c servers); when absent, max_qps x base_latency (at least 1).
    std::optional<double> concurrency;
    double queueTimeout = 1.0; // s of work the node's queue holds; beyond it requests are shed; default 1s
};

struct RegionSpec {
    std::string name; // "east"
    int nodes = 0; // nodes in this region; the regions' counts add up to ClusterConfig::nodes
};

// Which copies of a database serve its reads; writes always go to every copy.
enum class ReadFrom {
    Primary, // the primary copy only (default)
    Any, // every copy, evenly
    Nearest, // the copies in the caller's region, evenly; the primary when the region holds none
};

struct ClusterConfig {
    int nodes = 0; // nodes at the start; required, 1..100'000
    NodeSpec node; // defaults for every node
    // In file order; nodes are numbered region by region in this order (east = node-1..node-4, ...).
    // Empty when the cluster has no regions (the default).
    std::vector<RegionSpec> regions;
    int replication = 1; // copies of every shard, on different nodes; default 1, at most `nodes`
    ReadFrom readFrom = ReadFrom::Primary; // written `read_from: primary | any | nearest`; default primary

    // Region of 0-based node `id` by the numbering above; empty without regions.
    std::string regionOfNode(NodeId id) const;
};

} // namespace shardsim
