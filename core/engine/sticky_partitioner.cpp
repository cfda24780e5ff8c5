#include "engine/sticky_partitioner.h"

#include <algorithm>
#include <cmath>

#include <boost/random/binomial_distribution.hpp>

#include "engine/alias_table.h"

namespace shardsim::engine {

namespace {

    // Above this many whole batches in one spread() the batches' partitions are drawn together, as a multinomial
    // (sequential binomials), which has the same law as drawing them one by one.
    constexpr uint64_t kBatchesOneByOne = 4096;

} // namespace

StickyPartitioner::StickyPartitioner(
    const rules::systems::KafkaProducerConfig& config, int partitions, size_t streams)
    : m_config(config)
    , m_shares(static_cast<size_t>(std::max(1, partitions)), 0.0)
    , m_streams(streams)
{
    const std::vector<int64_t> empty(m_shares.size(), 0);
    const std::vector<uint8_t> ready(m_shares.size(), 1);
    setLoad(empty, ready);
}

uint64_t StickyPartitioner::callsPerBatch(int64_t batchSize, double bytes)
{
    if (!(bytes > 0))
        return 1;
    return std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(static_cast<double>(batchSize) / bytes)));
}

void StickyPartitioner::setLoad(std::span<const int64_t> queuedBatches, std::span<const uint8_t> ready)
{
    const size_t partitions = m_shares.size();
    std::vector<uint64_t> cumulative;
    std::vector<int> ids;
    // Adaptive: the partitions not left out, weighted max + 1 - queue. Kafka skips the table when fewer than two
    // partitions exist, when none is left, or when every queue is the same and none was left out.
    if (m_config.adaptive && partitions >= 2) {
        int64_t maxQueue = 0;
        bool allEqual = true;
        for (size_t p = 0; p < partitions; ++p) {
            if (!ready[p])
                continue;
            if (!ids.empty() && queuedBatches[p] != queuedBatches[static_cast<size_t>(ids.front())])
                allEqual = false;
            maxQueue = std::max(maxQueue, queuedBatches[p]);
            ids.push_back(static_cast<int>(p));
        }
        if (ids.empty() || (allEqual && ids.size() == partitions)) {
            ids.clear();
        } else {
            uint64_t sum = 0;
            for (int p : ids) {
                sum += static_cast<uint64_t>(maxQueue + 1 - queuedBatches[static_cast<size_t>(p)]);
                cumulative.push_back(sum);
            }
        }
    }
    if (ids.empty()) {
        for (size_t p = 0; p < partitions; ++p) {
            ids.push_back(static_cast<int>(p));
            cumulative.push_back(p + 1);
        }
    }
    if (cumulative == m_cumulative && ids == m_ids)
        return;
    m_cumulative = std::move(cumulative);
    m_ids = std::move(ids);
    std::fill(m_shares.begin(), m_shares.end(), 0.0);
    const auto total = static_cast<double>(m_cumulative.back());
    for (size_t i = 0; i < m_ids.size(); ++i) {
        const uint64_t weight = m_cumulative[i] - (i > 0 ? m_cumulative[i - 1] : 0);
        m_shares[static_cast<size_t>(m_ids[i])] = static_cast<double>(weight) / total;
    }
    ++m_version;
}

void StickyPartitioner::observe(
    const ClusterLayout& cluster, std::span<const double> backlog, double maxQps, double callsPerBatch)
{
    const size_t partitions = m_shares.size();
    std::vector<int> led(static_cast<size_t>(cluster.nodeCount()), 0);
    for (size_t p = 0; p < partitions; ++p)
        ++led[static_cast<size_t>(cluster.primaryOfShard(static_cast<int>(p)))];
    std::vector<int64_t> queued(partitions, 0);
    std::vector<uint8_t> ready(partitions, 1);
    const double timeout = static_cast<double>(m_config.availabilityTimeoutMs) / 1000.0;
    for (size_t p = 0; p < partitions; ++p) {
        const auto node = static_cast<size_t>(cluster.primaryOfShard(static_cast<int>(p)));
        const double waiting = node < backlog.size() ? backlog[node] : 0.0;
        // A deque holds whole batches, the last one filling: a part of a batch is one more in the queue.
        queued[p] = static_cast<int64_t>(std::ceil(waiting / led[node] / std::max(1.0, callsPerBatch) - 1e-9));
        if (m_config.availabilityTimeoutMs > 0)
            ready[p] = !cluster.isDown(static_cast<NodeId>(node)) && !(waiting / maxQps > timeout) ? 1 : 0;
    }
    setLoad(queued, ready);
}

int StickyPartitioner::nextPartition(workload::RandomEngine& engine) const
{
    // A uniform integer in [0, total) from one 64-bit draw, then the first entry of the table above it.
    const uint64_t random = static_cast<uint64_t>((static_cast<UInt128>(engine()) * m_cumulative.back()) >> 64);
    const auto found = std::upper_bound(m_cumulative.begin(), m_cumulative.end(), random);
    return m_ids[static_cast<size_t>(found - m_cumulative.begin())];
}

void StickyPartitioner::spread(size_t stream, uint64_t calls, uint64_t callsPerBatch, workload::RandomEngine& engine,
    std::span<uint64_t> counts)
{
    Stream& state = m_streams[stream];
    callsPerBatch = std::max<uint64_t>(1, callsPerBatch);
    const auto fill = [&](uint64_t take) {
        counts[static_cast<size_t>(state.partition)] += take;
        state.left -= take;
        calls -= take;
    };
    if (state.left > 0 && state.partition >= 0)
        fill(std::min(state.left, calls));
    const uint64_t whole = calls / callsPerBatch;
    if (whole > kBatchesOneByOne) {
        // All but the last batch at once: P(partition) is its share, the remaining mass split by binomials.
        uint64_t batches = whole - (calls % callsPerBatch == 0 ? 1 : 0);
        double mass = 1;
        for (size_t p = 0; p < m_shares.size() && batches > 0; ++p) {
            const double q = mass > 0 ? std::clamp(m_shares[p] / mass, 0.0, 1.0) : 0.0;
            const auto taken = static_cast<uint64_t>(
                boost::random::binomial_distribution<int64_t, double>(static_cast<int64_t>(batches), q)(engine));
            counts[p] += taken * callsPerBatch;
            calls -= taken * callsPerBatch;
            batches -= taken;
            mass -= m_shares[p];
        }
    }
    while (calls > 0) {
        state.partition = nextPartition(engine);
        state.left = callsPerBatch;
        fill(std::min(state.left, calls));
    }
}

} // namespace shardsim::engine
