#pragma once
// One master seed, one independent random stream per generator. A run is replayed exactly by its seed.

#include <cstdint>
#include <string_view>

#include <boost/random/mersenne_twister.hpp>

namespace shardsim::workload {

// Every generator draws from its own Mersenne Twister (MT19937-64, Matsumoto & Nishimura 1998/2000): its
// output is fixed by the published algorithm, so a seed gives the same integers with any compiler on any
// machine; its period, 2^19937 - 1, is far beyond any run; 2.5 KiB of state per stream is cheap at one stream
// per generator. Boost.Random's engine and distributions are used rather than std::, whose distribution
// algorithms differ between standard libraries.
using RandomEngine = boost::random::mt19937_64;

// SplitMix64 (Steele, Lea & Flood 2014): the state advances by the golden-ratio increment and the
// output is a bijective 64-bit finaliser of it. Adjacent inputs give unrelated outputs, which is what
// turns small stream ids into well-separated engine seeds.
uint64_t splitMix64(uint64_t state);

class RandomStreams {
public:
    explicit RandomStreams(uint64_t masterSeed);

    uint64_t masterSeed() const { return m_masterSeed; }

    // The seed of stream `streamId`: splitMix64(masterSeed ^ splitMix64(streamId)). The inner mix keeps
    // streams 0, 1, 2 ... of seed s apart from streams of seed s ^ 1; the outer one spreads the result.
    uint64_t seedOf(uint64_t streamId) const;
    RandomEngine engine(uint64_t streamId) const { return RandomEngine(seedOf(streamId)); }
    // A named stream ("keys", "arrivals"), optionally indexed (the table's position): adding a generator
    // never shifts the draws of the others, which numbered streams handed out in order would.
    RandomEngine engine(std::string_view name, uint64_t index = 0) const { return engine(streamId(name, index)); }

    // FNV-1a of the name, mixed with the index.
    static uint64_t streamId(std::string_view name, uint64_t index = 0);

private:
    uint64_t m_masterSeed;
};

} // namespace shardsim::workload
