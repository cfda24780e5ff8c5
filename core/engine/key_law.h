#pragma once
// A key distribution over the keys 1..n cut into pieces both engines work with, without any per-key memory:
// the hottest keys one by one with their exact probabilities, and segments of consecutive keys with their exact
// total probability (KeyDistribution::probabilityOfRange) and the shape of the law inside them.
//
//   zipf          keys 1..K as points; K+1..n in geometric segments (each about 1/64 longer than where it starts)
//   latest        keys n..n-K+1 as points; the rest in geometric segments counted back from n
//   uniform       one segment 1..n
//   hotspot       the hot part and the cold part, one or two uniform segments each
//   scrambled     the K' hottest ranks' keys as points (exact), the tail as one uniform segment: the law of
//                 ScrambledZipfKeys::probabilityOfRange; the sampled engine draws YCSB's keys themselves
//   sample        every key of the file within 1..n as a point with its exact mass; no segments (the file is
//                 in memory anyway)
//
// Segments are also cut at given keys (a range rule's bounds, the heat map's buckets), so that no segment
// straddles one.

#include <cstdint>
#include <span>
#include <vector>

#include "shardsim/workload/workload_config.h"
#include "shardsim/workload/key_distribution.h"

namespace shardsim::engine {

struct KeyPoint {
    uint64_t key = 0;
    double mass = 0; // probability of one draw hitting this key
};

enum class SegmentShape : uint8_t {
    Uniform, // every key of the segment alike
    PowerFromStart, // key k weighs k^-theta (zipf)
    PowerFromEnd, // key k weighs (rankBase - k)^-theta (latest: rankBase = n + 1)
};

struct KeySegment {
    uint64_t first = 1;
    uint64_t last = 0; // inclusive; first <= last
    double mass = 0; // probability of one draw falling in first..last
    SegmentShape shape = SegmentShape::Uniform;
};

struct KeyLaw {
    uint64_t keyCount = 0; // n
    double theta = 0; // power segments
    uint64_t rankBase = 0; // PowerFromEnd: n + 1
    // Ascending keys. Only scrambled-zipf has points inside segments: its tail covers every key, hot ones too.
    std::vector<KeyPoint> points;
    std::vector<KeySegment> segments; // ascending, disjoint
    // The sampled engine draws with KeyDistribution::sample() instead of these pieces (scrambled-zipf, whose tail
    // the pieces only approximate).
    bool drawWithDistribution = false;
};

struct KeyLawOptions {
    uint64_t headKeys = 4096; // zipf and latest: hottest keys kept as points
    double segmentGrowth = 1.0 / 64; // power segments: (last - first) / first at most this
    std::span<const uint64_t> cuts; // ascending keys where a segment must start
};

// `distribution` is the law of `config` with its key count and time already set.
KeyLaw cutKeyLaw(
    const workload::KeyDistribution& distribution, const KeyDistributionConfig& config, const KeyLawOptions& options);

} // namespace shardsim::engine
