#pragma once
// What a run produces: immutable values handed to the CLI, the GUI and the run history.
// Per-node per-tick numbers are too many to keep for big runs (a day of 1 s ticks on 1,024 nodes is
// 88 M node-ticks), so they are streamed to MetricsSinks; RunResult keeps the per-node totals, the
// per-tick cluster series and the heat map.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shardsim/common/run_clock.h"

namespace shardsim {

enum class EngineMode {
    Auto, // expected when more than 10^7 requests would be drawn, else sampled
    Sampled, // draws individual requests (Monte Carlo)
    Expected, // each shard's expected share from the distributions, no per-request work
};

struct Imbalance {
    double maxOverMean = 1; // busiest node's load over the mean node's; 1 when even
    double cv = 0; // coefficient of variation over nodes: stddev / mean (population stddev)
    double gini = 0; // Gini coefficient over nodes: 0 even, (N-1)/N all on one node
};

// One node at one tick; what nodes.csv and the history's per-tick table hold.
// Latency is the M/M/c response time of the requests the node served (docs/engine-model.md).
struct NodeTick {
    double qps = 0; // requests/s offered to the node this tick (served + queued + shed)
    double servedQps = 0; // requests/s the node served this tick
    double shedQps = 0; // requests/s beyond what the node could serve or queue
    double queued = 0; // requests waiting in the node's queue at the end of the tick
    double utilization = 0; // offered load: offered qps / max_qps; above 1 means overload
    double meanLatencyMs = 0; // mean response time of served requests
    double p50LatencyMs = 0;
    double p95LatencyMs = 0;
    double p99LatencyMs = 0;
    double p999LatencyMs = 0; // 99.9th percentile
    double rows = 0; // rows stored, replicas included
    double bytes = 0; // bytes stored, replicas included
    // Whether the latencies above are this tick's. When every sink merges node windows (MetricsSink::
    // wantsNodeLatencyEveryTick), a node window's last tick carries the window's worst instead and its other ticks
    // carry the window before's with false here; NodeWindowMerger skips them.
    bool latencySolved = true;
};

// The whole cluster at one tick: the series `expect:` windows and the GUI's time axis read.
struct ClusterTick {
    double time = 0; // s since the start, at the start of the tick
    double qps = 0; // requests/s offered to the cluster
    double servedQps = 0; // requests/s served over all nodes
    double shedQps = 0; // requests/s shed over all nodes
    double queued = 0; // requests waiting in the nodes' queues at the end of the tick
    double maxUtilization = 0; // busiest node's offered load
    double meanUtilization = 0;
    // Percentiles of a served request's response time: the mixture over nodes weighted by served requests.
    double p50LatencyMs = 0;
    double p95LatencyMs = 0;
    double p99LatencyMs = 0;
    double p999LatencyMs = 0;
    // Whether the percentiles above are those of this tick's cluster window (windowLayout), solved on the window's
    // last tick. The window's other ticks carry the last window solved before it (during the run's first window: the
    // window so far) and say false here, so that no reader sees a latency of 0 and a window's merge skips them.
    bool latencySolved = true;
    Imbalance imbalance; // over the nodes' qps this tick
    double migrationBytesPerSecond = 0; // bytes/s copied by migrations this tick (docs/migration-model.md)
    int downNodes = 0; // nodes down this tick
};

// The whole cluster over the window of ticks [tick, tick + ticks), merged by ClusterWindowMerger
// (shardsim/metrics/tick_windows.h): `values.time` is the first tick's; qps, shedQps and meanUtilization are the
// window's means (so requests add up over the run); qpsMin and qpsMax its quietest and busiest tick; every other value
// its maximum, so peaks survive. A window of one tick holds the tick's own values.
struct ClusterWindow {
    int64_t tick = 0;
    int64_t ticks = 1; // the last window of a run may be shorter
    ClusterTick values;
    double qpsMin = 0; // requests/s
    double qpsMax = 0; // requests/s
};

struct NodeSummary {
    std::string name; // "node-1"
    std::string region; // empty without regions
    std::string database; // the business database (data.databases) it serves; empty without
    double requests = 0; // over the run
    double share = 0; // of all requests
    double meanQps = 0;
    double peakQps = 0;
    double peakUtilization = 0; // offered load at the node's busiest tick
    // Percentiles of served requests' response time at the node's worst tick (the tick of its highest p99).
    double p50LatencyMs = 0;
    double p95LatencyMs = 0;
    double p99LatencyMs = 0;
    double p999LatencyMs = 0;
    double servedRequests = 0;
    double shedRequests = 0;
    double queuedRequests = 0; // still waiting when the run ended
    double rows = 0; // at the end, replicas included
    double bytes = 0; // at the end, replicas included
    double storageUtilization = 0; // bytes at the end over the node's storage
};

struct ShardSummary {
    std::string name; // the rule's name for the logical shard: "db1.t_7", "-80"
    int node = 0; // 0-based node holding the primary
    double requests = 0;
    double share = 0;
    double rows = 0; // all tables' rows on this logical shard at the end (one copy)
};

// One table's rows per physical table (a logical shard's table; a database's copy for a broadcast table).
struct TableSummary {
    std::string name;
    double rows = 0; // at the end, one copy
    int physicalTables = 0;
    double maxRowsPerTable = 0; // in the largest physical table at the end
    std::string largest; // the shard (or database) holding it: "db1.t_7"
    int overLimit = 0; // physical tables above limits.max_rows_per_table
    double rowSize = 0; // bytes per row (a split's core table: without the split columns)
    double rowsPerPage = 0; // rows in one 16 KiB page (InnoDB's default page size)
    // Standard error of a shard's rows at the end, relative to its rows, left where a hashed rule's keys beyond the
    // counted ones are given the rule's fractions (docs/engine-model.md, "Counted keys"); 0 when every key is counted
    // or the rule is arithmetic.
    double shareStandardError = 0;
};

struct OperationSummary {
    std::string name; // the mix entry's `op`
    double requests = 0;
    double share = 0;
};

// What the calls of one operation asked of the shards over the run (docs/queries-model.md). A call is one client
// request; a shard request is one request a shard serves (lookups and 2PC prepares included).
struct QuerySummary {
    std::string op; // the mix entry's `op`
    std::string kind; // point, page, transaction, scan, aggregate, join, insert
    std::string keys; // its own key law (`key_distribution`) in words, "latest theta 0.99"; empty: workload.keys
    double calls = 0; // client requests
    double shardRequests = 0; // over the run
    double meanFanout = 0; // distinct data shards (databases for broadcast tables) per call
    int maxFanout = 0; // largest fan-out with calls
    std::vector<double> fanoutHistogram; // calls by fan-out 0, 1, 2, ... (0: every key refused)
    double rowsReadPerCall = 0; // rows the asked shards return, summed, per call
    double extraLookupsPerCall = 0; // mapping-table lookups per call
    double crossShardFraction = 0; // calls touching more than one shard; transactions: calls committed by 2PC
    double extraRoundTripsPerCall = 0; // transactions: the 2PC prepare round, 1 per 2PC call
    double amplification = 0; // shard requests per call
    // Node work (requests under workload.cost) this operation put on each node over the run, in node order;
    // empty when the run does not keep it (trace replay).
    std::vector<double> nodeLoad;
};

// One operation's calls in one tick, for fanout.csv.
struct QueryTick {
    double calls = 0;
    double shardRequests = 0;
    double fanout = 0; // distinct data shards, summed over the calls
    double rows = 0;
    double lookups = 0;
    double crossShard = 0; // calls
};

// Requests per key bucket per time bucket, for the key-range x time heat map.
struct HeatMap {
    std::string table; // the table whose key space is shown (the first table's)
    double keyMin = 1; // first key of bucket 0
    double keyMax = 1; // last key of the last bucket
    int keyBuckets = 0;
    int timeBuckets = 0;
    double secondsPerTimeBucket = 0;
    std::vector<double> rate; // requests/s, row-major: rate[t * keyBuckets + k]
    std::vector<double> shardBoundaries; // keys where a range rule's shards start; empty for hashed rules
};

struct PeakMoment {
    int64_t tick = 0;
    double time = 0; // s
    double qps = 0;
};

struct ExpectationResult {
    std::string metric;
    std::string bound; // "<= 3", ">= 50%", "== 1", in the metric's unit (formatMetricValue)
    bool ok = false;
    double value = 0; // what the run saw
    std::optional<double> at; // s: when the worst value was seen, for per-tick metrics
    int line = 0; // where the expectation was written
    std::string origin; // empty: the scenario file at `line`; else the override that added it ("--set '...'")
};

// One data migration: a change of rule, placement or nodes, or the re-replication after a failure
// (docs/migration-model.md).
struct MigrationSummary {
    std::string event; // what started it: "add_nodes 8, reshard to mod:n=16", "re-replication of node-3"
    std::string kind; // "layout" or "re-replication"
    double atS = 0; // s: when the copy started
    double movedFraction = 0; // moved rows of the sharded tables over their rows (one copy)
    double optimumFraction = 0; // the least any layout must move for the change
    double movedRows = 0; // one copy
    double movedBytes = 0; // every copy, at the start
    double catchUpBytes = 0; // writes to moved rows during the copy, applied before the cutover
    double bandwidth = 0; // bytes/s
    double copyS = 0; // movedBytes / bandwidth
    double catchUpS = 0;
    double durationS = 0; // copyS + catchUpS; up to the end of the run when it did not finish
    bool finished = false; // the cutover happened within the run
    bool exact = true; // false when a hashed rule's huge key set was measured on evenly spaced keys
    double peakExtraUtilization = 0; // the copy's load on its busiest node, over max_qps
    std::vector<double> nodeOutBytes, nodeInBytes; // per node, in node order
};

// What the cluster as configured costs per month (shardsim/engine/cluster_cost.h), at the start and after the
// events' added and removed nodes.
struct ClusterCost {
    int nodesAtStart = 0;
    int nodesAtEnd = 0;
    double monthlyAtStart = 0; // currency units per month: nodes x cluster.node.cost_per_month
    double monthlyAtEnd = 0;
};

// Requests that failed because every copy of their shard was on a node that was down.
struct AvailabilitySummary {
    double failedRequests = 0;
    double failedFraction = 0; // of all requests
    double affectedUsersFraction = 0; // keys of the first sharded table whose shard was unavailable at some moment
    double unavailableSeconds = 0; // time during which some shard was unavailable
};

// A node that failed during the run and what served its data meanwhile (docs/migration-model.md, failover).
struct FailoverSummary {
    int node = 0; // 0-based: the node that failed
    double atS = 0; // s: when it failed
    std::optional<double> recoveredAtS; // s: when recover_node brought it back; none when it stayed down
    // The node that took over most of the failed node's databases (their next copy on a node that was up); -1 when
    // no copy was up anywhere (replication 1, or every replica down too).
    int takeoverNode = -1;
    int databasesTakenOver = 0; // the failed node's databases served by another node afterwards
    int databasesLost = 0; // its databases with no copy up: their requests failed
    double takeoverPeakUtilization = 0; // the takeover node's highest offered load while the node was down
    double takeoverPeakAtS = 0; // s: when that was
    double shedRequests = 0; // shed on all nodes while the node was down
    double failedRequests = 0; // failed while the node was down: every copy of their shard was down
};

// How a node serves requests (docs/engine-model.md): c parallel servers of mean service time S, queue of at most
// queueTimeout seconds of work.
struct ServiceModel {
    double servers = 1; // c: cluster.node.concurrency, or max_qps x base_latency (at least 1)
    bool serversGiven = false; // true when the scenario set cluster.node.concurrency
    double serviceTimeS = 0.001; // S: cluster.node.base_latency
    double queueTimeoutS = 1; // cluster.node.queue_timeout
};

// The cluster's served-request latency over the whole run: the mixture of every tick's nodes by served requests.
struct LatencySummary {
    double p50Ms = 0;
    double p95Ms = 0;
    double p99Ms = 0;
    double p999Ms = 0;
};

// Ranges that split, merge and move (an auto-range rule; docs/engine-model.md, "Ranges that split, merge and
// move"): what the balancer did over the run.
struct RangeWindowSummary {
    double atS = 0; // s: the start of the window
    double seconds = 0; // its length (several load windows merged when the run has many)
    int ranges = 0; // at its end
    int splits = 0;
    int merges = 0;
    int moves = 0; // started
    double bytesMoved = 0; // copied by moves during it
    int leaderTransfers = 0; // leaders passed to a follower's node by the hot-range scheduler, no bytes copied
    double busiestRate = 0; // requests/s of the busiest range, the highest over the window
    std::vector<int> nodeRanges; // at its end: ranges whose leader is on each node, in node order
    // At its end: the first keys of ranges 1.. (range 0 starts at the first key), at most kMaxRangeBoundsPerWindow of
    // them, evenly picked when there are more, so memory grows with windows, not with ranges or keys.
    std::vector<int64_t> bounds;
};

inline constexpr size_t kMaxRangeBoundsPerWindow = 256;

struct UnsplittableRange {
    int64_t key = 0; // a single key hot enough to split, which no split can divide
    double rate = 0; // requests/s, the highest seen
    int node = 0; // 0-based: the node holding it then
};

struct RangesSummary {
    int start = 0; // ranges when the run starts (the loaded table already split by size)
    int end = 0;
    int splits = 0;
    int loadSplits = 0; // of them, splits by load
    int merges = 0;
    int moves = 0;
    double bytesMoved = 0;
    int leaderTransfers = 0; // leaders the hot-range scheduler passed to a node holding a follower copy
    std::vector<UnsplittableRange> unsplittable; // in key order
    std::optional<double> balancedAtS; // s: when the balancer last had nothing left to do; none if it never did
    int maxRangesPerNode = 0; // at the end, over the member nodes
    int minRangesPerNode = 0;
    std::optional<double> firstLoadSplitS, lastLoadSplitS; // s: when the load splits happened
    int loadSplitNodes = 0; // nodes holding the ranges split by load, at the end
    double nodeMaxQps = 0; // what one node serves, for the words
    std::vector<RangeWindowSummary> windows; // at most kMaxClusterWindows, in time order
};

struct RunResult {
    std::string scenario; // name
    uint64_t seed = 0;
    EngineMode engine = EngineMode::Expected; // the mode actually used (never Auto)
    int64_t ticks = 0;
    double tickSeconds = 0;
    std::optional<double> start; // s after midnight of the first tick: the scenario's `start:`; none without
    // Shard-level requests offered over the run, weighted by workload.cost (one unit per shard request by default):
    // on nodes (shed included) plus failed. Node and cluster qps count the same units.
    double requests = 0;
    double servedRequests = 0;
    double shedRequests = 0;
    double queuedRequests = 0; // still waiting in the nodes' queues when the run ended
    double failedRequests = 0; // reached no node: the rule refused their key (outside range-mod's databases, ...), or
                               // every copy of their shard was down (availability.failedRequests of them)
    ServiceModel service;
    LatencySummary latency; // served requests, whole run
    bool cancelled = false; // stopped early: the numbers cover ticks 0..ticks-1 only
    std::vector<std::string> warnings; // model limits that affected this run, in words

    std::vector<NodeSummary> nodes; // in node order
    std::vector<ShardSummary> shards; // in logical shard order
    std::vector<OperationSummary> operations; // in mix order; requests are the operation's shard requests
    std::vector<QuerySummary> queries; // in mix order
    double clientRequests = 0; // calls of the mix over the run (requests above counts shard requests)
    std::vector<TableSummary> tables; // in file order
    Imbalance imbalance; // over the nodes' total requests for the run
    PeakMoment peak;
    // The cluster series in at most kMaxClusterWindows windows of clusterWindowTicks ticks (one per tick up to 2,000
    // ticks), merged as ClusterWindow says, so a run's memory does not grow with its length. A run reopened from the
    // history has the stored windows, which are the same.
    std::vector<ClusterTick> cluster;
    int64_t clusterWindowTicks = 1;
    HeatMap heatmap;
    std::vector<ExpectationResult> expectations;
    std::vector<MigrationSummary> migrations; // in start order
    AvailabilitySummary availability;
    std::vector<FailoverSummary> failovers; // in the order the nodes failed
    ClusterCost cost;
    std::optional<RangesSummary> ranges; // only under an auto-range rule

    bool expectationsHeld() const;
    RunClock clock() const { return RunClock(start, static_cast<double>(ticks) * tickSeconds); }
};

std::string_view engineModeName(EngineMode mode); // "auto", "sampled", "expected"

} // namespace shardsim
