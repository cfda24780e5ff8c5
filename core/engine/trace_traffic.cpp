#include "engine/trace_traffic.h"

#include <algorithm>

#include <fmt/format.h>

#include "shardsim/common/units.h"
#include "shardsim/engine/simulation.h"

namespace shardsim::engine {

namespace {
    // Trace rows read between two looks at the run's cancel flag.
    constexpr uint64_t kCancelCheckRows = 4096;
}

Result<std::unique_ptr<TraceTraffic>> TraceTraffic::create(
    const TrafficSetup& setup, const TraceReplay& replay, std::vector<std::string>& warnings)
{
    if (setup.geoRule)
        return fail("workload.keys: a trace records no regions, and the geo rule routes by region; use a key-based "
                    "rule or another distribution");
    auto check = workload::TraceReader::open(replay.file, replay.mix);
    if (!check)
        return fail("workload.keys.file: " + check.error());
    uint64_t late = 0;
    for (uint64_t read = 0;; ++read) {
        if (read % kCancelCheckRows == 0 && setup.cancelled())
            return fail(kRunCancelled);
        auto row = check->next();
        if (!row)
            return fail("workload.keys.file: " + row.error());
        if (!*row)
            break;
        late += (*row)->time >= replay.duration ? 1 : 0;
    }
    if (late > 0)
        warnings.push_back(fmt::format("workload.keys: {} rows of the trace are at or after the end of the run ({}) "
                                       "and were not replayed",
            units::formatCount(static_cast<double>(late)), units::formatDuration(replay.duration)));
    auto reader = workload::TraceReader::open(replay.file, replay.mix);
    if (!reader)
        return fail("workload.keys.file: " + reader.error());
    std::unique_ptr<TraceTraffic> traffic(new TraceTraffic(setup, replay, std::move(reader).value()));
    traffic->advance();
    return traffic;
}

TraceTraffic::TraceTraffic(const TrafficSetup& setup, const TraceReplay& replay, workload::TraceReader reader)
    : m_setup(setup)
    , m_replay(replay)
    , m_reader(std::move(reader))
    , m_shards(static_cast<size_t>(setup.cluster->shardCount()), 0)
    , m_databases(static_cast<size_t>(setup.cluster->databaseCount()), 0)
    , m_heat(static_cast<size_t>(setup.heatBuckets), 0)
    , m_shardTotals(m_shards.size(), 0.0)
    , m_operationTotals(setup.plan->operations().size(), 0.0)
    , m_queries(setup.plan->operations().size())
{
}

void TraceTraffic::advance()
{
    m_pending.reset();
    if (!m_problem.empty())
        return;
    auto row = m_reader.next();
    if (!row) {
        m_problem = row.error();
        return;
    }
    m_pending = *row;
}

void TraceTraffic::run(int64_t tick, std::span<const double>, TickTraffic& out)
{
    std::fill(m_shards.begin(), m_shards.end(), 0);
    std::fill(m_databases.begin(), m_databases.end(), 0);
    std::fill(m_heat.begin(), m_heat.end(), 0);
    uint64_t refused = 0;
    // The tick's end as the simulation computes it, so that a row lands in the tick whose [start, end) holds it.
    const double end = std::min(m_replay.duration, static_cast<double>(tick + 1) * m_replay.tickSeconds);
    const auto& ops = m_setup.plan->operations();
    // Each row is one call of its operation: one shard request on its key's shard (a broadcast write: one on each
    // database), reading or writing its one row.
    out.queries.assign(ops.size(), QueryTick {});
    std::vector<std::vector<double>> histograms(ops.size());
    const auto countCall = [&](size_t o, double requests, size_t fanout) {
        QueryTick& call = out.queries[o];
        call.calls += 1;
        call.shardRequests += requests;
        call.fanout += static_cast<double>(fanout);
        call.rows += static_cast<double>(fanout); // its row, on each shard or database it reaches
        call.crossShard += fanout > 1 ? 1 : 0;
        if (histograms[o].size() <= fanout)
            histograms[o].resize(fanout + 1, 0.0);
        histograms[o][fanout] += 1;
    };
    for (uint64_t replayed = 0; m_pending && m_pending->time < end; advance(), ++replayed) {
        if (replayed % kCancelCheckRows == 0 && m_setup.cancelled()) {
            out.interrupted = true; // the rows read so far are lost with the run
            return;
        }
        const workload::TraceRow& row = *m_pending;
        const auto o = static_cast<size_t>(row.operation);
        const OperationPlan& op = ops[o];
        if (op.broadcast) {
            if (op.write) {
                for (uint64_t& database : m_databases)
                    ++database;
                countCall(o, m_setup.amplification(op), m_databases.size());
            } else {
                // A trace has no region to pick a near copy by: the key spreads reads evenly over the copies.
                const auto count = static_cast<uint64_t>(m_databases.size());
                ++m_databases[static_cast<size_t>(static_cast<uint64_t>(row.key) % count)];
                countCall(o, 1, 1);
            }
            continue;
        }
        const int shard = m_setup.rule->shardOfInteger(row.key);
        if (shard < 0)
            ++refused;
        else
            ++m_shards[static_cast<size_t>(shard)];
        countCall(o, 1, shard < 0 ? 0 : 1);
        if (m_replay.heat && row.key >= 1 && m_setup.domains[static_cast<size_t>(op.domain)]->onHeatMap())
            ++m_heat[static_cast<size_t>(m_replay.heat->bucketOf(static_cast<uint64_t>(row.key)))];
    }
    for (size_t o = 0; o < ops.size(); ++o) {
        m_operationTotals[o] += out.queries[o].shardRequests;
        QueryTotals& total = m_queries[o];
        total.addTick(out.queries[o]);
        total.histogram.resize(std::max(total.histogram.size(), histograms[o].size()), 0.0);
        for (size_t d = 0; d < histograms[o].size(); ++d)
            total.histogram[d] += histograms[o][d];
    }

    const ClusterLayout& cluster = *m_setup.cluster;
    std::fill(out.nodeRequests.begin(), out.nodeRequests.end(), 0.0);
    for (size_t s = 0; s < m_shards.size(); ++s) {
        const auto requests = static_cast<double>(m_shards[s]);
        m_shardTotals[s] += requests;
        out.nodeRequests[static_cast<size_t>(cluster.primaryOfShard(static_cast<int>(s)))] += requests;
    }
    for (size_t d = 0; d < m_databases.size(); ++d)
        out.nodeRequests[static_cast<size_t>(cluster.primaryOfDatabase(static_cast<int>(d)))]
            += static_cast<double>(m_databases[d]);
    for (size_t b = 0; b < m_heat.size() && b < out.heat.size(); ++b)
        out.heat[b] = static_cast<double>(m_heat[b]);
    out.refused = static_cast<double>(refused);
    out.sameShape = false;
}

void TraceTraffic::totals(std::vector<double>& shards, std::vector<double>& operations)
{
    shards = m_shardTotals;
    operations = m_operationTotals;
}

void TraceTraffic::queryTotals(std::vector<QueryTotals>& operations) { operations = m_queries; }

} // namespace shardsim::engine
