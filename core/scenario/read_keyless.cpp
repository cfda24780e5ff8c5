// `workload.keys: none`: records without a key, which only Kafka's producer places (its sticky partitioner).

#include <fmt/format.h>

#include "rules/systems/kafka.h"
#include "section_readers.h"

namespace shardsim::scenario {

bool isKeylessLaw(const TreeNode& keys) { return keys.isScalar() && keys.scalar == "none"; }

void checkKeylessRecords(ReadContext& context, const TreeNode& keys, const TreeNode* mix,
    const ScenarioConfig& scenario, const std::vector<OperationConfig>& ops, const ReadState& state)
{
    if (state.rule && !rules::systems::kafkaProducerConfig(*state.rule)) {
        context.error(keys, "workload.keys",
            fmt::format("records without a key need a partitioner that accepts them: kafka (e.g. rule: "
                        "kafka:partitions=12); {} routes keys",
                state.rule->spec()));
        return;
    }
    if (state.databasesDeclared) {
        context.error(keys, "workload.keys",
            "records without a key and business databases (data.databases) cannot "
            "be combined: a Kafka topic is one set of partitions");
        return;
    }
    if (!mix) {
        context.error(keys, "workload.keys",
            "records without a key are produced, not looked up: give the mix an insert, e.g. mix: [{ kind: insert, "
            "table: "
                + (scenario.data.tables.empty() ? std::string("t") : scenario.data.tables.front().name) + " }]");
        return;
    }
    for (std::size_t i = 0; i < ops.size() && i < mix->children.size(); ++i) {
        const TreeNode& item = mix->children[i];
        const TreeNode* kind = item.find("kind");
        const std::string path = fmt::format("workload.mix[{}]", i);
        if (ops[i].kind != OperationKind::Insert) {
            context.error(kind ? *kind : item, path + ".kind",
                "records without a key (workload.keys: none) can only be produced: kind: insert");
            continue;
        }
        const TableConfig* table = ops[i].tables.empty() ? nullptr : scenario.data.findTable(ops[i].tables.front());
        if (table && table->broadcast)
            context.error(item.find("table") ? *item.find("table") : item, path + ".table",
                fmt::format("'{}' is copied to every database (broadcast); records without a key go to one partition",
                    table->name));
    }
}

} // namespace shardsim::scenario
