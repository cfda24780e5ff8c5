// A Double-11 day under ranges that split, merge and move, timed end to end in the expected engine. No assertions:
// the numbers are reported. Reproduce: ./build/tests/bench/shardsim_bench --benchmark_filter=Ranges
//
//   RangesDouble11Day   24 h at 1 s ticks, 10^9 keys of 1 KB (10^12 bytes, 3,726 ranges of TiKV's 256 MiB split
//                       size), 256 nodes, auto-range:preset=tikv; 200K requests/s rising tenfold at 20:00 with the
//                       newest 0.01% of the keys drawing 30%, which splits by load every 1 s window it stays hot.
//                       ranges_end is the range count at the end; max_rss_mb the process's peak resident memory so
//                       far (memory per range, never per key)

#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include "shardsim/engine/simulation.h"
#include "shardsim/scenario/scenario_reader.h"

using namespace shardsim;

namespace {

const char* const kDouble11Day = R"(
name: bench-ranges-day
seed: 1
duration: 1d
tick: 1s
cluster: { nodes: 256, node: { max_qps: 50K, storage: 20TB } }
data: { tables: [ { name: t_item, key: item_id, rows: 1000M, row_size: 1KB } ] }
sharding: { rule: "auto-range:preset=tikv" }
workload:
  rate: { shape: double-11, base: 200K/s, peak: 10x, at: 20h, ramp: 2m, hold: 30m, decay: 1h }
  keys: { distribution: hotspot, hot_fraction: 0.01%, hot_ops: 30%, at: end }
)";

void rangesDouble11Day(benchmark::State& state)
{
    ScenarioLoad loaded = loadScenarioText(kDouble11Day, "bench.yaml", "");
    if (!loaded.config) {
        state.SkipWithError(loaded.errorText().c_str());
        return;
    }
    double ranges = 0;
    double splits = 0;
    for (auto _ : state) {
        RunOptions options;
        options.engine = EngineMode::Expected;
        auto result = runSimulation(*loaded.config, options);
        if (!result || !result->ranges) {
            state.SkipWithError(result ? "the run reported no ranges" : result.error().c_str());
            return;
        }
        ranges = result->ranges->end;
        splits = result->ranges->splits;
        benchmark::DoNotOptimize(result->imbalance.gini);
    }
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    state.counters["ticks"] = 86'400;
    state.counters["ranges_end"] = ranges;
    state.counters["splits"] = splits;
    state.counters["max_rss_mb"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}

} // namespace

BENCHMARK(rangesDouble11Day)->Name("RangesDouble11Day")->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
