#pragma once
// Everything a run holds between ticks, one part per phase of step() (docs/engine-model.md §1). Simulation
// (simulation.h) is its public face. simulation_state.cpp builds the run and runs the phases; simulation_events.cpp
// holds the events and migrations, simulation_totals.cpp the result at the end.

#include <memory>
#include <vector>

#include "engine/cluster_layout.h"
#include "engine/event_queue.h"
#include "engine/failure_meter.h"
#include "engine/heat_map_layout.h"
#include "engine/key_domain.h"
#include "engine/node_load.h"
#include "engine/range_run.h"
#include "engine/range_share_counter.h"
#include "engine/retired_totals.h"
#include "engine/run_plan.h"
#include "engine/running_migration.h"
#include "engine/sticky_partitioner.h"
#include "engine/storage_model.h"
#include "engine/tick_metrics.h"
#include "engine/trace_traffic.h"
#include "engine/traffic.h"
#include "shardsim/engine/shard_rows.h"
#include "shardsim/engine/simulation.h"

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
    // `table`'s rows on each shard of the rule in force now (shard_rows.cpp); no rows for a broadcast table.
    TableShardRows shardRowsNow(const std::string& table) const;

private:
    // Hottest keys routed one by one: the expected engine's shares are exact for them; the sampled engine keeps
    // them in its alias table with their shard precomputed (a small table stays in cache).
    static constexpr uint64_t kExpectedHeadKeys = 65'536;
    static constexpr uint64_t kSampledHeadKeys = 16'384;

    // [t0, t1) of a tick; the last one may be shorter.
    struct TickSpan {
        double t0 = 0;
        double t1 = 0;
        double seconds() const { return t1 - t0; }
    };

    SimulationState(const ScenarioConfig& config, RunOptions options);
    Result<bool> build();
    void buildRegions();
    void addScenarioWarnings();
    TickSpan tickSpan() const;

    // The phases of a tick, in the order step() runs them.
    void applyEvents(double t0); // 1. events due, and the running migration's cutover
    void computeRates(const TickSpan& span); // 2. each region's expected requests
    bool routeTraffic(const TickSpan& span); // 3. requests per operation onto shards and nodes; false if cancelled
    void runMigration(const TickSpan& span, ClusterTick& cluster); // 4. the copy work of the running migration
    void loadNodes(const TickSpan& span, ClusterTick& cluster); // 5. storage, queues, utilisation and latency
    void recordMetrics(const TickSpan& span, ClusterTick& cluster); // 6. the tick's metrics, and the sinks

    // Events and migrations (simulation_events.cpp, docs/migration-model.md).
    Result<bool> buildRouting(double t); // domains, traffic and storage for m_rule and m_cluster at time t
    std::vector<double> geoShares() const;
    // Records without a key (simulation_sticky.cpp): the sticky partitioner for the rule in force, and its view of
    // the nodes' queues at the start of a tick of `seconds`.
    void buildSticky();
    void observeSticky(double seconds);
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
    double writeBytesPerSecond(const TickSpan& span) const;
    void endMigration(bool finished, double t);

    // Ranges that split, merge and move under an auto-range rule (simulation_ranges.cpp, docs/engine-model.md).
    Result<bool> startRanges(const AutoRangeRule& rule); // the balancer, the loaded table split by size, its layout
    bool rangeEvent(const EventConfig& event, double t0); // node events feed the balancer; false: not handled here
    void runRangeMoves(const TickSpan& span, ClusterTick& cluster); // phase 4 under auto-range
    void endRangeTick(const TickSpan& span); // the load window's decisions when it ends; the layout they call for
    Result<bool> arrangeRanges(); // m_rule and m_cluster for the balancer's bounds and leaders
    void fillRanges(RunResult& result) const;
    // The rule a layout's shards are named under in the totals: an auto-range rule's spec without its bounds, so a
    // range keeps one entry across the layouts its splits and moves make.
    std::string layoutRule() const { return m_ranges ? m_ranges->rule->spec() : m_rule->spec(); }

    // The result at the end (simulation_totals.cpp).
    void fillTotals(RunResult& result, double seconds);
    void fillTables(RunResult& result, double seconds);
    void addEndWarnings(RunResult& result); // what the totals call for, after them
    // The name of layout shard `shard`: the rule's, after its business database's when there are several
    // ("order_db/db1.t_7").
    std::string shardName(int shard) const;
    // The layout's shards in order, named, on the node holding their primary, without requests yet.
    std::vector<ShardSummary> layoutShards() const;

    ScenarioConfig m_config;
    RunOptions m_options;
    EngineMode m_engine = EngineMode::Expected;
    uint64_t m_seed = 0;
    int64_t m_ticks = 0;
    int64_t m_tick = 0;
    bool m_finished = false;
    bool m_perNode = false; // a sink wants the nodes' values each tick
    std::unique_ptr<engine::RunPlan> m_plan;

    // The current layout and its routing, rebuilt at each cutover (buildRouting); the heat map's key axis.
    ShardRulePtr m_rule;
    // The rule m_rangeCounter counts, kept alive (and declared first, so it outlives the counter) so that a new rule
    // cannot take its address and pass for it.
    ShardRulePtr m_countedRule;
    // Each shard's keys in a range for m_rule, counted once per run (declared before the domains and the storage that
    // hold it, so it outlives them); replaced with the rule.
    std::unique_ptr<engine::RangeShareCounter> m_rangeCounter;
    std::unique_ptr<engine::ClusterLayout> m_cluster;
    engine::HeatMapLayout m_heatLayout;
    bool m_hasHeatMap = false;
    bool m_geoRule = false;
    std::vector<std::unique_ptr<engine::KeyDomain>> m_domains;
    std::unique_ptr<engine::StickyPartitioner> m_sticky; // null unless workload.keys is none
    engine::TrafficSetup m_setup;
    std::unique_ptr<engine::Traffic> m_traffic;
    const engine::TraceTraffic* m_trace = nullptr; // m_traffic when the workload replays a trace
    std::unique_ptr<engine::StorageModel> m_storage;
    std::vector<bool> m_everMember; // per node: part of the cluster at some moment

    // Phase 1: events.
    engine::EventQueue m_events;
    // Phase 2: rates, per region; reused.
    std::vector<double> m_regionRequests;
    // Phase 3: traffic, reused each tick; the requests that reached no node; what replaced routings counted.
    engine::TickTraffic m_tickTraffic;
    engine::FailureMeter m_failures;
    double m_unreached = 0; // this tick: requests refused or on a shard with no copy up
    engine::RetiredTotals m_retired;
    // Phase 4: the migration under way.
    engine::RunningMigration m_migration;
    // Phase 5: node load; the nodes' values per tick, reused (filled only when m_perNode).
    std::unique_ptr<engine::NodeLoad> m_load;
    std::vector<NodeTick> m_nodeTicks;
    // Phase 6: metrics.
    engine::TickMetrics m_metrics;
    std::vector<size_t> m_openFailovers; // indices into m_result.failovers of the nodes down now
    // Auto-range: the ranges and their balancer (null under any other rule).
    std::unique_ptr<engine::RangeRun> m_ranges;

    RunResult m_result;
};

} // namespace shardsim
