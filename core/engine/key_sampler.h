#pragma once
// The sampled engine's inner loop: draws keys from a KeyLaw and counts them per shard and per heat-map bucket.
//
// One 64-bit draw picks a piece of the law through an alias table (points and segments weighted by their exact
// masses). A point carries its shard and bucket, routed once when the sampler is built. A segment draws its key
// with a second 64-bit number: uniform segments directly, power segments by rejection from the uniform with
// acceptance (rank / first rank)^-theta, which is exact; a precomputed squeeze, (last / first)^-theta >= 0.98,
// accepts most draws without a pow(). The key's shard then comes from HeadRoutes when the key lies in its window (the
// head past the points, routed once per key), else from ShardRule::shardsOfIntegers; a segment whose keys all go to one
// shard (a range rule's segments, cut at its bounds) carries that shard, and its keys are drawn only for the heat
// map and to keep the random stream as it was. Nothing is allocated.
//
// A segment can instead draw its shard directly (useSegmentShares): its second number picks a shard from an alias
// table over the segment's shard law. The shard of a key drawn in the segment follows that law, so the counts do
// too, without routing keys one by one.
//
// Draws run in batches of kBatch: first every draw's piece (points counted on the spot, without a branch), then
// the keys of the segment draws. Mixing the two in one loop costs a mispredicted branch on about every other
// request, which is most of the time a request takes.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/alias_table.h"
#include "engine/head_routes.h"
#include "engine/heat_map_layout.h"
#include "engine/key_law.h"
#include "shardsim/rules/shard_rule.h"
#include "shardsim/workload/key_distribution.h"
#include "shardsim/workload/scrambled_zipf_keys.h"

namespace shardsim::engine {

// Where draws are counted. Integer counts: adding them up in any order gives the same totals, which is what
// makes the sampled engine independent of the number of threads.
struct DrawCounts {
    std::span<uint64_t> shards; // per logical shard
    std::span<uint64_t> heat; // per heat-map bucket; empty when the keys are not on the heat map
    uint64_t refused = 0; // keys the rule refused
};

// Each shard's part of the draws that fall in segment `segment` of the law: adds them (1 in all) to `shares`, one
// entry per shard, and returns the part the rule refuses; nothing when the segment's keys are to be routed.
using SegmentShares = std::function<std::optional<double>(size_t segment, std::span<double> shares)>;

class KeySampler {
public:
    // `distribution` is used when law.drawWithDistribution; `heat` is null when the keys are not on the heat map;
    // `routes` (null: none) remembers the shards of the head past the points, for the window headWindowOf(law).
    // All of them must outlive the sampler and stay unchanged while it is used (the routes fill as keys are drawn).
    KeySampler(const KeyLaw& law, const workload::KeyDistribution& distribution, const ShardRule& rule,
        const HeatMapLayout* heat, const HeadRoutes* routes = nullptr);

    // Draws `count` keys. With fixedShard >= 0 every request goes to that shard (a geo rule routes by region) and
    // keys are drawn only for the heat map.
    void draw(uint64_t count, workload::RandomEngine& engine, DrawCounts& counts, int fixedShard = -1) const;

    // One key for a request that needs each key's shard on its own (multi-key transactions, lookups): its shard,
    // or -1 when the rule refuses the key. Counts the key on `heat` when that is not empty.
    int drawShard(workload::RandomEngine& engine, std::span<uint64_t> heat) const;

    // One key, for a request that needs the key itself (a search by a routing value spread over several shards);
    // 0 when there is none to draw. Counts the key on `heat` when that is not empty.
    uint64_t drawKey(workload::RandomEngine& engine, std::span<uint64_t> heat) const;

    // From now on, the segments that straddle no heat-map bucket and for which `shares` gives a law draw their
    // shards from it instead of routing a key. Tables whose shares equal the previous segment's are kept once; past
    // kMaxShardColumns columns in all, the remaining segments keep routing keys.
    void useSegmentShares(const SegmentShares& shares);
    static constexpr size_t kMaxShardColumns = size_t(1) << 20; // 16 MiB

    bool empty() const { return m_slots.empty() && !m_useDistribution; }

    // The points' keys and the shards the alias table carries for them (-1: refused), in the law's order.
    std::vector<std::pair<uint64_t, int>> pointShards() const;
    // The segments whose keys all go to one shard: first key, last key, shard (-1: refused).
    std::vector<std::tuple<uint64_t, uint64_t, int>> segmentShards() const;
    // A segment's shard law when it draws its shard (useSegmentShares): each shard's probability, then the refused
    // keys'; empty when the segment routes its keys.
    std::vector<double> segmentShardLaw(size_t segment) const;
    size_t segmentCount() const { return m_segments.size(); }

private:
    static constexpr int32_t kRefused = INT32_MIN;
    static constexpr int32_t kRouteEach = -2;
    static constexpr size_t kBatch = 512;

    // One alias column: [0] its own piece, [1] its alias. payload >= 0 is a point's shard, kRefused a point the
    // rule refuses, -1 - i segment i. bucket is the piece's heat-map bucket, -1 when it must be computed per key.
    struct Slot {
        uint64_t threshold;
        int32_t payload[2];
        int32_t bucket[2];
    };

    struct Segment {
        uint64_t first; // first key
        uint64_t length; // keys
        uint64_t firstRank; // power: the rank of the heaviest key
        uint64_t squeeze; // power: accept without pow() when the draw's fraction is at or below this
        int32_t bucket; // heat-map bucket of every key in it, -1 when it straddles buckets
        int32_t shard; // the shard of every key in it (a range rule's segment), kRouteEach when they differ
        uint32_t tableFirst; // its shard table's first column in m_shardColumns
        uint32_t tableSize; // its shard table's columns; 0 when its keys are routed
        SegmentShape shape;
    };

    // One alias column of a segment's shard table: [0] its own shard, [1] its alias (kRefused: refused keys).
    struct ShardColumn {
        uint64_t threshold;
        int32_t shard[2];
    };

    uint64_t drawInSegment(const Segment& segment, workload::RandomEngine& engine) const;
    // The shard (kRefused: refused) a draw picks from a segment's shard table.
    int32_t drawFromTable(const Segment& segment, workload::RandomEngine& engine) const
    {
        const AliasDraw pick = aliasDraw(engine(), segment.tableSize);
        const ShardColumn& column = m_shardColumns[segment.tableFirst + pick.column];
        return column.shard[pick.fraction >= column.threshold ? 1 : 0];
    }
    // The one shard of keys first..last when the rule counts ranges exactly and gives it all of them (-1: it refuses
    // them all), else kRouteEach. `scratch` has one entry per shard, zero, and is left zero.
    int32_t shardOfEveryKey(uint64_t first, uint64_t last, std::vector<double>& scratch) const;
    // Counts the keys[0..drawn) whose shards the routes know; returns how many are left, moved to the front with their
    // slots in `remember` (size() when outside the window).
    size_t countKnown(int64_t* keys, uint64_t* remember, size_t drawn, uint64_t* shards, uint64_t& refused) const;
    // A key of the distribution and its index in the head window (its rank for scrambled-zipf, else the key).
    uint64_t drawFromDistribution(workload::RandomEngine& engine, uint64_t& index) const;
    int routeKey(uint64_t index, uint64_t key) const
    {
        return m_routes ? m_routes->shardOf(index, static_cast<int64_t>(key))
                        : m_rule->shardOfInteger(static_cast<int64_t>(key));
    }
    int bucketOf(uint64_t key) const { return m_heat ? m_heat->bucketOf(key) : 0; }

    std::vector<Slot> m_slots;
    std::vector<Segment> m_segments;
    std::vector<ShardColumn> m_shardColumns; // the segments' shard tables, one after the other
    bool m_segmentsWithinBuckets = true; // every segment lies in one heat-map bucket
    const workload::KeyDistribution* m_distribution;
    const ShardRule* m_rule;
    const HeatMapLayout* m_heat;
    const HeadRoutes* m_routes; // null, or empty when the rule has more shards than it holds
    const workload::ScrambledZipfKeys* m_scrambled; // drawn rank first, so the routes are kept by rank
    std::vector<uint64_t> m_pointKeys;
    std::vector<uint32_t> m_alias; // per alias column, its alias piece (drawKey: points first, then segments)
    double m_theta;
    uint64_t m_rankBase;
    bool m_useDistribution;
};

} // namespace shardsim::engine
