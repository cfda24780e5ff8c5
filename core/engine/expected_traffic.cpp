// The expected engine: each region's calls are spread by fixed share vectors (node work, shard work, heat-map
// keys per call) derived from the key laws' exact shard shares and each operation's expected call
// (call_expectation.h). A tick costs O(regions x (nodes + operations)); the vectors are rebuilt only when a key
// domain's law changed, and per-shard totals are only formed then and at the end.

#include "engine/call_expectation.h"
#include "engine/sticky_partitioner.h"
#include "engine/traffic.h"

#include <algorithm>
#include <cmath>

namespace shardsim::engine {

namespace {

    class ExpectedTraffic final : public Traffic {
    public:
        explicit ExpectedTraffic(const TrafficSetup& setup)
            : m_setup(setup)
            , m_versions(setup.domains.size(), -1)
            , m_regionTotal(setup.plan->regions().size(), 0.0)
            , m_sinceRebuild(setup.plan->regions().size(), 0.0)
            , m_shardTotals(static_cast<size_t>(setup.cluster->shardCount()), 0.0)
            , m_queries(setup.plan->operations().size())
        {
        }

        void run(int64_t, std::span<const double> regionRequests, TickTraffic& out) override
        {
            out.sameShape = !stale() && proportional(regionRequests);
            if (stale())
                rebuild();
            const size_t regions = regionRequests.size();
            std::fill(out.nodeRequests.begin(), out.nodeRequests.end(), 0.0);
            std::fill(out.heat.begin(), out.heat.end(), 0.0);
            out.refused = 0;
            out.queries.assign(m_queries.size(), QueryTick {});
            for (size_t r = 0; r < regions; ++r) {
                const double requests = regionRequests[r];
                m_regionTotal[r] += requests;
                m_sinceRebuild[r] += requests;
                if (requests == 0)
                    continue;
                const Mix& mix = m_mixes[r];
                for (size_t n = 0; n < out.nodeRequests.size(); ++n)
                    out.nodeRequests[n] += requests * mix.nodes[n];
                for (size_t b = 0; b < out.heat.size(); ++b)
                    out.heat[b] += requests * mix.heat[b];
                out.refused += requests * mix.refused;
                const auto& ops = m_setup.plan->operations();
                for (size_t o = 0; o < ops.size(); ++o) {
                    const double calls = requests * ops[o].fraction;
                    const CallShares& call = mix.calls[o];
                    QueryTick& tick = out.queries[o];
                    tick.calls += calls;
                    tick.shardRequests += calls * call.requests;
                    tick.fanout += calls * call.fanout;
                    tick.rows += calls * call.rows;
                    tick.lookups += calls * call.lookups;
                    tick.crossShard += calls * call.crossShard;
                    QueryTotals& total = m_queries[o];
                    total.roundTrips += calls * call.roundTrips;
                    notePerCall(total, call);
                    if (total.histogram.size() < call.histogram.size())
                        total.histogram.resize(call.histogram.size(), 0.0);
                    for (size_t d = 0; d < call.histogram.size(); ++d)
                        total.histogram[d] += calls * call.histogram[d];
                }
            }
            for (size_t o = 0; o < m_queries.size(); ++o)
                m_queries[o].addTick(out.queries[o]);
        }

        void queryTotals(std::vector<QueryTotals>& operations) override { operations = m_queries; }

        void operationNodeWork(std::vector<std::vector<double>>& work) override
        {
            flush();
            work = m_operationNodeWork;
        }

        static void notePerCall(QueryTotals& total, const CallShares& call)
        {
            const QueryTick values { 1, call.requests, call.fanout, call.rows, call.lookups, call.crossShard };
            if (!total.perCallSet) {
                total.perCall = values;
                total.perCallSet = true;
                return;
            }
            const QueryTick& seen = total.perCall;
            total.perCallConstant = total.perCallConstant && seen.shardRequests == values.shardRequests
                && seen.fanout == values.fanout && seen.rows == values.rows && seen.lookups == values.lookups
                && seen.crossShard == values.crossShard;
        }

        void totals(std::vector<double>& shards, std::vector<double>& operations) override
        {
            flush();
            shards = m_shardTotals;
            operations = m_operationWork;
            operations.resize(m_setup.plan->operations().size(), 0.0);
        }

    private:
        // Per region: the work one of its calls puts where, on average.
        struct Mix {
            std::vector<double> shards; // node work per call, by logical shard
            std::vector<double> databases; // broadcast tables
            std::vector<double> nodes;
            std::vector<double> heat; // keys per call, by heat-map bucket
            double refused = 0; // requests per call that reach no node
            std::vector<CallShares> calls; // per operation
            std::vector<double> operationWork; // per operation, per call of the region (weighted by fraction)
            std::vector<std::vector<double>> operationNodes; // [op][node] work per call of the region (weighted)
        };

        // Whether the regions' requests are in the same proportions as the previous tick's (to 1e-12).
        bool proportional(std::span<const double> regionRequests)
        {
            double total = 0;
            for (double requests : regionRequests)
                total += requests;
            bool same = m_proportions.size() == regionRequests.size() && total > 0;
            m_proportions.resize(regionRequests.size());
            for (size_t r = 0; r < regionRequests.size(); ++r) {
                const double proportion = total > 0 ? regionRequests[r] / total : 0;
                same = same && std::fabs(proportion - m_proportions[r]) <= 1e-12;
                m_proportions[r] = proportion;
            }
            return same;
        }

        bool stale() const
        {
            for (size_t d = 0; d < m_setup.domains.size(); ++d) {
                if (m_setup.domains[d]->version() != m_versions[d])
                    return true;
            }
            // The sticky partitioner's shares follow the nodes' queues (adaptive partitioning).
            const bool stickyMoved = m_setup.sticky && m_setup.sticky->version() != m_stickyVersion;
            return m_mixes.empty() || m_setup.cluster->version() != m_layoutVersion || stickyMoved;
        }

        // Adds the requests since the last rebuild to the shard totals with the mixes they were spread by.
        void flush()
        {
            m_operationWork.resize(m_setup.plan->operations().size(), 0.0);
            for (size_t r = 0; r < m_mixes.size(); ++r) {
                const double requests = m_sinceRebuild[r];
                m_sinceRebuild[r] = 0;
                if (requests == 0)
                    continue;
                for (size_t o = 0; o < m_operationWork.size(); ++o)
                    m_operationWork[o] += requests * m_mixes[r].operationWork[o];
                const auto& operationNodes = m_mixes[r].operationNodes;
                m_operationNodeWork.resize(operationNodes.size());
                for (size_t o = 0; o < operationNodes.size(); ++o) {
                    m_operationNodeWork[o].resize(operationNodes[o].size(), 0.0);
                    for (size_t n = 0; n < operationNodes[o].size(); ++n)
                        m_operationNodeWork[o][n] += requests * operationNodes[o][n];
                }
                const std::vector<double>& shares = m_mixes[r].shards;
                for (size_t s = 0; s < shares.size(); ++s)
                    m_shardTotals[s] += requests * shares[s];
            }
        }

        void rebuild()
        {
            flush();
            for (size_t d = 0; d < m_setup.domains.size(); ++d)
                m_versions[d] = m_setup.domains[d]->version();
            m_layoutVersion = m_setup.cluster->version();
            m_stickyVersion = m_setup.sticky ? m_setup.sticky->version() : -1;
            const ClusterLayout& cluster = *m_setup.cluster;
            const size_t shards = static_cast<size_t>(cluster.shardCount());
            const size_t databases = static_cast<size_t>(cluster.databaseCount());
            m_mixes.assign(m_setup.plan->regions().size(), Mix {});
            for (size_t r = 0; r < m_mixes.size(); ++r) {
                Mix& mix = m_mixes[r];
                mix.shards.assign(shards, 0.0);
                mix.databases.assign(databases, 0.0);
                mix.nodes.assign(static_cast<size_t>(cluster.nodeCount()), 0.0);
                mix.heat.assign(static_cast<size_t>(m_setup.heatBuckets), 0.0);
                for (const OperationPlan& op : m_setup.plan->operations())
                    addOperation(r, op, mix);
                // The nodes' work is the operations' (replica copies of writes and replica reads included).
                for (const std::vector<double>& operation : mix.operationNodes) {
                    for (size_t n = 0; n < operation.size(); ++n)
                        mix.nodes[n] += operation[n];
                }
            }
        }

        void addOperation(size_t region, const OperationPlan& op, Mix& mix) const
        {
            const double weight = op.fraction;
            CallShares call = expectCall(m_setup, op, region);
            const ClusterLayout& cluster = *m_setup.cluster;
            double work = m_setup.work(call.refused, 0);
            std::vector<double> nodes(static_cast<size_t>(cluster.nodeCount()), 0.0);
            for (size_t s = 0; s < mix.shards.size(); ++s) {
                const double shardWork = m_setup.work(call.shardRequests[s], call.shardRows[s]);
                mix.shards[s] += weight * shardWork;
                m_setup.place(
                    cluster.databaseOfShard(static_cast<int>(s)), weight * shardWork, op.write, region, nodes);
                work += shardWork;
            }
            for (size_t d = 0; d < mix.databases.size(); ++d) {
                const double databaseWork = m_setup.work(call.databaseRequests[d], call.databaseRows[d]);
                mix.databases[d] += weight * databaseWork;
                m_setup.place(static_cast<int>(d), weight * databaseWork, op.write, region, nodes);
                work += databaseWork;
            }
            mix.operationNodes.push_back(std::move(nodes));
            mix.refused += weight * m_setup.work(call.refused, 0);
            mix.operationWork.push_back(weight * work);
            if (!op.broadcast) {
                const KeyDomain& domain = *m_setup.domains[static_cast<size_t>(op.law)];
                const bool drawsKeys = op.query.reach == queries::Reach::Keys;
                if (domain.onHeatMap() && drawsKeys) {
                    const auto heat = domain.heatShares();
                    const double keys = weight * static_cast<double>(op.query.keys);
                    for (size_t b = 0; b < heat.size() && b < mix.heat.size(); ++b)
                        mix.heat[b] += keys * heat[b];
                }
            }
            mix.calls.push_back(std::move(call));
        }

        TrafficSetup m_setup;
        std::vector<int> m_versions; // domain versions the mixes were built from
        int m_layoutVersion = -1; // cluster layout version (failover moves a shard's node) they were built from
        int m_stickyVersion = -1; // sticky partitioner shares they were built from
        std::vector<Mix> m_mixes;
        std::vector<double> m_regionTotal; // requests per region over the run
        std::vector<double> m_sinceRebuild; // requests per region since the mixes were built
        std::vector<double> m_shardTotals;
        std::vector<double> m_proportions; // each region's part of the previous tick's requests
        std::vector<QueryTotals> m_queries; // per operation
        std::vector<double> m_operationWork; // per operation, up to the last rebuild
        std::vector<std::vector<double>> m_operationNodeWork; // [op][node], up to the last flush
    };

} // namespace

std::unique_ptr<Traffic> makeExpectedTraffic(const TrafficSetup& setup)
{
    return std::make_unique<ExpectedTraffic>(setup);
}

} // namespace shardsim::engine
