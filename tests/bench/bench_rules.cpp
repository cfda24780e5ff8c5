// Routing cost per key for every rule family: the inner step of the sampled engine.
// Reproduce: ./build/tests/bench/shardsim_bench --benchmark_filter=Route

#include <benchmark/benchmark.h>

#include "shardsim/rules/rule_factory.h"

using namespace shardsim;

namespace {

void routeIntegers(benchmark::State& state, const char* spec)
{
    auto rule = makeRule(spec);
    if (!rule) {
        state.SkipWithError(rule.error().c_str());
        return;
    }
    int64_t key = 1;
    int64_t sum = 0;
    for (auto _ : state) {
        auto routed = (*rule)->route(Key::int64(key));
        sum += routed->index;
        key = key * 6364136223846793005LL + 1442695040888963407LL; // spread the keys (LCG step)
        if (key < 0)
            key = -key;
    }
    benchmark::DoNotOptimize(sum);
    state.SetItemsProcessed(state.iterations());
}

// Keys drawn from 1..`keys`: bounded's balanced set, where a route is a lookup in the assignment made at build time.
// `engine` measures shardOfInteger, the sampled engine's call, instead of route() with its hash text.
void routeKeySet(benchmark::State& state, const char* spec, int64_t keys, bool engine)
{
    auto rule = makeRule(spec);
    if (!rule) {
        state.SkipWithError(rule.error().c_str());
        return;
    }
    uint64_t draw = 1;
    int64_t sum = 0;
    for (auto _ : state) {
        draw = draw * 6364136223846793005ULL + 1442695040888963407ULL;
        const int64_t key = 1 + static_cast<int64_t>((draw >> 20) % static_cast<uint64_t>(keys));
        sum += engine ? (*rule)->shardOfInteger(key) : (*rule)->route(Key::int64(key))->index;
    }
    benchmark::DoNotOptimize(sum);
    state.SetItemsProcessed(state.iterations());
}

} // namespace

BENCHMARK_CAPTURE(routeIntegers, Route_mod, "mod:n=64");
BENCHMARK_CAPTURE(routeIntegers, Route_hash_mod_murmur3, "hash-mod:n=64,hash=murmur3");
BENCHMARK_CAPTURE(routeIntegers, Route_db_table, "db-table:dbs=8,tables=10");
BENCHMARK_CAPTURE(routeIntegers, Route_range, "range:bounds=10M|20M|30M|40M|50M|60M|70M");
BENCHMARK_CAPTURE(routeIntegers, Route_jump, "jump:buckets=64");
BENCHMARK_CAPTURE(routeIntegers, Route_ring, "ring:nodes=64,vnodes=160");
BENCHMARK_CAPTURE(routeIntegers, Route_rendezvous, "rendezvous:nodes=64");
BENCHMARK_CAPTURE(routeIntegers, Route_rendezvous_1024, "rendezvous:nodes=1024");
BENCHMARK_CAPTURE(routeIntegers, Route_rendezvous_skeleton, "rendezvous-skeleton:nodes=64");
BENCHMARK_CAPTURE(routeIntegers, Route_rendezvous_skeleton_1024, "rendezvous-skeleton:nodes=1024");
BENCHMARK_CAPTURE(routeKeySet, Route_bounded_1M_1024, "bounded:nodes=1024,c=1.25,keys=1M", 1'000'000, false);
BENCHMARK_CAPTURE(routeKeySet, Route_bounded_1M_1024_engine, "bounded:nodes=1024,c=1.25,keys=1M", 1'000'000, true);
BENCHMARK_CAPTURE(routeIntegers, Route_maglev, "maglev:nodes=64,table=65537");
BENCHMARK_CAPTURE(routeIntegers, Route_vitess_hash, "vitess-hash:shards=64");
BENCHMARK_CAPTURE(routeIntegers, Route_vitess_xxhash, "vitess-xxhash:shards=64");
BENCHMARK_CAPTURE(routeIntegers, Route_cassandra_murmur3, "murmur3:nodes=64");
BENCHMARK_CAPTURE(routeIntegers, Route_mongo_hashed, "mongo-hashed:chunks=64");
