#pragma once
// Phases 2 and 3 of a tick, behind one interface for both engines: split the tick's requests over the operations
// of the mix, route each to a logical shard (or, for broadcast tables, to databases) and place it on the shard's
// primary node.
//
// A request of the mix is a call: it becomes the shard requests its QueryShape asks for (queries/query_shape.h;
// fan-out, mapping-table lookups, 2PC prepares), and each shard request weighs per_request + per_row x rows on the
// shard's primary node (workload.cost). Broadcast tables (a full copy in every database): a read goes to one copy,
// on a database whose primary is in the request's region when there is one, else on any database, evenly; a write
// goes to every database and counts once on each.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/cluster_layout.h"
#include "engine/key_domain.h"
#include "engine/run_plan.h"
#include "shardsim/rules/shard_rule.h"

namespace shardsim::engine {

// Region r's shard under a geo rule: a shard, or one of these (never -1, which means "route the key").
inline constexpr int kRegionRefused = -3; // the rule has no shard for the region
inline constexpr int kRegionAnyShard = -2; // requests from no region: spread evenly over the shards

class StickyPartitioner;

struct TrafficSetup {
    const RunPlan* plan = nullptr;
    const ClusterLayout* cluster = nullptr;
    const ShardRule* rule = nullptr;
    std::vector<KeyDomain*> domains; // by DomainPlan index
    bool geoRule = false;
    std::vector<int> shardOfRegion; // geo rule: per region, a shard or kRegion*
    // Records without a key (workload.keys: none): the partitioner that places every call instead of its key, and
    // per operation the calls that fill a batch. Null: keys are routed.
    StickyPartitioner* sticky = nullptr;
    std::vector<uint64_t> callsPerBatch;
    // Broadcast reads: the databases region r reads from, within a business database (0 .. databasesPerGroup - 1).
    std::vector<std::vector<int>> readCopiesOfRegion;
    int heatBuckets = 0; // 0 without a heat map
    uint64_t seed = 0;
    int threads = 1;
    QueryCostConfig cost; // node work per shard request and per row read
    // The run's cancel flag (RunOptions::cancel), checked inside a tick's work so that a tick of billions of
    // requests stops within moments; a tick cut short sets TickTraffic::interrupted. Null: never cancelled.
    const std::atomic<bool>* cancel = nullptr;

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }

    // A write to a broadcast table counts once on every database (trace replay, which keeps one request per row).
    double amplification(const OperationPlan& op) const
    {
        return op.broadcast && op.write ? static_cast<double>(cluster->databaseCount()) : 1.0;
    }
    ReadFrom readFrom = ReadFrom::Primary;

    // Adds `work` done on database `database` to the nodes that do it: a write on every copy that is up, a read on
    // the copies cluster.read_from picks for a caller from region `region` among those that are up. When no copy
    // is up the work lands on the database's serving node, which is down, and counts as failed there.
    void place(int database, double work, bool write, size_t region, std::span<double> nodes) const
    {
        const auto copies = cluster->copiesOfDatabase(database);
        const std::string& name = plan->regions()[region].name;
        const auto wanted = [&](NodeId node) {
            if (cluster->isDown(node))
                return false;
            if (write || readFrom == ReadFrom::Any)
                return true;
            return readFrom == ReadFrom::Nearest && !name.empty()
                && cluster->nodes()[static_cast<size_t>(node)].region == name;
        };
        size_t chosen = 0;
        for (NodeId node : copies)
            chosen += wanted(node) ? 1 : 0;
        if (chosen == 0) {
            nodes[static_cast<size_t>(cluster->primaryOfDatabase(database))] += work;
            return;
        }
        // A write costs every copy the whole work; a read shares it among the copies it may use.
        const double each = write ? work : work / static_cast<double>(chosen);
        for (NodeId node : copies) {
            if (wanted(node))
                nodes[static_cast<size_t>(node)] += each;
        }
    }
    // The node work of one shard request returning `rows` rows.
    double work(double requests, double rows) const { return cost.perRequest * requests + cost.perRow * rows; }
};

// One operation's calls over the run, as both engines count them.
struct QueryTotals {
    double calls = 0;
    double shardRequests = 0;
    double fanout = 0; // distinct data shards, summed over calls
    double rows = 0;
    double lookups = 0;
    double crossShard = 0; // calls over more than one shard (transactions: by 2PC)
    double roundTrips = 0; // extra 2PC round trips
    std::vector<double> histogram; // calls by fan-out
    // The expected engine's per-call values when every call of the run had the same (they are then reported as
    // they are, not as a sum over ticks divided by the calls, which rounds 8160 to 8159.999...).
    bool perCallSet = false;
    bool perCallConstant = true;
    QueryTick perCall; // calls = 1

    // Adds one tick's sums (the histogram and round trips are kept by each engine its own way).
    void addTick(const QueryTick& tick)
    {
        calls += tick.calls;
        shardRequests += tick.shardRequests;
        fanout += tick.fanout;
        rows += tick.rows;
        lookups += tick.lookups;
        crossShard += tick.crossShard;
    }

    // Adds the totals of the same operation under another routing (a run's layout before a cutover).
    void add(const QueryTotals& other)
    {
        addTick({ other.calls, other.shardRequests, other.fanout, other.rows, other.lookups, other.crossShard });
        roundTrips += other.roundTrips;
        histogram.resize(std::max(histogram.size(), other.histogram.size()), 0.0);
        for (size_t d = 0; d < other.histogram.size(); ++d)
            histogram[d] += other.histogram[d];
        if (!other.perCallSet)
            return;
        const bool same = other.perCall.fanout == perCall.fanout && other.perCall.rows == perCall.rows
            && other.perCall.lookups == perCall.lookups && other.perCall.crossShard == perCall.crossShard
            && other.perCall.shardRequests == perCall.shardRequests;
        perCallConstant = perCallConstant && other.perCallConstant && (!perCallSet || same);
        if (!perCallSet)
            perCall = other.perCall;
        perCallSet = true;
    }
};

// What one tick's requests did.
struct TickTraffic {
    std::vector<double> nodeRequests; // offered to each node
    std::vector<double> heat; // requests per heat-map key bucket
    double refused = 0; // requests whose key the rule refused: they reach no node
    std::vector<QueryTick> queries; // per operation (a trace replay: one call per row)
    // The node requests are the previous tick's times a factor (the expected engine between changes of its share
    // vectors, with every region's rate in the same proportion): shape-only metrics such as the imbalance are
    // unchanged.
    bool sameShape = false;
    // The cancel flag stopped the tick part way: its counts are incomplete, were added to no total, and the tick
    // is not counted.
    bool interrupted = false;
};

class Traffic {
public:
    virtual ~Traffic() = default;
    // `regionRequests[r]`: region r's expected requests in the tick (phase 2, rates); the domains are up to date.
    virtual void run(int64_t tick, std::span<const double> regionRequests, TickTraffic& out) = 0;
    // Requests so far per logical shard and per operation (broadcast writes counted once per database).
    virtual void totals(std::vector<double>& shards, std::vector<double>& operations) = 0;
    // Calls per operation so far.
    virtual void queryTotals(std::vector<QueryTotals>& operations) = 0;
    // Node work per operation so far, [operation][node]; empty when not kept (trace replay, or more than a few
    // million operation x shard counters in the sampled engine).
    virtual void operationNodeWork(std::vector<std::vector<double>>& work) { work.clear(); }
};

std::unique_ptr<Traffic> makeExpectedTraffic(const TrafficSetup& setup);
std::unique_ptr<Traffic> makeSampledTraffic(const TrafficSetup& setup);

} // namespace shardsim::engine
