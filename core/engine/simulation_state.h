#pragma once
// Everything a run holds between ticks. Simulation (simulation.h) is its public face.

#include <deque>
#include <memory>
#include <vector>

#include "engine/cluster_layout.h"
#include "engine/heat_map_layout.h"
#include "engine/imbalance_meter.h"
#include "engine/key_domain.h"
#include "engine/migration_process.h"
#include "engine/node_load.h"
#include "engine/range_share_counter.h"
#include "engine/run_plan.h"
#include "engine/storage_model.h"
#include "engine/trace_traffic.h"
#include "engine/traffic.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/metrics/tick_windows.h"
#include "shardsim/report/expectations.h"

namespace shardsim {

class SimulationState {
public:
    static Result<std::unique_ptr<SimulationState>> create(const ScenarioConfig& config, RunOptions options);

    bool step();
    int64_t tick() const { return m_tick; }
    int64_t tickCount() const { return m_ticks; }
    EngineMode engine() const { return m_engine; }
    int threads() const { return m_options.threads; }
    double sampledRequests() const
    {
        return m_engine == EngineMode::Sampled && !m_trace ? m_plan->expectedRequestsOfRun(m_config.duration) : 0;
    }
    RunResult finish();
    bool finished() const { return m_finished; }

private:
    // Hottest keys routed one by one: the expected engine's shares are exact for them; the sampled engine keeps
    // them in its alias table with their shard precomputed (a small table stays in cache).
    static constexpr uint64_t kExpectedHeadKeys = 65'536;
    static constexpr uint64_t kSampledHeadKeys = 16'384;

    SimulationState(const ScenarioConfig& config, RunOptions options);
    Result<bool> build();
    void buildRegions();
    void addScenarioWarnings();
    void addHeatRow(int64_t tick, double seconds);
    void closeClusterWindow();
    void fillTotals(RunResult& result, double seconds);
    void fillTables(RunResult& result, double seconds);
    // The name of layout shard `shard`: the rule's, after its business database's when there are several
    // ("order_db/db1.t_7").
    std::string shardName(int shard) const;

    // Events (simulation_events.cpp, docs/migration-model.md).
    void prepareEvents();
    std::vector<NodeInfo> allNodes() const;
    Result<bool> buildRouting(double t); // domains, traffic and storage for m_rule and m_cluster at time t
    std::vector<double> geoShares() const;
    void applyEvents(double t0);
    void applyLayoutChange(const EventConfig& event, double t0);
    // Per database of the event's new rule, the current database whose nodes it keeps (ClusterLayout::arrange).
    std::vector<int> keptDatabases(
        const EventConfig& event, const ShardRule& rule, const PlacementConfig& placement) const;
    void failNode(NodeId node, const EventConfig& event, double t0);
    void recoverNode(NodeId node, double t0);
    // The failover summary of `node`, which has just gone down; `served` the databases it served until then.
    void recordFailover(NodeId node, const std::vector<int>& served, double t0);
    // A tick's load on the nodes that took over, and what was shed and failed while they covered.
    void trackFailovers(double t0, double shed, double failed);
    void startReReplication(NodeId node, double bandwidth, double t0);
    void cutover(double t0);
    void runMigration(double t0, double t1, ClusterTick& cluster);
    double writeBytesPerSecond(double t0, double t1) const;
    void countUnavailable(double t0, double t1);
    void measureImbalance(ClusterTick& cluster);
    void endMigration(bool finished, double t);

    ScenarioConfig m_config;
    RunOptions m_options;
    EngineMode m_engine = EngineMode::Expected;
    uint64_t m_seed = 0;
    int64_t m_ticks = 0;
    int64_t m_tick = 0;
    bool m_finished = false;

    ShardRulePtr m_rule;
    // Each shard's keys in a range for m_rule, counted once per run (declared before the domains and the storage that
    // hold it, so it outlives them); replaced with the rule.
    std::unique_ptr<engine::RangeShareCounter> m_rangeCounter;
    std::unique_ptr<engine::RunPlan> m_plan;
    std::unique_ptr<engine::ClusterLayout> m_cluster;
    engine::HeatMapLayout m_heatLayout;
    bool m_hasHeatMap = false;
    bool m_geoRule = false;
    std::vector<std::unique_ptr<engine::KeyDomain>> m_domains;
    engine::TrafficSetup m_setup;
    std::unique_ptr<engine::Traffic> m_traffic;
    const engine::TraceTraffic* m_trace = nullptr; // m_traffic when the workload replays a trace
    std::unique_ptr<engine::StorageModel> m_storage;
    std::unique_ptr<engine::NodeLoad> m_load;
    engine::ImbalanceMeter m_imbalance;
    Imbalance m_lastImbalance;

    // Per tick, reused.
    std::vector<double> m_regionRequests;
    engine::TickTraffic m_tickTraffic;
    std::vector<NodeTick> m_nodeTicks;

    // Events: in time order (file order among equal times); layout changes wait while a migration runs.
    std::vector<EventConfig> m_events;
    size_t m_nextEvent = 0;
    std::deque<EventConfig> m_waiting;
    int m_addedNodes = 0; // nodes joined so far by add_nodes
    int m_totalNodes = 0; // every node the run will have
    std::unique_ptr<engine::MigrationProcess> m_migration;
    ShardRulePtr m_targetRule; // the running layout migration's
    std::unique_ptr<engine::ClusterLayout> m_targetCluster;
    struct CopyMove {
        int database = 0;
        int copy = 0;
        NodeId node = 0;
    };
    std::vector<CopyMove> m_copyMoves; // the running re-replication's
    NodeId m_reReplicated = -1; // the failed node it replaces
    std::vector<size_t> m_openFailovers; // indices into m_result.failovers of the nodes down now
    std::vector<double> m_background; // migration work per node this tick
    std::vector<bool> m_everMember; // per node
    std::vector<double> m_servingRequests; // per tick, reused: requests of the nodes up and in the cluster
    std::vector<bool> m_everUnavailable; // per database of the current rule
    std::vector<double> m_retiredOperations; // operation totals of the routing replaced at cutovers
    std::vector<engine::QueryTotals> m_retiredQueries; // the same for the calls of each operation
    std::vector<std::vector<double>> m_retiredNodeWork; // and for each operation's work per node
    double m_unavailable = 0; // requests failed because their shard had no copy up
    double m_refused = 0; // requests whose key the rule refused
    double m_affectedUsers = 0;
    double m_unavailableSeconds = 0;
    double m_migrationBytes = 0; // copied so far over all migrations
    double m_migrationWriteShare = 0; // part of the written bytes the running migration must catch up on
    int m_downNodes = 0; // this tick
    bool m_backgroundSet = false; // the nodes carry a migration's background work

    // Run totals beyond the nodes' own.
    double m_failed = 0;
    int64_t m_ticksPerHeatBucket = 1;
    std::vector<double> m_heatSeconds; // per time bucket: seconds it covers so far
    // The cluster series is kept in windows, so memory does not grow with the ticks; expectations see every tick.
    ClusterWindowMerger m_clusterWindow;
    TickExpectations m_tickExpectations;

    RunResult m_result;
};

} // namespace shardsim
