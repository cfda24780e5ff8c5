#pragma once
// Kafka's sticky partitioner (Kafka 3.3+, KIP-794) for records without a key (`workload.keys: none` under the kafka
// rule), as BuiltInPartitioner and RecordAccumulator do it (docs/engine-model.md, "Records without a key"):
//
//   - the producer appends to one partition until batch.size bytes went to it, then switches;
//   - the next partition is drawn uniformly from the partitions, or, with adaptive partitioning (the default), from
//     the cumulative frequency table of (max queue + 1 - queue) over the partitions' queues of batches, leaving out
//     those whose leader has not been ready for partitioner.availability.timeout.ms (when that is on).
//
// Kafka's producer refreshes those load stats every time its sender looks at the queues, thousands of times in a
// tick, so the engine uses the balance that feedback reaches (observe()): a partition whose leader cannot drain its
// share builds a queue, is drawn less, and settles where what it is sent equals what its leader serves; the others,
// with empty queues, weigh max + 1 each and share the rest evenly.

#include <cstdint>
#include <span>
#include <vector>

#include "engine/cluster_layout.h"
#include "rules/systems/kafka.h"
#include "shardsim/workload/random_streams.h"

namespace shardsim::engine {

class StickyPartitioner {
public:
    // `streams`: producers that stick independently (one per operation of the mix).
    StickyPartitioner(const rules::systems::KafkaProducerConfig& config, int partitions, size_t streams);

    const rules::systems::KafkaProducerConfig& config() const { return m_config; }
    int partitions() const { return static_cast<int>(m_shares.size()); }

    // Calls appended to a partition before the switch, for calls of `bytes` bytes each: Kafka switches once
    // batch.size bytes were produced to it, after ceil(batch.size / bytes) calls (at least 1).
    static uint64_t callsPerBatch(int64_t batchSize, double bytes);

    // Kafka's partition load stats (BuiltInPartitioner.updatePartitionLoadStats): `queuedBatches[p]` the batches
    // waiting for partition p, `ready[p]` 0 when p's leader is left out. Without adaptive partitioning both
    // are ignored and every partition is equally likely.
    void setLoad(std::span<const int64_t> queuedBatches, std::span<const uint8_t> ready);
    // The balance for a tick from the cluster at its start (docs/engine-model.md, "Records without a key"): node n
    // can take C_n = maxQps x seconds - backlog_n more requests (0 when down); `calls` are expected. Adaptive: a
    // partition gets min(x, C_n / k_n) with k_n the partitions n leads and x such that the partitions take all
    // calls, plus an even part of what no leader can take. The availability timeout leaves out partitions whose
    // leader is down or delays a request by more than the timeout. Without adaptive partitioning: uniform.
    void observe(const ClusterLayout& cluster, std::span<const double> backlog, double maxQps, double seconds,
        double calls);

    // Expected engine: each partition's probability of taking the next batch, and a counter that changes with them.
    std::span<const double> shares() const { return m_shares; }
    int version() const { return m_version; }

    // Sampled engine: `calls` more calls of stream `stream`, `callsPerBatch` to a batch, each new batch's partition
    // drawn from `engine`; adds the calls of each partition to `counts`. The partition being filled carries over to
    // the next call of spread().
    void spread(size_t stream, uint64_t calls, uint64_t callsPerBatch, workload::RandomEngine& engine,
        std::span<uint64_t> counts);
    // One switch: the next partition, drawn as BuiltInPartitioner.nextPartition draws it.
    int nextPartition(workload::RandomEngine& engine) const;

private:
    struct Stream {
        int partition = -1; // the partition being filled; -1 before the first call
        uint64_t left = 0; // calls still to append to it
    };

    rules::systems::KafkaProducerConfig m_config;
    // Each partition's weight (0: never drawn); the shares and the cumulative table from them. All zero: uniform.
    void setWeights(std::vector<double> weights);

    std::vector<double> m_weights;
    std::vector<double> m_cumulative; // running sum of m_weights, as Kafka's cumulative frequency table
    std::vector<double> m_shares; // per partition
    std::vector<Stream> m_streams;
    int m_version = 0;
};

} // namespace shardsim::engine
