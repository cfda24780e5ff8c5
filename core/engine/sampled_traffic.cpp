// The sampled engine: individual requests, drawn.
//
// The number of requests of region r and operation o in a tick is Poisson with mean E_r * fraction_o, drawn from
// the "arrivals" stream in (region, operation) order. Independent Poisson counts per operation are the same law as
// one Poisson count for the region split over the operations by weight (Poisson splitting), without a draw per
// request for its operation. Then each request draws its key and is routed.
//
// The requests of a tick are cut into chunks of kChunkRequests in (region, operation) order; chunk c of tick t
// draws from its own stream, RandomStreams::engine("requests", t * kChunksPerTick + c). Any thread may run any
// chunk; the counts are integers, so adding them up in any order gives the same totals: the results are the same
// for every --threads.

#include "engine/traffic.h"

#include <algorithm>
#include <memory>

#include <boost/random/poisson_distribution.hpp>

#include "engine/alias_table.h"
#include "engine/worker_pool.h"
#include "shardsim/workload/random_streams.h"

namespace shardsim::engine {

namespace {

    constexpr uint64_t kChunkRequests = 1 << 16;
    constexpr uint64_t kChunksPerTick = uint64_t(1) << 24; // stream-id stride per tick: 2^40 requests a tick

    // A run of requests that draw alike.
    struct DrawTask {
        uint64_t count = 0;
        const KeySampler* sampler = nullptr; // draws keys; null for broadcast reads
        int fixedShard = -1; // -1: route each key; geo rule: the region's shard, kRegionAnyShard or kRegionRefused
        bool heat = false; // the keys go on the heat map
        const std::vector<int>* readCopies = nullptr; // broadcast read: the databases to pick from
    };

    struct WorkerCounts {
        std::vector<uint64_t> shards;
        std::vector<uint64_t> databases;
        std::vector<uint64_t> heat;
        uint64_t refused = 0;

        void reset()
        {
            std::fill(shards.begin(), shards.end(), 0);
            std::fill(databases.begin(), databases.end(), 0);
            std::fill(heat.begin(), heat.end(), 0);
            refused = 0;
        }
    };

    class SampledTraffic final : public Traffic {
    public:
        explicit SampledTraffic(const TrafficSetup& setup)
            : m_setup(setup)
            , m_streams(setup.seed)
            , m_arrivals(m_streams.engine("arrivals"))
            , m_pool(std::max(1, setup.threads))
            , m_shardTotals(static_cast<size_t>(setup.cluster->shardCount()), 0.0)
            , m_operationTotals(setup.plan->operations().size(), 0.0)
        {
            m_workers.resize(static_cast<size_t>(m_pool.size()));
            for (WorkerCounts& counts : m_workers) {
                counts.shards.assign(static_cast<size_t>(setup.cluster->shardCount()), 0);
                counts.databases.assign(static_cast<size_t>(setup.cluster->databaseCount()), 0);
                counts.heat.assign(static_cast<size_t>(setup.heatBuckets), 0);
            }
        }

        void run(int64_t tick, std::span<const double> regionRequests, TickTraffic& out) override
        {
            for (WorkerCounts& counts : m_workers)
                counts.reset();
            plan(regionRequests);
            uint64_t total = 0;
            for (const DrawTask& task : m_tasks)
                total += task.count;
            const size_t chunks = static_cast<size_t>((total + kChunkRequests - 1) / kChunkRequests);
            m_pool.run(chunks,
                [&](size_t chunk, int worker) { drawChunk(tick, chunk, m_workers[static_cast<size_t>(worker)]); });
            collect(out);
        }

        void totals(std::vector<double>& shards, std::vector<double>& operations) override
        {
            shards = m_shardTotals;
            operations = m_operationTotals;
        }

    private:
        // Phase 2: the tick's requests per (region, operation), and the draws they need.
        void plan(std::span<const double> regionRequests)
        {
            m_tasks.clear();
            const auto& ops = m_setup.plan->operations();
            for (size_t r = 0; r < regionRequests.size(); ++r) {
                for (size_t o = 0; o < ops.size(); ++o) {
                    const double mean = regionRequests[r] * ops[o].fraction;
                    if (!(mean > 0))
                        continue;
                    const auto count
                        = static_cast<uint64_t>(boost::random::poisson_distribution<int64_t, double>(mean)(m_arrivals));
                    if (count == 0)
                        continue;
                    m_operationTotals[o] += static_cast<double>(count) * m_setup.amplification(ops[o]);
                    addTask(r, ops[o], count);
                }
            }
        }

        void addTask(size_t region, const OperationPlan& op, uint64_t count)
        {
            DrawTask task;
            task.count = count;
            if (op.broadcast) {
                if (op.write) {
                    // Once on every database: nothing to draw.
                    for (uint64_t& database : m_workers[0].databases)
                        database += count;
                    return;
                }
                task.readCopies = &m_setup.readCopiesOfRegion[region];
                m_tasks.push_back(task);
                return;
            }
            const KeyDomain& domain = *m_setup.domains[static_cast<size_t>(op.domain)];
            task.sampler = &domain.sampler();
            task.heat = domain.onHeatMap();
            if (m_setup.geoRule) {
                task.fixedShard = m_setup.shardOfRegion[region];
                if (task.fixedShard == kRegionRefused) {
                    m_workers[0].refused += count;
                    if (!task.heat)
                        return;
                }
                if (task.fixedShard >= 0 && !task.heat) {
                    m_workers[0].shards[static_cast<size_t>(task.fixedShard)] += count;
                    return;
                }
            }
            m_tasks.push_back(task);
        }

        // Phase 3 for requests chunk * kChunkRequests .. of the tick's task list.
        void drawChunk(int64_t tick, size_t chunk, WorkerCounts& counts) const
        {
            workload::RandomEngine engine
                = m_streams.engine("requests", static_cast<uint64_t>(tick) * kChunksPerTick + chunk);
            uint64_t skip = static_cast<uint64_t>(chunk) * kChunkRequests;
            uint64_t left = kChunkRequests;
            DrawCounts draws { counts.shards, {}, 0 };
            for (const DrawTask& task : m_tasks) {
                if (left == 0)
                    break;
                if (skip >= task.count) {
                    skip -= task.count;
                    continue;
                }
                const uint64_t count = std::min(task.count - skip, left);
                skip = 0;
                left -= count;
                if (task.readCopies) {
                    const std::vector<int>& copies = *task.readCopies;
                    for (uint64_t i = 0; i < count; ++i)
                        ++counts.databases[static_cast<size_t>(copies[aliasDraw(engine(), copies.size()).column])];
                    continue;
                }
                draws.heat = task.heat ? std::span<uint64_t>(counts.heat) : std::span<uint64_t>();
                if (task.fixedShard == kRegionAnyShard || task.fixedShard == kRegionRefused) {
                    if (task.fixedShard == kRegionAnyShard) {
                        const uint64_t shards = counts.shards.size();
                        for (uint64_t i = 0; i < count; ++i)
                            ++counts.shards[aliasDraw(engine(), shards).column];
                    }
                    if (task.heat) {
                        // Keys for the heat map only: the requests are already counted.
                        uint64_t ignored = 0;
                        DrawCounts heatOnly { std::span<uint64_t>(&ignored, 1), draws.heat, 0 };
                        task.sampler->draw(count, engine, heatOnly, 0);
                    }
                    continue;
                }
                task.sampler->draw(count, engine, draws, task.fixedShard);
            }
            counts.refused += draws.refused;
        }

        // Adds up the workers' counts (as integers, into worker 0's) and places them on nodes.
        void collect(TickTraffic& out)
        {
            WorkerCounts& sum = m_workers[0];
            for (size_t w = 1; w < m_workers.size(); ++w) {
                const WorkerCounts& counts = m_workers[w];
                for (size_t s = 0; s < counts.shards.size(); ++s)
                    sum.shards[s] += counts.shards[s];
                for (size_t d = 0; d < counts.databases.size(); ++d)
                    sum.databases[d] += counts.databases[d];
                for (size_t b = 0; b < counts.heat.size(); ++b)
                    sum.heat[b] += counts.heat[b];
                sum.refused += counts.refused;
            }
            const ClusterLayout& cluster = *m_setup.cluster;
            std::fill(out.nodeRequests.begin(), out.nodeRequests.end(), 0.0);
            for (size_t s = 0; s < sum.shards.size(); ++s) {
                if (sum.shards[s] == 0)
                    continue;
                const auto requests = static_cast<double>(sum.shards[s]);
                m_shardTotals[s] += requests;
                out.nodeRequests[static_cast<size_t>(cluster.primaryOfShard(static_cast<int>(s)))] += requests;
            }
            for (size_t d = 0; d < sum.databases.size(); ++d) {
                if (sum.databases[d] != 0)
                    out.nodeRequests[static_cast<size_t>(cluster.primaryOfDatabase(static_cast<int>(d)))]
                        += static_cast<double>(sum.databases[d]);
            }
            for (size_t b = 0; b < sum.heat.size() && b < out.heat.size(); ++b)
                out.heat[b] = static_cast<double>(sum.heat[b]);
            out.refused = static_cast<double>(sum.refused);
        }

        TrafficSetup m_setup;
        workload::RandomStreams m_streams;
        workload::RandomEngine m_arrivals;
        WorkerPool m_pool;
        std::vector<WorkerCounts> m_workers;
        std::vector<DrawTask> m_tasks;
        std::vector<double> m_shardTotals;
        std::vector<double> m_operationTotals;
    };

} // namespace

std::unique_ptr<Traffic> makeSampledTraffic(const TrafficSetup& setup)
{
    return std::make_unique<SampledTraffic>(setup);
}

} // namespace shardsim::engine
