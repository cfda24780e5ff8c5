#pragma once
// Everything a run holds between ticks. Simulation (simulation.h) is its public face.

#include <memory>
#include <vector>

#include "engine/cluster_layout.h"
#include "engine/heat_map_layout.h"
#include "engine/imbalance_meter.h"
#include "engine/key_domain.h"
#include "engine/node_load.h"
#include "engine/run_plan.h"
#include "engine/storage_model.h"
#include "engine/trace_traffic.h"
#include "engine/traffic.h"
#include "shardsim/engine/simulation.h"

namespace shardsim {

class SimulationState {
public:
    static Result<std::unique_ptr<SimulationState>> create(const ScenarioConfig& config, RunOptions options);

    bool step();
    int64_t tick() const { return m_tick; }
    int64_t tickCount() const { return m_ticks; }
    EngineMode engine() const { return m_engine; }
    RunResult finish();
    bool finished() const { return m_finished; }

private:
    SimulationState(const ScenarioConfig& config, RunOptions options);
    Result<bool> build();
    void buildRegions();
    void addScenarioWarnings();
    void addHeatRow(int64_t tick, double seconds);
    void fillTotals(RunResult& result, double seconds) const;
    void fillTables(RunResult& result, double seconds);

    ScenarioConfig m_config;
    RunOptions m_options;
    EngineMode m_engine = EngineMode::Expected;
    uint64_t m_seed = 0;
    int64_t m_ticks = 0;
    int64_t m_tick = 0;
    bool m_finished = false;

    ShardRulePtr m_rule;
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

    // Run totals beyond the nodes' own.
    double m_failed = 0;
    int64_t m_ticksPerHeatBucket = 1;
    std::vector<double> m_heatSeconds; // per time bucket: seconds it covers so far

    RunResult m_result;
};

} // namespace shardsim
