#include "shardsim/workload/random_streams.h"

#include "shardsim/rules/hashes.h"

namespace shardsim::workload {

uint64_t splitMix64(uint64_t state)
{
    uint64_t z = state + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

RandomStreams::RandomStreams(uint64_t masterSeed)
    : m_masterSeed(masterSeed)
{
}

uint64_t RandomStreams::seedOf(uint64_t streamId) const { return splitMix64(m_masterSeed ^ splitMix64(streamId)); }

uint64_t RandomStreams::streamId(std::string_view name, uint64_t index)
{
    // The index goes through its own mix so ("a", 1) and a name whose hash differs by one stay apart.
    return hashes::fnv1a64(name) ^ splitMix64(index);
}

} // namespace shardsim::workload
