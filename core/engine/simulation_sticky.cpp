// Records without a key (`workload.keys: none`): Kafka's sticky partitioner places each call instead of its key
// (engine/sticky_partitioner.h, docs/engine-model.md "Records without a key").

#include "engine/simulation_state.h"

namespace shardsim {

void SimulationState::buildSticky()
{
    m_sticky.reset();
    if (!m_config.workload.keyless)
        return;
    // The scenario reader allows keyless records under the kafka rule only; a rule an event brings in keeps Kafka's
    // defaults.
    const auto* producer = rules::systems::kafkaProducerConfig(*m_rule);
    const rules::systems::KafkaProducerConfig config = producer ? *producer : rules::systems::KafkaProducerConfig {};
    const auto& ops = m_plan->operations();
    m_sticky = std::make_unique<engine::StickyPartitioner>(config, m_cluster->shardsPerGroup(), ops.size());
    for (const engine::OperationPlan& op : ops) {
        const engine::TablePlan& table = m_plan->tables()[static_cast<size_t>(op.table)];
        // A call appends `keys` records of the table's row size.
        const double bytes = table.rowSize * static_cast<double>(op.query.keys);
        m_setup.callsPerBatch.push_back(engine::StickyPartitioner::callsPerBatch(config.batchSize, bytes));
    }
    m_setup.sticky = m_sticky.get();
}

void SimulationState::observeSticky(double seconds)
{
    if (!m_sticky || !m_load)
        return;
    double calls = 0;
    for (double requests : m_regionRequests)
        calls += requests;
    m_sticky->observe(*m_cluster, m_load->backlog(), m_config.cluster.node.maxQps, seconds, calls);
}

} // namespace shardsim
