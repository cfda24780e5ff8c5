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
    double duration = 0; // s; the scenario's duration once durationKnown
    bool nodesKnown = false;
    bool regionsKnown = false;
    const TreeNode* regions = nullptr; // cluster.regions as written, for the sections that cannot combine with it
    ShardRulePtr rule; // sharding.rule, when it is valid
    // data.databases (a split by business domain). Declared: the key is written, even with mistakes; every field
    // that cannot be combined with business databases is an error then. The others are set only when clean: the
    // names resolve references, the node counts add up to cluster.nodes, every table resolved its database.
    bool databasesDeclared = false;
    bool databaseNamesKnown = false;
    bool databaseNodesKnown = false;
    bool tableDatabasesKnown = false;
};

void readCluster(ReadContext& context, const TreeNode* node, ClusterConfig& out, ReadState& state);
// After cluster, whose node count the business databases share out.
void readData(
    ReadContext& context, const TreeNode* node, const ClusterConfig& cluster, DataConfig& out, ReadState& state);
// data.databases; part of readData.
void readDatabases(ReadContext& context, const TreeNode& node, const ClusterConfig& cluster,
    std::vector<BusinessDatabase>& out, ReadState& state);
void readSharding(
    ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario, ShardingConfig& out, ReadState& state);
void readWorkload(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario, WorkloadConfig& out,
    const ReadState& state);
// A key law as workload.keys takes it: a name (`zipf`) or a mapping (`{ distribution: zipf, theta: 1.2 }`).
// Returns the `file:` of a trace whose file exists, to be checked against the mix once it is read.
const TreeNode* readKeyDistribution(ReadContext& context, const TreeNode& node, const std::string& path,
    const ReadState& state, KeyDistributionConfig& out);
// A recent law given as a `window` of time over `table`, whose keys must grow; else an error at its window.
void checkRecentWindow(ReadContext& context, const TreeNode& law, const std::string& path,
    const KeyDistributionConfig& keys, const ScenarioConfig& scenario, const std::string& table);
// `workload.keys: none`: the records have no key (read_keyless.cpp).
bool isKeylessLaw(const TreeNode& keys);
// Records without a key need the kafka rule and a mix of inserts (`mix`: the mix as written, null for the default).
void checkKeylessRecords(ReadContext& context, const TreeNode& keys, const TreeNode* mix,
    const ScenarioConfig& scenario, const std::vector<OperationConfig>& ops, const ReadState& state);
// workload.mix; part of readWorkload.
void readMix(ReadContext& context, const TreeNode& node, const ScenarioConfig& scenario,
    std::vector<OperationConfig>& out, const ReadState& state);
void readEvents(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario,
    std::vector<EventConfig>& out, const ReadState& state);
void readExpect(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario,
    std::vector<ExpectConfig>& out, const ReadState& state);
void readLimits(ReadContext& context, const TreeNode* node, LimitsConfig& out);
void readLesson(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario,
    std::vector<LessonStep>& out, const ReadState& state);
// A node's `concurrency` and `queue_timeout` keys (cluster.node and plan.node_types), when present in `map`.
void readServiceModel(ReadContext& context, MapReader& map, std::optional<double>& concurrency, double& queueTimeout);
// After cluster and limits, whose values it takes as defaults.
void readPlan(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario, std::optional<PlanConfig>& out);

// Shared by sharding and events.

// `rule:` / `reshard:` in either form, checked with makeRule; sets `built` when valid.
std::optional<RuleSpec> readRule(
    ReadContext& context, const TreeNode& node, const std::string& path, const ReadState& state, ShardRulePtr* built);

// Shared by data and events: `database: order_db`, the index of a business database of `databases`, or nullopt
// (reported, unless the names did not read cleanly). Not declared databases make the key an error.
std::optional<int> readDatabaseRef(ReadContext& context, const TreeNode& node, const std::string& path,
    const std::vector<BusinessDatabase>& databases, const ReadState& state);

// Shared by sharding and events: a rule that business databases cannot use (geo) is reported at `node`.
void checkRuleWithDatabases(
    ReadContext& context, const TreeNode& node, const std::string& path, const RuleSpec& spec, const ReadState& state);

// Which nodes exist at a point of the timeline: numbered from 0, never reused; and, with business databases,
// which database each node belongs to.
class NodeRoster {
public:
    enum class State { Up, Failed, Removed };
    static constexpr int kUnknownDatabase = -1;

    // `databaseNodes`: the nodes each business database owns at the start, in file order (contiguous ranges,
    // adding up to `nodes`); empty without business databases (every node in database 0).
    explicit NodeRoster(int nodes, const std::vector<int>& databaseNodes = {});

    int size() const { return static_cast<int>(m_states.size()); }
    int existing() const { return m_existing; }
    State state(NodeId node) const { return m_states[static_cast<std::size_t>(node)]; }
    int database(NodeId node) const { return m_databases[static_cast<std::size_t>(node)]; }
    // Nodes of `database` that are not removed.
    int existingIn(int database) const;
    // False once a node joined a database that could not be read: counts per database are then unreliable.
    bool databasesKnown() const { return m_databasesKnown; }
    void add(int count, int database = 0);
    void set(NodeId node, State state);

private:
    std::vector<State> m_states;
    std::vector<int> m_databases; // per node
    std::vector<int> m_existingIn; // per database
    int m_existing = 0;
    bool m_databasesKnown = true;
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
