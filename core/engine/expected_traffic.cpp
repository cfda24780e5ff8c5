// The expected engine: each region's requests are spread by fixed share vectors (per node, per shard, per heat
// bucket) derived from the key laws' exact shard shares. A tick costs O(regions x nodes); the vectors are rebuilt
// only when a key domain's law changed, and per-shard totals are only formed then and at the end.

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
            }
        }

        void totals(std::vector<double>& shards, std::vector<double>& operations) override
        {
            flush();
            shards = m_shardTotals;
            const auto& ops = m_setup.plan->operations();
            operations.assign(ops.size(), 0.0);
            double requests = 0;
            for (double total : m_regionTotal)
                requests += total;
            for (size_t o = 0; o < ops.size(); ++o)
                operations[o] = requests * ops[o].fraction * m_setup.amplification(ops[o]);
        }

    private:
        // Per region: where one of its requests goes, on average.
        struct Mix {
            std::vector<double> shards;
            std::vector<double> databases; // broadcast tables
            std::vector<double> nodes;
            std::vector<double> heat;
            double refused = 0;
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
            return m_mixes.empty() || m_setup.cluster->version() != m_layoutVersion;
        }

        // Adds the requests since the last rebuild to the shard totals with the mixes they were spread by.
        void flush()
        {
            for (size_t r = 0; r < m_mixes.size(); ++r) {
                const double requests = m_sinceRebuild[r];
                m_sinceRebuild[r] = 0;
                if (requests == 0)
                    continue;
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
                for (size_t s = 0; s < shards; ++s)
                    mix.nodes[static_cast<size_t>(cluster.primaryOfShard(static_cast<int>(s)))] += mix.shards[s];
                for (size_t d = 0; d < databases; ++d)
                    mix.nodes[static_cast<size_t>(cluster.primaryOfDatabase(static_cast<int>(d)))] += mix.databases[d];
            }
        }

        void addOperation(size_t region, const OperationPlan& op, Mix& mix) const
        {
            const double weight = op.fraction;
            if (op.broadcast) {
                if (op.write) {
                    for (double& share : mix.databases)
                        share += weight;
                } else {
                    const std::vector<int>& copies = m_setup.readCopiesOfRegion[region];
                    for (int d : copies)
                        mix.databases[static_cast<size_t>(d)] += weight / static_cast<double>(copies.size());
                }
                return;
            }
            const KeyDomain& domain = *m_setup.domains[static_cast<size_t>(op.domain)];
            if (domain.onHeatMap()) {
                const auto heat = domain.heatShares();
                for (size_t b = 0; b < heat.size() && b < mix.heat.size(); ++b)
                    mix.heat[b] += weight * heat[b];
            }
            if (m_setup.geoRule) {
                const int shard = m_setup.shardOfRegion[region];
                if (shard >= 0) {
                    mix.shards[static_cast<size_t>(shard)] += weight;
                } else if (shard == kRegionAnyShard) {
                    for (double& share : mix.shards)
                        share += weight / static_cast<double>(mix.shards.size());
                } else {
                    mix.refused += weight;
                }
                return;
            }
            const auto shares = domain.shardShares();
            for (size_t s = 0; s < shares.size(); ++s)
                mix.shards[s] += weight * shares[s];
            mix.refused += weight * domain.refusedShare();
        }

        TrafficSetup m_setup;
        std::vector<int> m_versions; // domain versions the mixes were built from
        int m_layoutVersion = -1; // cluster layout version (failover moves a shard's node) they were built from
        std::vector<Mix> m_mixes;
        std::vector<double> m_regionTotal; // requests per region over the run
        std::vector<double> m_sinceRebuild; // requests per region since the mixes were built
        std::vector<double> m_shardTotals;
        std::vector<double> m_proportions; // each region's part of the previous tick's requests
    };

} // namespace

std::unique_ptr<Traffic> makeExpectedTraffic(const TrafficSetup& setup)
{
    return std::make_unique<ExpectedTraffic>(setup);
}

} // namespace shardsim::engine
