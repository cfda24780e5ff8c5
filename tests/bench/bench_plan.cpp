// The capacity planner over every rule family, timed end to end (scenario already read). No assertions: the numbers
// are reported. Reproduce: ./build/tests/bench/shardsim_bench --benchmark_filter=Plan
//
//   PlanOrders/3y_by_quarter   scenarios/planning/orders-capacity-plan.yaml as written: 3 years by quarter, rates
//                              +60%/year, two node types, every family (target: under 5 s)
//   PlanOrders/30y_by_month    the same scenario over 30 years by month with rates +100%/year from a base of 100/s
//                              (the horizon's rate must stay under 10^12/s) (target: under 30 s); hash-mod's hot range
//                              stalls at month 168 and from month 209 no 10,000 nodes serve the rate: infeasible
//
// Counters: simulations (runs of the expected engine), feasible (1 or 0), nodes (recommended now).

#include <benchmark/benchmark.h>

#include <string>

#include "shardsim/planner/capacity_plan.h"
#include "shardsim/scenario/scenario_reader.h"

using namespace shardsim;

namespace {

// scenarios/planning/orders-capacity-plan.yaml, with its horizon, step, base rate and rate growth as parameters.
std::string ordersScenario(
    const std::string& horizon, const std::string& step, const std::string& base, const std::string& growth)
{
    return R"(
name: orders-capacity-plan
duration: 4h
tick: 1m
cluster:
  nodes: 8
  node: { max_qps: 20K, storage: 2TB, cost_per_month: 900 }
data:
  tables:
    - { name: t_order, key: order_id, rows: 300M, row_size: 600B, growth: 1M/day }
sharding:
  rule: hash-mod:n=8
workload:
  rate: { shape: double-11, base: )"
        + base + R"(, peak: 8x, at: 2h, ramp: 5m, hold: 20m, decay: 30m, growth: )" + growth + R"( }
  keys: { distribution: hotspot, hot_fraction: 20%, hot_ops: 60%, at: end }
limits: { max_rows_per_table: 10M, max_utilization: 70%, max_storage_utilization: 80% }
plan:
  horizon: )"
        + horizon + R"(
  step: )"
        + step + R"(
  limits: { max_p99_latency: 50ms, tolerate_failures: 1 }
  node_types:
    - { name: standard, max_qps: 20K, storage: 2TB, cost_per_month: 900 }
    - { name: large, max_qps: 45K, storage: 4TB, cost_per_month: 2100 }
  bandwidth: 200MB/s
)";
}

void planOrders(
    benchmark::State& state, const char* horizon, const char* step, const char* base, const char* growth)
{
    ScenarioLoad loaded = loadScenarioText(ordersScenario(horizon, step, base, growth), "bench-plan.yaml", "");
    if (!loaded.config) {
        state.SkipWithError("the benchmark's scenario does not load");
        return;
    }
    for (auto _ : state) {
        auto plan = planCapacity(*loaded.config);
        if (!plan) {
            state.SkipWithError(plan.error().c_str());
            return;
        }
        state.counters["simulations"] = plan->simulations;
        state.counters["feasible"] = plan->feasible ? 1 : 0;
        state.counters["nodes"] = plan->recommended.nodes;
    }
}

} // namespace

BENCHMARK_CAPTURE(planOrders, 3y_by_quarter, "3y", "quarter", "15K/s", "60%/year")
    ->Name("PlanOrders/3y_by_quarter")
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK_CAPTURE(planOrders, 30y_by_month, "30y", "month", "100/s", "100%/year")
    ->Name("PlanOrders/30y_by_month")
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();
