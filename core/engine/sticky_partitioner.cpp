#include "engine/sticky_partitioner.h"

#include <algorithm>
#include <cmath>

#include <boost/random/binomial_distribution.hpp>

namespace shardsim::engine {

namespace {

    // Above this many whole batches in one spread() the batches' partitions are drawn together, as a multinomial
    // (sequential binomials), which has the same law as drawing them one by one.
    constexpr uint64_t kBatchesOneByOne = 4096;

} // namespace

StickyPartitioner::StickyPartitioner(const rules::systems::KafkaProducerConfig& config, int partitions, size_t streams)
    : m_config(config)
    , m_shares(static_cast<size_t>(std::max(1, partitions)), 0.0)
    , m_streams(streams)
{
    setWeights(std::vector<double>(m_shares.size(), 0.0));
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
    std::vector<double> weights(partitions, 0.0);
    // Kafka skips the table (uniform) with fewer than two partitions, with none ready, or when every queue is the
    // same and none was left out.
    bool allEqual = true;
    int64_t maxQueue = -1;
    size_t readyCount = 0;
    for (size_t p = 0; p < partitions; ++p) {
        if (!ready[p])
            continue;
        allEqual = allEqual && (maxQueue < 0 || queuedBatches[p] == maxQueue);
        maxQueue = std::max(maxQueue, queuedBatches[p]);
        ++readyCount;
    }
    if (m_config.adaptive && partitions >= 2 && readyCount > 0 && !(allEqual && readyCount == partitions)) {
        for (size_t p = 0; p < partitions; ++p)
            weights[p] = ready[p] ? static_cast<double>(maxQueue + 1 - queuedBatches[p]) : 0.0;
    }
    setWeights(std::move(weights));
}

void StickyPartitioner::observe(
    const ClusterLayout& cluster, std::span<const double> backlog, double maxQps, double seconds, double calls)
{
    const size_t partitions = m_shares.size();
    if (!m_config.adaptive || !(calls > 0)) {
        setWeights(std::vector<double>(partitions, 0.0));
        return;
    }
    const auto nodeOf
        = [&](size_t p) { return static_cast<size_t>(cluster.primaryOfShard(static_cast<int>(p))); };
    const double timeout = static_cast<double>(m_config.availabilityTimeoutMs) / 1000.0;
    std::vector<double> room(static_cast<size_t>(cluster.nodeCount()), 0.0); // C_n
    std::vector<int> led(room.size(), 0); // k_n, ready partitions only
    std::vector<uint8_t> ready(partitions, 1);
    for (size_t p = 0; p < partitions; ++p) {
        const size_t n = nodeOf(p);
        const double waiting = n < backlog.size() ? backlog[n] : 0.0;
        const bool down = cluster.isDown(static_cast<NodeId>(n));
        room[n] = down ? 0.0 : std::max(0.0, maxQps * seconds - waiting);
        if (m_config.availabilityTimeoutMs > 0 && (down || waiting / maxQps > timeout))
            ready[p] = 0;
        led[n] += ready[p];
    }
    // Water-filling: raise x until the ready partitions, each capped at C_n / k_n, take every call.
    std::vector<double> caps;
    for (size_t p = 0; p < partitions; ++p) {
        if (ready[p])
            caps.push_back(room[nodeOf(p)] / led[nodeOf(p)]);
    }
    if (caps.empty()) { // nothing ready: Kafka picks among all partitions
        setWeights(std::vector<double>(partitions, 0.0));
        return;
    }
    std::sort(caps.begin(), caps.end());
    double left = calls;
    double level = caps.back();
    double capacity = 0;
    for (double cap : caps)
        capacity += cap;
    if (capacity > calls) {
        for (size_t i = 0; i < caps.size(); ++i) {
            const double uncapped = static_cast<double>(caps.size() - i);
            if (caps[i] * uncapped >= left) {
                level = left / uncapped;
                break;
            }
            left -= caps[i];
        }
    }
    // What no leader can take queues everywhere alike.
    const double overflow = std::max(0.0, calls - capacity) / static_cast<double>(caps.size());
    std::vector<double> weights(partitions, 0.0);
    for (size_t p = 0; p < partitions; ++p) {
        if (ready[p])
            weights[p] = std::min(level, room[nodeOf(p)] / led[nodeOf(p)]) + overflow;
    }
    setWeights(std::move(weights));
}

void StickyPartitioner::setWeights(std::vector<double> weights)
{
    double total = 0;
    for (double w : weights)
        total += w;
    if (!(total > 0))
        std::fill(weights.begin(), weights.end(), 1.0);
    if (weights == m_weights)
        return;
    m_weights = std::move(weights);
    m_cumulative.clear();
    double sum = 0;
    for (double w : m_weights)
        m_cumulative.push_back(sum += w);
    for (size_t p = 0; p < m_shares.size(); ++p)
        m_shares[p] = m_weights[p] / sum;
    ++m_version;
}

int StickyPartitioner::nextPartition(workload::RandomEngine& engine) const
{
    // A uniform point of [0, total) from the top 53 bits of one draw, then the first entry of the table above it.
    const double u = static_cast<double>(engine() >> 11) * 0x1.0p-53 * m_cumulative.back();
    const auto found = std::upper_bound(m_cumulative.begin(), m_cumulative.end(), u);
    const auto p = std::min<size_t>(static_cast<size_t>(found - m_cumulative.begin()), m_cumulative.size() - 1);
    return static_cast<int>(p);
}

void StickyPartitioner::spread(
    size_t stream, uint64_t calls, uint64_t callsPerBatch, workload::RandomEngine& engine, std::span<uint64_t> counts)
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
