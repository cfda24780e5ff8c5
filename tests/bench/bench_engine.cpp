// Whole runs of the engine, timed end to end (scenario already read). No assertions: the numbers are reported.
// Reproduce: ./build/tests/bench/shardsim_bench --benchmark_filter=Engine
//
//   EngineSampled/<rule>/<threads>  Zipf(0.99) over 10^8 keys on a 64-shard hashed rule, 10^8 requests drawn;
//                                   ns_per_request is wall time over requests, the whole run included
//   EnginePlainLoop                 the baseline the sampled engine is judged against: one request at a time, Gray et
//                                   al.'s Zipf generator (YCSB's), murmur3 of the key, modulo 64, a counter
//   EngineExpectedDay/<regions>     a simulated day at 1 s ticks on 1,024 nodes with 10^9 keys; max_rss_mb is the
//                                   process's peak resident memory so far
//   EngineExpectedDayOut/<out>      the same day (one region) as `run --out DIR` writes it (/1) and without --out (/0);
//                                   out_mb is the size of DIR: summary.json, nodes.csv, fanout.csv, heatmap.csv

#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <memory>

#include <sys/resource.h>
#include <unistd.h>

#include <boost/random/uniform_01.hpp>

#include "shardsim/engine/simulation.h"
#include "shardsim/report/csv_output.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/rules/hashes.h"
#include "shardsim/rules/key.h"
#include "shardsim/scenario/scenario_reader.h"
#include "shardsim/workload/gray_zipfian.h"
#include "shardsim/workload/harmonic.h"
#include "shardsim/workload/random_streams.h"

using namespace shardsim;

namespace {

ScenarioConfig load(const std::string& text)
{
    ScenarioLoad loaded = loadScenarioText(text, "bench.yaml", "");
    return loaded.config.value_or(ScenarioConfig {});
}

double maxResidentMegabytes()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // kB on Linux
}

void engineSampled(benchmark::State& state, const char* rule)
{
    const ScenarioConfig config = load(std::string(R"(
name: bench-sampled
seed: 1
duration: 10s
cluster: { nodes: 64, node: { max_qps: 1M } }
data: { tables: [ { name: t_user, key: uid, rows: 100M } ] }
sharding: { rule: ")")
        + rule + R"(" }
workload:
  rate: 10M/s
  keys: { distribution: zipf, theta: 0.99 }
)");
    double requests = 0;
    double seconds = 0;
    for (auto _ : state) {
        RunOptions options;
        options.engine = EngineMode::Sampled;
        options.threads = static_cast<int>(state.range(0));
        const auto start = std::chrono::steady_clock::now();
        auto result = runSimulation(config, options);
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!result) {
            state.SkipWithError(result.error().c_str());
            return;
        }
        requests += result->requests;
        benchmark::DoNotOptimize(result->imbalance.gini);
    }
    state.SetItemsProcessed(static_cast<int64_t>(requests));
    state.counters["ns_per_request"] = 1e9 * seconds / requests;
}

void enginePlainLoop(benchmark::State& state)
{
    constexpr uint64_t kKeys = 100'000'000;
    constexpr int64_t kRequests = 20'000'000;
    const workload::GrayZipfian zipf(kKeys, 0.99, workload::harmonicNumber(kKeys, 0.99));
    workload::RandomEngine engine(1);
    boost::random::uniform_01<double> uniform;
    std::vector<uint64_t> counts(64, 0);
    double seconds = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        for (int64_t i = 0; i < kRequests; ++i) {
            const uint64_t key = 1 + zipf.rankFromUniform(uniform(engine));
            ++counts[hashes::hashKey(hashes::HashFunction::Murmur3, Key::int64(static_cast<int64_t>(key))) % 64];
        }
        benchmark::DoNotOptimize(counts.data());
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    const auto requests = static_cast<double>(state.iterations() * kRequests);
    state.SetItemsProcessed(state.iterations() * kRequests);
    state.counters["ns_per_request"] = 1e9 * seconds / requests;
}

// A simulated day at 1 s ticks on 1,024 nodes with 10^9 keys, optionally over three regions.
ScenarioConfig dayOnThousandNodes(bool regions)
{
    std::string text = R"(
name: bench-expected
duration: 1d
tick: 1s
cluster: { nodes: 1024, node: { max_qps: 5K }, replication: 2 )"
        + std::string(regions ? ", regions: { east: 512, north: 256, south: 256 }" : "") + R"( }
data:
  tables:
    - { name: t_user, key: uid, rows: 1B, growth: 2M/day }
    - { name: t_order, key: order_no, shard_key: uid, bound_to: t_user, rows: 5B, growth: 20M/day }
sharding: { rule: "jump:buckets=1024" }
workload:
  rate: { shape: diurnal, base: 1M/s, peak: 3x, peak_hour: 20 }
  keys: { distribution: zipf, theta: 0.99 }
)";
    if (regions)
        text += "  geo: { east: 0.5, north: { share: 0.3, shift: 1h }, south: { share: 0.2, shift: 2h } }\n";
    return load(text);
}

void engineExpectedDay(benchmark::State& state)
{
    const ScenarioConfig config = dayOnThousandNodes(state.range(0) > 1);
    for (auto _ : state) {
        RunOptions options;
        options.engine = EngineMode::Expected;
        auto result = runSimulation(config, options);
        if (!result) {
            state.SkipWithError(result.error().c_str());
            return;
        }
        benchmark::DoNotOptimize(result->imbalance.gini);
    }
    state.counters["ticks"] = 86'400;
    state.counters["max_rss_mb"] = maxResidentMegabytes();
}

// `run --engine expected --out DIR` of the day: what the CLI writes (summary.json, nodes.csv and fanout.csv in
// windows, heatmap.csv) into a temporary directory; /0 is the same run without --out. out_mb is the directory's size.
void engineExpectedDayOut(benchmark::State& state)
{
    const bool out = state.range(0) != 0;
    const ScenarioConfig config = dayOnThousandNodes(false);
    const std::filesystem::path dir
        = std::filesystem::temp_directory_path() / ("shardsim-bench-out-" + std::to_string(getpid()));
    double bytes = 0;
    for (auto _ : state) {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        RunOptions options;
        options.engine = EngineMode::Expected;
        std::unique_ptr<NodesCsvSink> nodes;
        std::unique_ptr<FanoutCsvSink> fanout;
        if (out) {
            auto nodesSink = NodesCsvSink::open((dir / "nodes.csv").string());
            auto fanoutSink = FanoutCsvSink::open((dir / "fanout.csv").string());
            if (!nodesSink || !fanoutSink) {
                state.SkipWithError("cannot write into the temporary directory");
                return;
            }
            nodes = std::move(*nodesSink);
            fanout = std::move(*fanoutSink);
            options.sinks = { nodes.get(), fanout.get() };
        }
        auto result = runSimulation(config, options);
        if (!result) {
            state.SkipWithError(result.error().c_str());
            return;
        }
        if (out) {
            nodes.reset();
            fanout.reset();
            if (!writeTextFile((dir / "summary.json").string(), summaryJson(*result).dump(2) + "\n")
                || !writeHeatmapCsv((dir / "heatmap.csv").string(), result->heatmap)) {
                state.SkipWithError("cannot write into the temporary directory");
                return;
            }
        }
        bytes = 0;
        for (const auto& entry : std::filesystem::directory_iterator(dir))
            bytes += static_cast<double>(entry.file_size());
        benchmark::DoNotOptimize(result->imbalance.gini);
    }
    std::filesystem::remove_all(dir);
    state.counters["ticks"] = 86'400;
    state.counters["out_mb"] = bytes / 1e6;
    state.counters["max_rss_mb"] = maxResidentMegabytes();
}

} // namespace

BENCHMARK(enginePlainLoop)->Name("EnginePlainLoop")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(engineExpectedDay)->Name("EngineExpectedDay")->Arg(1)->Arg(3)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(engineExpectedDayOut)
    ->Name("EngineExpectedDayOut")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(engineSampled, hash_mod_murmur3, "hash-mod:n=64,hash=murmur3")
    ->Name("EngineSampled/hash-mod-murmur3")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(engineSampled, maglev, "maglev:nodes=64")
    ->Name("EngineSampled/maglev")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(engineSampled, jump, "jump:buckets=64")
    ->Name("EngineSampled/jump")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
