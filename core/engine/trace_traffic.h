#pragma once
// Phases 2 and 3 of a tick for `distribution: trace`, in either engine: the tick's requests are exactly the trace's
// rows whose time falls in the tick, each counted on the operation it names and routed by its recorded key. The
// rate curve plays no part. Nothing is drawn, so both engines give the same counts and no thread count changes
// them. The trace is read as a stream, one tick's rows at a time.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/heat_map_layout.h"
#include "engine/traffic.h"
#include "shardsim/workload/trace_file.h"

namespace shardsim::engine {

struct TraceReplay {
    std::string file; // resolved path
    std::span<const OperationConfig> mix; // the scenario's, in the order of the plan's operations
    double tickSeconds = 1;
    double duration = 0;
    const HeatMapLayout* heat = nullptr; // the heat map's key axis, null without a heat map
};

class TraceTraffic final : public Traffic {
public:
    // Checks the whole trace first, so that a malformed row fails the run before it starts; `warnings` gets what
    // the replay leaves out (rows at or after the end of the run).
    static Result<std::unique_ptr<TraceTraffic>> create(
        const TrafficSetup& setup, const TraceReplay& replay, std::vector<std::string>& warnings);

    void run(int64_t tick, std::span<const double> regionRequests, TickTraffic& out) override;
    void totals(std::vector<double>& shards, std::vector<double>& operations) override;
    void queryTotals(std::vector<QueryTotals>& operations) override;

    // Set when the file stopped reading during the run (it changed after the check); the replay stops there.
    const std::string& problem() const { return m_problem; }

private:
    TraceTraffic(const TrafficSetup& setup, const TraceReplay& replay, workload::TraceReader reader);
    void advance();

    TrafficSetup m_setup;
    TraceReplay m_replay;
    workload::TraceReader m_reader;
    std::optional<workload::TraceRow> m_pending; // the next row not yet replayed
    std::string m_problem;
    std::vector<uint64_t> m_shards; // this tick
    std::vector<uint64_t> m_databases;
    std::vector<uint64_t> m_heat;
    std::vector<double> m_shardTotals;
    std::vector<double> m_operationTotals;
    std::vector<QueryTotals> m_queries; // one call per row
};

} // namespace shardsim::engine
