#pragma once
// Internal: one reader per section of the scenario format, called in dependency order (cluster,
// data, sharding, workload, events, expect) so each can check its references against what came
// before. Every reader reports through the ReadContext and fills what it could read.

#include <optional>
#include <string>
#include <vector>

#include "read_context.h"
#include "shardsim/rules/shard_rule.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::scenario {

// What the later sections may rely on: a flag is set only when the value read without errors, so a
// single mistake does not cascade into follow-up errors.
struct ReadState {
    std::string baseDirectory;
    bool durationKnown = false;
    bool nodesKnown = false;
    bool regionsKnown = false;
    ShardRulePtr rule; // sharding.rule, when it is valid
};

void readCluster(ReadContext& context, const TreeNode* node, ClusterConfig& out, ReadState& state);
void readData(ReadContext& context, const TreeNode* node, DataConfig& out);
void readSharding(
    ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario, ShardingConfig& out, ReadState& state);
void readWorkload(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario, WorkloadConfig& out,
    const ReadState& state);
// workload.mix; part of readWorkload.
void readMix(
    ReadContext& context, const TreeNode& node, const ScenarioConfig& scenario, std::vector<OperationConfig>& out);
void readEvents(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario,
    std::vector<EventConfig>& out, const ReadState& state);
void readExpect(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario,
    std::vector<ExpectConfig>& out, const ReadState& state);
void readLimits(ReadContext& context, const TreeNode* node, LimitsConfig& out);
void readLesson(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario,
    std::vector<LessonStep>& out, const ReadState& state);
// After cluster and limits, whose values it takes as defaults.
void readPlan(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario, std::optional<PlanConfig>& out);

// Shared by sharding and events.

// `rule:` / `reshard:` in either form, checked with makeRule; sets `built` when valid.
std::optional<RuleSpec> readRule(
    ReadContext& context, const TreeNode& node, const std::string& path, const ReadState& state, ShardRulePtr* built);

// Which nodes exist at a point of the timeline: numbered from 0, never reused.
class NodeRoster {
public:
    enum class State { Up, Failed, Removed };

    explicit NodeRoster(int nodes);

    int size() const { return static_cast<int>(m_states.size()); }
    int existing() const { return m_existing; }
    State state(NodeId node) const { return m_states[static_cast<std::size_t>(node)]; }
    void add(int count);
    void set(NodeId node, State state);

private:
    std::vector<State> m_states;
    int m_existing = 0;
};

// A node written as a 1-based number (3) or a name ("node-3"), which must exist (not be removed)
// in `roster`; nullopt after reporting. `when` names the moment for messages ("at 2h").
std::optional<NodeId> readNodeRef(ReadContext& context, const TreeNode& node, const std::string& path,
    const NodeRoster& roster, const std::string& when);

// `round-robin`, `by-region`, `{ explicit: [1, 2, ...] }` or `{ by-region: [east, ...] }`. The list
// lengths are checked against `databases` when it is known (> 0), nodes against `roster` when given.
std::optional<PlacementConfig> readPlacement(ReadContext& context, const TreeNode& node, const std::string& path,
    const ClusterConfig& cluster, const NodeRoster* roster, int databases, const std::string& when);

} // namespace shardsim::scenario
