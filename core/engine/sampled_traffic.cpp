// The sampled engine: individual calls, drawn.
//
// The number of calls of region r and operation o in a tick is Poisson with mean E_r * fraction_o, drawn from
// the "arrivals" stream in (region, operation) order. Independent Poisson counts per operation are the same law as
// one Poisson count for the region split over the operations by weight (Poisson splitting), without a draw per
// request for its operation. Then each call draws what its QueryShape needs (queries/query_shape.h): keys and their
// shards, the mapping-table lookups, a page's offset. Calls that need nothing drawn (scatters, broadcast writes,
// inserts at the next monotone key) are counted whole; a page's offsets come from the "offsets" stream.
//
// The draws of a tick are cut into chunks of kChunkRequests calls in (region, operation) order; chunk c of tick t
// draws from its own stream, RandomStreams::engine("requests", t * kChunksPerTick + c). Any thread may run any
// chunk; the counts are integers, so adding them up in any order gives the same totals: the results are the same
// for every --threads.

#include "engine/traffic.h"

#include <algorithm>
#include <memory>

#include <boost/random/poisson_distribution.hpp>

#include "engine/alias_table.h"
#include "engine/call_expectation.h"
#include "engine/sticky_partitioner.h"
#include "engine/worker_pool.h"
#include "shardsim/workload/random_streams.h"

namespace shardsim::engine {

namespace {

    constexpr uint64_t kChunkRequests = 1 << 16;
    constexpr uint64_t kChunksPerTick = uint64_t(1) << 24; // stream-id stride per tick: 2^40 requests a tick
    constexpr size_t kMaxAttributedCells = size_t(1) << 22; // per-operation counters per worker
    // Calls drawn one by one between two looks at the cancel flag: a call of many keys takes microseconds.
    constexpr uint64_t kCancelCheck = 1024;

    // A run of calls that draw alike.
    struct DrawTask {
        uint64_t count = 0;
        size_t op = 0;
        size_t region = 0;
        const KeySampler* sampler = nullptr; // draws keys; null for broadcast reads
        int fixedShard = -1; // -1: route each key; geo rule: the region's shard, kRegionAnyShard or kRegionRefused
        bool heat = false; // the keys go on the heat map
        bool perCall = false; // each call's keys drawn one by one (fan-out, lookups, 2PC, offsets)
        bool search = false; // a search by a routing value the rule spreads over several shards: its key is drawn
        const std::vector<int>* readCopies = nullptr; // broadcast read: the databases to pick from
        std::vector<const KeySampler*> others; // per call: one key per key in each of these domains
        const KeySampler* lookups = nullptr; // mapping table
    };

    struct OperationCounts {
        uint64_t calls = 0;
        uint64_t requests = 0;
        uint64_t fanout = 0;
        uint64_t rows = 0;
        uint64_t lookups = 0;
        uint64_t cross = 0;
        uint64_t roundTrips = 0;
        std::vector<uint64_t> histogram;

        void addFanout(uint64_t callCount, size_t shardsTouched)
        {
            if (histogram.size() <= shardsTouched)
                histogram.resize(shardsTouched + 1, 0);
            histogram[shardsTouched] += callCount;
            fanout += callCount * shardsTouched;
        }
    };

    struct WorkerCounts {
        std::vector<uint64_t> shards; // shard requests
        std::vector<uint64_t> shardRows;
        std::vector<uint64_t> databases;
        std::vector<uint64_t> databaseRows;
        std::vector<uint64_t> heat;
        std::vector<uint64_t> scratch; // one task's draws per shard
        std::vector<uint64_t> stamp; // per shard: the last call that touched it
        std::vector<uint64_t> databaseStamp;
        std::vector<int> touched; // shards of the current call
        std::vector<int> searchShards; // the shards a routed search visits
        uint64_t call = 0;
        uint64_t refused = 0;
        std::vector<OperationCounts> operations;

        void reset()
        {
            for (auto* counts : { &shards, &shardRows, &databases, &databaseRows, &heat })
                std::fill(counts->begin(), counts->end(), 0);
            refused = 0;
            for (OperationCounts& op : operations) {
                std::vector<uint64_t> histogram = std::move(op.histogram);
                std::fill(histogram.begin(), histogram.end(), 0);
                op = OperationCounts {};
                op.histogram = std::move(histogram);
            }
        }
    };

    class SampledTraffic final : public Traffic {
    public:
        explicit SampledTraffic(const TrafficSetup& setup)
            : m_setup(setup)
            , m_streams(setup.seed)
            , m_arrivals(m_streams.engine("arrivals"))
            , m_offsets(m_streams.engine("offsets"))
            , m_sticky(m_streams.engine("sticky"))
            , m_pool(std::max(1, setup.threads))
            , m_shardTotals(static_cast<size_t>(setup.cluster->shardCount()), 0.0)
            , m_operationTotals(setup.plan->operations().size(), 0.0)
            , m_queries(setup.plan->operations().size())
        {
            m_workers.resize(static_cast<size_t>(m_pool.size()));
            const auto shards = static_cast<size_t>(setup.cluster->shardCount());
            const auto databases = static_cast<size_t>(setup.cluster->databaseCount());
            const size_t ops = setup.plan->operations().size();
            // Counts per operation, so that the run can say which operations load which node; one row for all
            // when that would take more than kMaxAttributedCells counters.
            // Reads from the nearest copy depend on the caller's region: counts are kept per region too.
            m_regions = setup.readFrom == ReadFrom::Nearest ? setup.plan->regions().size() : 1;
            m_attributed = m_regions * ops * (shards + databases) <= kMaxAttributedCells;
            m_rows = m_attributed ? m_regions * ops : 1;
            m_shards = shards;
            m_databases = databases;
            m_groupShards = static_cast<size_t>(setup.cluster->shardsPerGroup());
            m_groupDatabases = static_cast<size_t>(setup.cluster->databasesPerGroup());
            for (const OperationPlan& op : setup.plan->operations()) {
                m_firstShard.push_back(static_cast<size_t>(setup.cluster->groupShard(op.group, 0)));
                m_firstDatabase.push_back(static_cast<size_t>(setup.cluster->groupDatabase(op.group, 0)));
            }
            m_operationNodeWork.assign(
                m_attributed ? ops : 0, std::vector<double>(static_cast<size_t>(setup.cluster->nodeCount()), 0.0));
            for (WorkerCounts& counts : m_workers) {
                counts.shards.assign(m_rows * shards, 0);
                counts.shardRows.assign(m_rows * shards, 0);
                counts.scratch.assign(m_groupShards, 0);
                counts.stamp.assign(m_groupShards, 0);
                counts.databases.assign(m_rows * databases, 0);
                counts.databaseRows.assign(m_rows * databases, 0);
                counts.databaseStamp.assign(m_groupDatabases, 0);
                counts.searchShards.assign(static_cast<size_t>(setup.rule->searchSpread()), 0);
                counts.heat.assign(static_cast<size_t>(setup.heatBuckets), 0);
                counts.operations.resize(setup.plan->operations().size());
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
            // Cancelled part way: the workers' counts are incomplete; nothing reaches the run's totals.
            out.interrupted = m_setup.cancelled();
            if (!out.interrupted)
                collect(out);
        }

        void totals(std::vector<double>& shards, std::vector<double>& operations) override
        {
            shards = m_shardTotals;
            operations = m_operationTotals;
        }

        void queryTotals(std::vector<QueryTotals>& operations) override { operations = m_queries; }

        void operationNodeWork(std::vector<std::vector<double>>& work) override { work = m_operationNodeWork; }

    private:
        size_t rowOf(size_t region, size_t op) const
        {
            const size_t ops = m_setup.plan->operations().size();
            return m_attributed ? (m_regions > 1 ? region : 0) * ops + op : 0;
        }
        // Where the counts of (region, op) start: its row, at the first shard / database of the operation's business
        // database. Calls count shards and databases within their business database: 0 .. m_groupShards - 1.
        size_t shardBase(size_t region, size_t op) const { return rowOf(region, op) * m_shards + m_firstShard[op]; }
        size_t databaseBase(size_t region, size_t op) const
        {
            return rowOf(region, op) * m_databases + m_firstDatabase[op];
        }

        // Phase 2: the tick's calls per (region, operation); what needs no draw is counted here.
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
                    addTask(r, o, count);
                }
            }
        }

        // Rows every asked shard returns for `calls` calls: offset + limit each, the offsets drawn.
        uint64_t pageRows(const queries::QueryShape& query, uint64_t calls)
        {
            if (query.partials)
                return calls;
            if (!query.pageRows)
                return 0;
            uint64_t rows = calls * static_cast<uint64_t>(query.limit + query.offset);
            if (query.offsetSteps > 1) {
                for (uint64_t i = 0; i < calls && !(i % kCancelCheck == 0 && m_setup.cancelled()); ++i)
                    rows += static_cast<uint64_t>(query.limit)
                        * aliasDraw(m_offsets(), static_cast<uint64_t>(query.offsetSteps)).column;
            }
            return rows;
        }

        void addTask(size_t region, size_t o, uint64_t count)
        {
            const OperationPlan& op = m_setup.plan->operations()[o];
            const queries::QueryShape& query = op.query;
            WorkerCounts& main = m_workers[0];
            OperationCounts& stats = main.operations[o];
            stats.calls += count;
            const auto keys = static_cast<uint64_t>(query.keys);
            const auto keyRows = keys * static_cast<uint64_t>(query.rowsPerKey);
            const auto shards = static_cast<uint64_t>(m_groupShards);
            const auto databases = static_cast<uint64_t>(m_groupDatabases);
            uint64_t* shardRequests = main.shards.data() + shardBase(region, o);
            uint64_t* shardRows = main.shardRows.data() + shardBase(region, o);
            uint64_t* databaseRequests = main.databases.data() + databaseBase(region, o);
            uint64_t* databaseRows = main.databaseRows.data() + databaseBase(region, o);
            DrawTask task;
            task.count = count;
            task.op = o;
            task.region = region;
            if (query.reach == queries::Reach::BroadcastRead) {
                task.readCopies = &m_setup.readCopiesOfRegion[region];
                m_tasks.push_back(task);
                return;
            }
            const uint64_t broadcastWrites = static_cast<uint64_t>(query.broadcastWrites);
            if (query.reach == queries::Reach::BroadcastWrite || broadcastWrites > 0) {
                const uint64_t copies = query.reach == queries::Reach::BroadcastWrite ? 1 : broadcastWrites;
                // A transaction over sharded rows and broadcast copies prepares the copies in drawCall.
                const uint64_t prepare
                    = query.reach == queries::Reach::BroadcastWrite && query.twoPhase && databases > 1 ? 1 : 0;
                for (size_t d = 0; d < databases; ++d) {
                    databaseRequests[d] += count * (copies + prepare);
                    databaseRows[d] += count * copies * keys;
                }
                stats.requests += count * databases * (copies + prepare);
                stats.rows += count * databases * copies * keys;
                if (query.reach == queries::Reach::BroadcastWrite) {
                    stats.addFanout(count, databases);
                    stats.cross += databases > 1 ? count : 0;
                    stats.roundTrips += count * prepare;
                    return;
                }
            }
            if (query.reach == queries::Reach::EveryShard) {
                const uint64_t perShard = pageRows(query, count);
                const uint64_t matching = count * (keyRows + keys * query.scatteredSides.size());
                const bool cross = query.twoPhase ? (databases > 1 || broadcastWrites > 0) : shards > 1;
                const uint64_t prepare = query.twoPhase && cross ? 1 : 0;
                const auto reads = static_cast<uint64_t>(1 + query.extensionReads);
                for (size_t s = 0; s < shards; ++s) {
                    shardRequests[s] += count * (reads + prepare);
                    // The matching rows, spread evenly; the remainder on the first shards.
                    shardRows[s] += perShard + matching / shards + (s < matching % shards ? 1 : 0);
                }
                stats.requests += count * shards * (reads + prepare);
                stats.rows += perShard * shards + matching;
                stats.addFanout(count, shards);
                stats.cross += cross ? count : 0;
                stats.roundTrips += count * prepare;
                return;
            }
            if (m_setup.sticky) {
                // Records without a key: whole batches to one partition at a time, drawn here in (region,
                // operation) order from one stream, so the draws are the same for every --threads.
                std::fill(main.scratch.begin(), main.scratch.end(), 0);
                m_setup.sticky->spread(o, count, m_setup.callsPerBatch[o], m_sticky, main.scratch);
                for (size_t s = 0; s < shards; ++s) {
                    shardRequests[s] += main.scratch[s];
                    shardRows[s] += main.scratch[s] * keyRows;
                }
                stats.requests += count;
                stats.rows += count * keyRows;
                stats.addFanout(count, 1);
                return;
            }
            const KeyDomain& domain = *m_setup.domains[static_cast<size_t>(op.law)];
            if (query.reach == queries::Reach::NextKey) {
                const int next = nextKeyShard(m_setup, op);
                if (next != -2) {
                    // Monotone ids: every new key of the tick on the same shard.
                    if (next >= 0) {
                        shardRequests[static_cast<size_t>(next)] += count;
                        shardRows[static_cast<size_t>(next)] += count * keyRows;
                        stats.requests += count;
                        stats.rows += count * keyRows;
                        stats.addFanout(count, 1);
                    } else {
                        main.refused += count * keys;
                        stats.requests += count * keys;
                        stats.addFanout(count, 0);
                    }
                    return;
                }
            }
            task.sampler = &domain.sampler();
            task.heat = domain.onHeatMap() && query.reach == queries::Reach::Keys;
            if (m_setup.geoRule)
                task.fixedShard = m_setup.shardOfRegion[region];
            for (int table : query.otherTables)
                task.others.push_back(
                    &m_setup.domains[static_cast<size_t>(m_setup.plan->tables()[static_cast<size_t>(table)].domain)]
                         ->sampler());
            if (query.mappingTable >= 0)
                task.lookups = &m_setup
                                    .domains[static_cast<size_t>(
                                        m_setup.plan->tables()[static_cast<size_t>(query.mappingTable)].domain)]
                                    ->sampler();
            task.search = query.routingSearch && !m_setup.geoRule && m_setup.rule->searchSpread() > 1;
            task.perCall = keys > 1 || !task.others.empty() || task.lookups || query.offsetSteps > 1 || task.search
                || task.fixedShard == kRegionAnyShard || broadcastWrites > 0 || query.extensionReads > 0;
            m_tasks.push_back(task);
        }

        // One key's shard: the sampler's, or the region's under a geo rule; -1 when refused.
        int drawShard(const KeySampler& sampler, int fixedShard, workload::RandomEngine& engine,
            std::span<uint64_t> heat, uint64_t shards) const
        {
            const int shard = sampler.drawShard(engine, heat);
            if (fixedShard == -1)
                return shard;
            if (fixedShard == kRegionAnyShard)
                return static_cast<int>(aliasDraw(engine(), shards).column);
            return fixedShard >= 0 ? fixedShard : -1;
        }

        // One call drawn key by key.
        void drawCall(const DrawTask& task, workload::RandomEngine& engine, WorkerCounts& counts) const
        {
            const OperationPlan& op = m_setup.plan->operations()[task.op];
            const queries::QueryShape& query = op.query;
            OperationCounts& stats = counts.operations[task.op];
            const ClusterLayout& cluster = *m_setup.cluster;
            const auto shards = static_cast<uint64_t>(m_groupShards);
            uint64_t* shardRequests = counts.shards.data() + shardBase(task.region, task.op);
            uint64_t* shardRowCounts = counts.shardRows.data() + shardBase(task.region, task.op);
            const std::span<uint64_t> heat = task.heat ? std::span<uint64_t>(counts.heat) : std::span<uint64_t>();
            const uint64_t call = ++counts.call;
            counts.touched.clear();
            uint64_t rows = 0;
            const auto touch = [&](int shard, uint64_t shardRows) {
                if (shard < 0) {
                    ++counts.refused;
                    ++stats.requests;
                    return;
                }
                const auto s = static_cast<size_t>(shard);
                if (counts.stamp[s] != call) {
                    counts.stamp[s] = call;
                    counts.touched.push_back(shard);
                    ++shardRequests[s];
                    ++stats.requests;
                }
                shardRowCounts[s] += shardRows;
                rows += shardRows;
            };
            for (int64_t k = 0; k < query.keys; ++k) {
                if (task.lookups) {
                    const int shard = drawShard(*task.lookups, task.fixedShard, engine, {}, shards);
                    ++stats.lookups;
                    ++stats.requests;
                    if (shard >= 0) {
                        ++shardRequests[static_cast<size_t>(shard)];
                        ++shardRowCounts[static_cast<size_t>(shard)];
                        ++rows;
                    } else {
                        ++counts.refused;
                    }
                }
                if (task.search) {
                    const uint64_t key = task.sampler->drawKey(engine, heat);
                    const int visited = key > 0
                        ? m_setup.rule->searchShardsOfInteger(static_cast<int64_t>(key), counts.searchShards)
                        : 0;
                    if (visited == 0)
                        touch(-1, 0);
                    for (int i = 0; i < visited; ++i)
                        touch(counts.searchShards[static_cast<size_t>(i)], static_cast<uint64_t>(query.rowsPerKey));
                } else {
                    touch(drawShard(*task.sampler, task.fixedShard, engine, heat, shards),
                        static_cast<uint64_t>(query.rowsPerKey));
                }
                for (const KeySampler* other : task.others)
                    touch(drawShard(*other, task.fixedShard, engine, {}, shards), 1);
            }
            if (query.pageRows || query.partials) {
                uint64_t perShard = query.partials ? 1 : static_cast<uint64_t>(query.limit + query.offset);
                if (query.pageRows && query.offsetSteps > 1)
                    perShard += static_cast<uint64_t>(query.limit)
                        * aliasDraw(engine(), static_cast<uint64_t>(query.offsetSteps)).column;
                for (int shard : counts.touched)
                    shardRowCounts[static_cast<size_t>(shard)] += perShard;
                rows += perShard * counts.touched.size();
            }
            stats.rows += rows;
            stats.addFanout(1, counts.touched.size());
            if (query.extensionReads > 0) {
                for (int shard : counts.touched)
                    shardRequests[static_cast<size_t>(shard)] += static_cast<uint64_t>(query.extensionReads);
                stats.requests += counts.touched.size() * static_cast<uint64_t>(query.extensionReads);
            }
            if (!query.twoPhase) {
                stats.cross += counts.touched.size() > 1 ? 1 : 0;
                return;
            }
            bool twoPhase = query.broadcastWrites > 0 && m_groupDatabases > 1;
            int firstDatabase = -1;
            for (int shard : counts.touched) {
                const int database = cluster.databaseOfShard(shard); // within the group: the rule's database
                twoPhase = twoPhase || (firstDatabase >= 0 && database != firstDatabase);
                firstDatabase = database;
            }
            if (!twoPhase)
                return;
            ++stats.cross;
            ++stats.roundTrips;
            // The prepare round on every participant.
            for (int shard : counts.touched)
                ++shardRequests[static_cast<size_t>(shard)];
            stats.requests += counts.touched.size();
            if (query.broadcastWrites > 0) {
                uint64_t* databases = counts.databases.data() + databaseBase(task.region, task.op);
                for (size_t d = 0; d < m_groupDatabases; ++d)
                    ++databases[d];
                stats.requests += m_groupDatabases;
            }
        }

        // Phase 3 for calls chunk * kChunkRequests .. of the tick's task list.
        void drawChunk(int64_t tick, size_t chunk, WorkerCounts& counts) const
        {
            if (m_setup.cancelled())
                return; // the tick is dropped: the remaining chunks are skipped at once
            workload::RandomEngine engine
                = m_streams.engine("requests", static_cast<uint64_t>(tick) * kChunksPerTick + chunk);
            uint64_t skip = static_cast<uint64_t>(chunk) * kChunkRequests;
            uint64_t left = kChunkRequests;
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
                const OperationPlan& op = m_setup.plan->operations()[task.op];
                const queries::QueryShape& query = op.query;
                OperationCounts& stats = counts.operations[task.op];
                if (task.readCopies) {
                    const std::vector<int>& copies = *task.readCopies;
                    const uint64_t keyRows = static_cast<uint64_t>(query.keys * query.rowsPerKey);
                    for (uint64_t i = 0; i < count; ++i) {
                        const auto d = static_cast<size_t>(copies[aliasDraw(engine(), copies.size()).column]);
                        uint64_t rows = keyRows;
                        if (query.pageRows) {
                            rows += static_cast<uint64_t>(query.limit + query.offset);
                            if (query.offsetSteps > 1)
                                rows += static_cast<uint64_t>(query.limit)
                                    * aliasDraw(engine(), static_cast<uint64_t>(query.offsetSteps)).column;
                        } else if (query.partials) {
                            rows += 1;
                        }
                        ++counts.databases[databaseBase(task.region, task.op) + d];
                        counts.databaseRows[databaseBase(task.region, task.op) + d] += rows;
                        stats.rows += rows;
                    }
                    stats.requests += count;
                    stats.addFanout(count, 1);
                    continue;
                }
                if (task.perCall) {
                    for (uint64_t i = 0; i < count && !(i % kCancelCheck == 0 && m_setup.cancelled()); ++i)
                        drawCall(task, engine, counts);
                    continue;
                }
                // One key per call, each call one request on its key's shard: drawn in a batch.
                std::fill(counts.scratch.begin(), counts.scratch.end(), 0);
                DrawCounts draws { counts.scratch, task.heat ? std::span<uint64_t>(counts.heat) : std::span<uint64_t>(),
                    0 };
                if (task.fixedShard == kRegionRefused) {
                    draws.refused = count;
                    if (task.heat) {
                        uint64_t ignored = 0;
                        DrawCounts heatOnly { std::span<uint64_t>(&ignored, 1), draws.heat, 0 };
                        task.sampler->draw(count, engine, heatOnly, 0);
                    }
                } else {
                    task.sampler->draw(count, engine, draws, task.fixedShard);
                }
                const uint64_t perCall = static_cast<uint64_t>(query.rowsPerKey)
                    + (query.pageRows ? static_cast<uint64_t>(query.limit + query.offset) : 0)
                    + (query.partials ? 1 : 0);
                const size_t base = shardBase(task.region, task.op);
                for (size_t s = 0; s < counts.scratch.size(); ++s) {
                    counts.shards[base + s] += counts.scratch[s];
                    counts.shardRows[base + s] += counts.scratch[s] * perCall;
                }
                const uint64_t routed = count - draws.refused;
                counts.refused += draws.refused;
                stats.requests += count;
                stats.rows += routed * perCall;
                stats.addFanout(routed, 1);
                if (draws.refused > 0)
                    stats.addFanout(draws.refused, 0);
            }
        }

        // Adds up the workers' counts (as integers, into worker 0's) and places their work on nodes.
        void collect(TickTraffic& out)
        {
            WorkerCounts& sum = m_workers[0];
            for (size_t w = 1; w < m_workers.size(); ++w) {
                const WorkerCounts& counts = m_workers[w];
                for (size_t s = 0; s < counts.shards.size(); ++s) {
                    sum.shards[s] += counts.shards[s];
                    sum.shardRows[s] += counts.shardRows[s];
                }
                for (size_t d = 0; d < counts.databases.size(); ++d) {
                    sum.databases[d] += counts.databases[d];
                    sum.databaseRows[d] += counts.databaseRows[d];
                }
                for (size_t b = 0; b < counts.heat.size(); ++b)
                    sum.heat[b] += counts.heat[b];
                sum.refused += counts.refused;
                for (size_t o = 0; o < counts.operations.size(); ++o) {
                    const OperationCounts& from = counts.operations[o];
                    OperationCounts& into = sum.operations[o];
                    into.calls += from.calls;
                    into.requests += from.requests;
                    into.fanout += from.fanout;
                    into.rows += from.rows;
                    into.lookups += from.lookups;
                    into.cross += from.cross;
                    into.roundTrips += from.roundTrips;
                    if (into.histogram.size() < from.histogram.size())
                        into.histogram.resize(from.histogram.size(), 0);
                    for (size_t d = 0; d < from.histogram.size(); ++d)
                        into.histogram[d] += from.histogram[d];
                }
            }
            const ClusterLayout& cluster = *m_setup.cluster;
            const auto& ops = m_setup.plan->operations();
            std::fill(out.nodeRequests.begin(), out.nodeRequests.end(), 0.0);
            const std::span<double> nodes(out.nodeRequests);
            for (size_t row = 0; row < m_rows; ++row) {
                // Without attribution every operation shares row 0: it counts as a read (primary copies only
                // when read_from is primary), the rest of the model unchanged.
                const size_t op = m_attributed ? row % ops.size() : 0;
                const size_t region = m_attributed ? row / ops.size() : 0;
                const bool write = m_attributed && ops[op].write;
                const std::span<double> attributed
                    = m_attributed ? std::span<double>(m_operationNodeWork[op]) : std::span<double>();
                for (size_t s = 0; s < m_shards; ++s) {
                    const size_t at = row * m_shards + s;
                    if (sum.shards[at] == 0 && sum.shardRows[at] == 0)
                        continue;
                    const double work
                        = m_setup.work(static_cast<double>(sum.shards[at]), static_cast<double>(sum.shardRows[at]));
                    const int database = cluster.databaseOfShard(static_cast<int>(s));
                    m_shardTotals[s] += work;
                    m_setup.place(database, work, write, region, nodes);
                    if (m_attributed)
                        m_setup.place(database, work, write, region, attributed);
                }
                for (size_t d = 0; d < m_databases; ++d) {
                    const size_t at = row * m_databases + d;
                    if (sum.databases[at] == 0)
                        continue;
                    const double work = m_setup.work(
                        static_cast<double>(sum.databases[at]), static_cast<double>(sum.databaseRows[at]));
                    m_setup.place(static_cast<int>(d), work, write, region, nodes);
                    if (m_attributed)
                        m_setup.place(static_cast<int>(d), work, write, region, attributed);
                }
            }
            for (size_t b = 0; b < sum.heat.size() && b < out.heat.size(); ++b)
                out.heat[b] = static_cast<double>(sum.heat[b]);
            out.refused = m_setup.work(static_cast<double>(sum.refused), 0);
            out.queries.assign(sum.operations.size(), QueryTick {});
            for (size_t o = 0; o < sum.operations.size(); ++o) {
                const OperationCounts& counts = sum.operations[o];
                QueryTick& tick = out.queries[o];
                tick.calls = static_cast<double>(counts.calls);
                tick.shardRequests = static_cast<double>(counts.requests);
                tick.fanout = static_cast<double>(counts.fanout);
                tick.rows = static_cast<double>(counts.rows);
                tick.lookups = static_cast<double>(counts.lookups);
                tick.crossShard = static_cast<double>(counts.cross);
                QueryTotals& total = m_queries[o];
                total.addTick(tick);
                total.roundTrips += static_cast<double>(counts.roundTrips);
                if (total.histogram.size() < counts.histogram.size())
                    total.histogram.resize(counts.histogram.size(), 0.0);
                for (size_t d = 0; d < counts.histogram.size(); ++d)
                    total.histogram[d] += static_cast<double>(counts.histogram[d]);
                // The operation's node work: its shard requests and rows under the cost model.
                m_operationTotals[o] += m_setup.work(tick.shardRequests, tick.rows);
            }
        }

        TrafficSetup m_setup;
        workload::RandomStreams m_streams;
        workload::RandomEngine m_arrivals;
        workload::RandomEngine m_offsets;
        workload::RandomEngine m_sticky; // records without a key: each batch's partition
        WorkerPool m_pool;
        std::vector<WorkerCounts> m_workers;
        std::vector<DrawTask> m_tasks;
        std::vector<double> m_shardTotals;
        std::vector<double> m_operationTotals;
        std::vector<QueryTotals> m_queries;
        bool m_attributed = true; // counts kept per operation
        size_t m_rows = 1; // operations (times regions for read_from: nearest), or 1 when not attributed
        size_t m_regions = 1; // regions the counts are kept for
        size_t m_shards = 0; // the layout's: every business database's
        size_t m_databases = 0;
        size_t m_groupShards = 0; // the rule's: one business database's
        size_t m_groupDatabases = 0;
        std::vector<size_t> m_firstShard, m_firstDatabase; // per operation: its business database's first
        std::vector<std::vector<double>> m_operationNodeWork; // [op][node]; empty when not attributed
    };

} // namespace

std::unique_ptr<Traffic> makeSampledTraffic(const TrafficSetup& setup)
{
    return std::make_unique<SampledTraffic>(setup);
}

} // namespace shardsim::engine
