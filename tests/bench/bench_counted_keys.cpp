// The counting of a hashed rule's keys for rows spread over them (docs/engine-model.md, "Counted keys") at its worst:
// the key count whose 0.1% bound needs the most keys counted, on 1 and 2 threads (the run's --threads).
//
//   CountedKeys/<rule>/<threads>   keys: the rows' key count; counted: the keys routed by the sweep; ns_per_key: wall
//                                  time per counted key (CPU time is the calling thread's only)
//
// jump and hash-mod over 1,024 shards at L = 5 x 10^5 * 1023 keys, where the bound needs 2.5 x 10^5 * 1023 counted;
// rendezvous over 100 nodes at 5 x 10^6 keys, where its budget (2^28 / 100 keys) is counted whole.

#include <benchmark/benchmark.h>

#include <chrono>
#include <string_view>
#include <vector>

#include "engine/range_share_counter.h"
#include "shardsim/rules/rule_factory.h"

using namespace shardsim;

namespace {

void countedKeys(benchmark::State& state, const char* spec, uint64_t keys)
{
    auto rule = makeRule(std::string_view(spec));
    if (!rule.ok()) {
        state.SkipWithError(spec);
        return;
    }
    engine::CountingLimits limits;
    limits.threads = static_cast<int>(state.range(0));
    double seconds = 0;
    uint64_t counted = 0;
    for (auto _ : state) {
        engine::RangeShareCounter counter(**rule, limits);
        std::vector<double> shares(static_cast<size_t>((*rule)->shardCount()), 0.0);
        const auto start = std::chrono::steady_clock::now();
        counter.addEvenShares(1, keys, shares);
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        counted = counter.countedKeys();
        benchmark::DoNotOptimize(shares.data());
    }
    state.counters["keys"] = static_cast<double>(keys);
    state.counters["counted"] = static_cast<double>(counted);
    state.counters["ns_per_key"]
        = 1e9 * seconds / (static_cast<double>(counted) * static_cast<double>(state.iterations()));
}

} // namespace

BENCHMARK_CAPTURE(countedKeys, jump, "jump:buckets=1024", uint64_t(511'500'000))
    ->Name("CountedKeys/jump-1024")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(countedKeys, hash_mod, "hash-mod:n=1024,hash=murmur3", uint64_t(511'500'000))
    ->Name("CountedKeys/hash-mod-murmur3-1024")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(countedKeys, rendezvous, "rendezvous:nodes=100", uint64_t(5'000'000))
    ->Name("CountedKeys/rendezvous-100")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
