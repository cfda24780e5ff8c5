// The sampled engine for every rule family against the plain per-request loop, in the same process. No assertions:
// the numbers are reported.
// Reproduce: ./build/tests/bench/shardsim_bench --benchmark_filter=SampledFamily --benchmark_min_time=0.01
//
//   SampledFamily/<family>/<threads>   a whole run of the sampled engine: Zipf(0.99) over 10^8 keys on 64 nodes,
//                                      10^8 requests (10 s at 10M/s); ns_per_request is wall time, cpu_ns the
//                                      process's CPU time (both threads' on /2), per request
//   SampledFamily/uniform-<family>/1   the same with uniform keys, where the law has no head
//   vs_plain                           the plain loop's CPU ns per request over the run's: Gray et al.'s Zipf(0.99)
//                                      (uniform keys for the uniform rows), murmur3 of the key, modulo 64, a counter;
//                                      10^7 requests measured right before the run (plain_ns)

#include <benchmark/benchmark.h>

#include <chrono>
#include <ctime>
#include <string>

#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "shardsim/engine/simulation.h"
#include "shardsim/rules/hashes.h"
#include "shardsim/rules/key.h"
#include "shardsim/scenario/scenario_reader.h"
#include "shardsim/workload/gray_zipfian.h"
#include "shardsim/workload/harmonic.h"
#include "shardsim/workload/random_streams.h"

using namespace shardsim;

namespace {

constexpr uint64_t kKeys = 100'000'000;

double processSeconds()
{
    timespec now {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// CPU ns per request of the plain loop, keys drawn by `keyOf(engine)`.
template <typename KeyOf> double plainLoopNanoseconds(KeyOf keyOf)
{
    constexpr int64_t kRequests = 10'000'000;
    workload::RandomEngine engine(1);
    std::vector<uint64_t> counts(64, 0);
    const double start = processSeconds();
    for (int64_t i = 0; i < kRequests; ++i)
        ++counts[hashes::hashKey(hashes::HashFunction::Murmur3, Key::int64(static_cast<int64_t>(keyOf(engine)))) % 64];
    benchmark::DoNotOptimize(counts.data());
    return 1e9 * (processSeconds() - start) / static_cast<double>(kRequests);
}

// Measured again right before each run: on a shared machine the speed drifts between runs, and the ratio of two
// measurements taken together is steadier than either.
double plainLoop(bool uniform)
{
    if (uniform) {
        boost::random::uniform_int_distribution<uint64_t> key(1, kKeys);
        return plainLoopNanoseconds([&](workload::RandomEngine& e) { return key(e); });
    }
    static const workload::GrayZipfian law(kKeys, 0.99, workload::harmonicNumber(kKeys, 0.99));
    boost::random::uniform_01<double> u;
    return plainLoopNanoseconds([&](workload::RandomEngine& e) { return 1 + law.rankFromUniform(u(e)); });
}

std::string evenBounds(int shards)
{
    std::string bounds;
    for (int i = 1; i < shards; ++i) {
        bounds += i > 1 ? "|" : "";
        bounds += std::to_string(kKeys / static_cast<uint64_t>(shards) * static_cast<uint64_t>(i));
    }
    return bounds;
}

std::string everyBucket(int shards)
{
    std::string map;
    for (int i = 0; i < shards; ++i) {
        map += i > 0 ? "|" : "";
        map += std::to_string(i);
        map += ':';
        map += std::to_string(i);
    }
    return map;
}

void sampledFamily(benchmark::State& state, std::string rule, bool uniform)
{
    const bool geo = rule.rfind("geo:", 0) == 0;
    std::string text = R"(
name: bench-families
seed: 1
duration: 10s
cluster: { nodes: 64, node: { max_qps: 1M })"
        + std::string(geo ? ", regions: { east: 32, north: 32 }" : "") + R"( }
data: { tables: [ { name: t_user, key: uid, rows: 100M } ] }
sharding: { rule: ")"
        + rule + R"(" }
workload:
  rate: 10M/s
  keys: )"
        + (uniform ? std::string("uniform") : std::string("{ distribution: zipf, theta: 0.99 }")) + "\n";
    if (geo)
        text += "  geo: { east: 60%, north: 40% }\n";
    const ScenarioLoad loaded = loadScenarioText(text, "bench.yaml", "");
    if (!loaded.config) {
        state.SkipWithError("the scenario does not load");
        return;
    }
    const double plain = plainLoop(uniform);
    double requests = 0;
    double seconds = 0;
    double cpu = 0;
    for (auto _ : state) {
        RunOptions options;
        options.engine = EngineMode::Sampled;
        options.threads = static_cast<int>(state.range(0));
        const double cpuStart = processSeconds();
        const auto start = std::chrono::steady_clock::now();
        auto result = runSimulation(*loaded.config, options);
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        cpu += processSeconds() - cpuStart;
        if (!result) {
            state.SkipWithError(result.error().c_str());
            return;
        }
        requests += result->requests;
        benchmark::DoNotOptimize(result->imbalance.gini);
    }
    state.SetItemsProcessed(static_cast<int64_t>(requests));
    state.counters["ns_per_request"] = 1e9 * seconds / requests;
    state.counters["cpu_ns"] = 1e9 * cpu / requests;
    state.counters["vs_plain"] = plain / (1e9 * cpu / requests);
    state.counters["plain_ns"] = plain;
}

void registerFamily(const std::string& name, const std::string& rule)
{
    benchmark::RegisterBenchmark(("SampledFamily/" + name).c_str(), sampledFamily, rule, false)
        ->Arg(1)
        ->Arg(2)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(1);
    benchmark::RegisterBenchmark(("SampledFamily/uniform-" + name).c_str(), sampledFamily, rule, true)
        ->Arg(1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(1);
}

[[maybe_unused]] const bool kRegistered = [] {
    registerFamily("mod", "mod:n=64");
    for (const char* hash : { "java", "murmur3", "xxhash64", "fnv1a64", "crc32" })
        registerFamily(std::string("hash-mod-") + hash, std::string("hash-mod:n=64,hash=") + hash);
    registerFamily("range", "range:bounds=" + evenBounds(64));
    registerFamily("range-mod", "range-mod:span=12500001,mod=8,dbs=8");
    registerFamily("db-table", "db-table:dbs=8,tables=8");
    registerFamily("geo", "geo:map=east:0|north:1");
    registerFamily("directory", "directory:map=" + everyBucket(64) + ",buckets=64");
    registerFamily("ring", "ring:nodes=64,vnodes=160");
    registerFamily("jump", "jump:buckets=64");
    registerFamily("rendezvous", "rendezvous:nodes=64");
    registerFamily("maglev", "maglev:nodes=64");
    registerFamily("bounded", "bounded:nodes=64,c=1.25");
    registerFamily("vitess-hash", "vitess-hash:shards=64");
    registerFamily("vitess-xxhash", "vitess-xxhash:shards=64");
    registerFamily("vitess-numeric", "vitess-numeric:shards=64");
    registerFamily("murmur3", "murmur3:nodes=64");
    registerFamily("mongo-hashed", "mongo-hashed:chunks=64");
    return true;
}();

} // namespace
