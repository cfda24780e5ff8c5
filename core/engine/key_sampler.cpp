#include "engine/key_sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/random/uniform_01.hpp>

#include "engine/alias_table.h"

namespace shardsim::engine {

KeySampler::KeySampler(const KeyLaw& law, const workload::KeyDistribution& distribution, const ShardRule& rule,
    const HeatMapLayout* heat, const HeadRoutes* routes)
    : m_distribution(&distribution)
    , m_rule(&rule)
    , m_heat(heat)
    , m_routes(routes && routes->size() > 0 ? routes : nullptr)
    , m_scrambled(dynamic_cast<const workload::ScrambledZipfKeys*>(&distribution))
    , m_theta(law.theta)
    , m_rankBase(law.rankBase)
    , m_useDistribution(law.drawWithDistribution)
{
    if (m_useDistribution)
        return;
    std::vector<double> weights;
    std::vector<int32_t> payloads;
    std::vector<int32_t> buckets;
    for (const KeyPoint& point : law.points) {
        m_pointKeys.push_back(point.key);
        weights.push_back(point.mass);
        const int shard = rule.shardOfInteger(static_cast<int64_t>(point.key));
        payloads.push_back(shard >= 0 ? shard : kRefused);
        buckets.push_back(bucketOf(point.key));
    }
    // A range rule's segments each lie on one shard; rules with more shards are not worth the check's scratch.
    std::vector<double> scratch(
        rule.countsRangesExactly() && rule.shardCount() <= (1 << 16) ? static_cast<size_t>(rule.shardCount()) : 0);
    for (const KeySegment& piece : law.segments) {
        Segment segment {};
        segment.shard = shardOfEveryKey(piece.first, piece.last, scratch);
        segment.first = piece.first;
        segment.length = piece.last - piece.first + 1;
        segment.shape = piece.shape;
        if (piece.shape != SegmentShape::Uniform) {
            segment.firstRank = piece.shape == SegmentShape::PowerFromStart ? piece.first : law.rankBase - piece.last;
            const double lastRank = static_cast<double>(segment.firstRank + segment.length - 1);
            segment.squeeze
                = fractionThreshold(std::pow(lastRank / static_cast<double>(segment.firstRank), -law.theta));
        }
        weights.push_back(piece.mass);
        payloads.push_back(-1 - static_cast<int32_t>(m_segments.size()));
        const int first = bucketOf(piece.first);
        segment.bucket = first == bucketOf(piece.last) ? first : -1;
        buckets.push_back(segment.bucket);
        m_segments.push_back(segment);
    }
    m_segmentsWithinBuckets
        = std::all_of(m_segments.begin(), m_segments.end(), [](const Segment& segment) { return segment.bucket >= 0; });
    if (weights.empty())
        return;
    const AliasColumns columns = buildAliasColumns(weights);
    m_slots.resize(weights.size());
    m_alias.assign(columns.alias.begin(), columns.alias.begin() + static_cast<std::ptrdiff_t>(weights.size()));
    for (size_t i = 0; i < weights.size(); ++i) {
        const uint32_t alias = columns.alias[i];
        m_slots[i] = { columns.threshold[i], { payloads[i], payloads[alias] }, { buckets[i], buckets[alias] } };
    }
}

int32_t KeySampler::shardOfEveryKey(uint64_t first, uint64_t last, std::vector<double>& scratch) const
{
    if (scratch.empty())
        return kRouteEach;
    const int shard = m_rule->shardOfInteger(static_cast<int64_t>(first));
    if (shard != m_rule->shardOfInteger(static_cast<int64_t>(last)))
        return kRouteEach;
    const double refused = m_rule->addRangeShares(static_cast<int64_t>(first), static_cast<int64_t>(last), 1, scratch);
    // Exact counts: all of it on one shard, or all refused, up to rounding far below one key's part.
    const double oneKey = 1 / static_cast<double>(last - first + 1);
    const double kept = shard >= 0 ? scratch[static_cast<size_t>(shard)] : refused;
    const bool every = kept > 1 - oneKey / 2;
    if (every && shard >= 0)
        scratch[static_cast<size_t>(shard)] = 0;
    else
        std::fill(scratch.begin(), scratch.end(), 0.0);
    return every ? shard : kRouteEach;
}

void KeySampler::useSegmentShares(const SegmentShares& shares)
{
    const size_t shardCount = static_cast<size_t>(m_rule->shardCount());
    std::vector<double> law(shardCount + 1); // per shard, then the refused part
    std::vector<double> previous;
    std::vector<double> weights;
    std::vector<int32_t> outcomes;
    for (size_t s = 0; s < m_segments.size(); ++s) {
        Segment& segment = m_segments[s];
        const bool straddles = m_heat && segment.bucket < 0; // the heat map needs its keys
        if (segment.shard != kRouteEach || straddles)
            continue;
        std::fill(law.begin(), law.end(), 0.0);
        const std::optional<double> refused = shares(s, std::span<double>(law.data(), shardCount));
        if (!refused)
            continue;
        law.back() = *refused;
        if (law == previous && s > 0 && m_segments[s - 1].tableSize > 0) {
            segment.tableFirst = m_segments[s - 1].tableFirst;
            segment.tableSize = m_segments[s - 1].tableSize;
            continue;
        }
        weights.clear();
        outcomes.clear();
        for (size_t i = 0; i < law.size(); ++i) {
            if (law[i] > 0) {
                weights.push_back(law[i]);
                outcomes.push_back(i < shardCount ? static_cast<int32_t>(i) : kRefused);
            }
        }
        if (weights.empty() || m_shardColumns.size() + weights.size() > kMaxShardColumns)
            continue;
        const AliasColumns columns = buildAliasColumns(weights);
        segment.tableFirst = static_cast<uint32_t>(m_shardColumns.size());
        segment.tableSize = static_cast<uint32_t>(weights.size());
        for (size_t i = 0; i < weights.size(); ++i)
            m_shardColumns.push_back({ columns.threshold[i], { outcomes[i], outcomes[columns.alias[i]] } });
        previous = law;
    }
}

std::vector<double> KeySampler::segmentShardLaw(size_t segment) const
{
    const Segment& piece = m_segments.at(segment);
    if (piece.tableSize == 0)
        return {};
    std::vector<double> law(static_cast<size_t>(m_rule->shardCount()) + 1, 0.0);
    const auto slotOf = [&](int32_t shard) { return shard == kRefused ? law.size() - 1 : static_cast<size_t>(shard); };
    const double column = 1 / static_cast<double>(piece.tableSize);
    for (uint32_t c = 0; c < piece.tableSize; ++c) {
        const ShardColumn& entry = m_shardColumns[piece.tableFirst + c];
        const double kept = std::ldexp(static_cast<double>(entry.threshold), -64);
        law[slotOf(entry.shard[0])] += column * kept;
        law[slotOf(entry.shard[1])] += column * (1 - kept);
    }
    return law;
}

uint64_t KeySampler::drawInSegment(const Segment& segment, workload::RandomEngine& engine) const
{
    if (segment.shape == SegmentShape::Uniform)
        return segment.first + aliasDraw(engine(), segment.length).column;
    for (;;) {
        // The offset and an independent uniform fraction from one draw (see aliasDraw).
        const UInt128 product = static_cast<UInt128>(engine()) * segment.length;
        const auto offset = static_cast<uint64_t>(product >> 64);
        const auto fraction = static_cast<uint64_t>(product);
        const uint64_t rank = segment.firstRank + offset;
        const bool accepted = fraction <= segment.squeeze
            || std::ldexp(static_cast<double>(fraction), -64)
                < std::pow(static_cast<double>(rank) / static_cast<double>(segment.firstRank), -m_theta);
        if (accepted)
            return segment.shape == SegmentShape::PowerFromStart ? rank : m_rankBase - rank;
    }
}

std::vector<std::pair<uint64_t, int>> KeySampler::pointShards() const
{
    std::vector<std::pair<uint64_t, int>> shards;
    for (size_t i = 0; i < m_pointKeys.size(); ++i)
        shards.emplace_back(m_pointKeys[i], m_slots[i].payload[0] >= 0 ? m_slots[i].payload[0] : -1);
    return shards;
}

size_t KeySampler::countKnown(
    int64_t* keys, uint64_t* remember, size_t drawn, uint64_t* shards, uint64_t& refused) const
{
    constexpr size_t kAhead = 16; // entries fetched ahead: the window is larger than L1
    const uint64_t window = m_routes->size();
    size_t unknown = 0;
    for (size_t k = 0; k < drawn; ++k) {
        if (k + kAhead < drawn)
            m_routes->prefetch(m_routes->slotOf(static_cast<uint64_t>(keys[k + kAhead])));
        const int64_t key = keys[k];
        const uint64_t slot = m_routes->slotOf(static_cast<uint64_t>(key));
        const int32_t known = slot < window ? m_routes->shard(slot) : HeadRoutes::kUnknown;
        // Branch-free, as in draw(): known shards count on the spot, the rest move to the front of the batch.
        const auto isShard = static_cast<uint32_t>(known >= 0);
        shards[static_cast<uint32_t>(known) & (0 - isShard)] += isShard;
        refused += known == -1 ? 1 : 0;
        keys[unknown] = key;
        remember[unknown] = slot;
        unknown += known == HeadRoutes::kUnknown ? 1 : 0;
    }
    return unknown;
}

std::vector<std::tuple<uint64_t, uint64_t, int>> KeySampler::segmentShards() const
{
    std::vector<std::tuple<uint64_t, uint64_t, int>> shards;
    for (const Segment& segment : m_segments) {
        if (segment.shard != kRouteEach)
            shards.emplace_back(segment.first, segment.first + segment.length - 1, segment.shard);
    }
    return shards;
}

uint64_t KeySampler::drawFromDistribution(workload::RandomEngine& engine, uint64_t& index) const
{
    if (m_scrambled && m_routes && m_scrambled->keyCount() > 0) {
        // ScrambledZipfKeys::sample() in two steps, from the same uniform draw.
        index = m_scrambled->ranks().rankFromUniform(boost::random::uniform_01<double>()(engine));
        return m_scrambled->keyOfRank(index);
    }
    index = m_distribution->sample(engine);
    return index;
}

int KeySampler::drawShard(workload::RandomEngine& engine, std::span<uint64_t> heat) const
{
    uint64_t key = 0;
    uint64_t index = 0;
    if (m_useDistribution) {
        key = drawFromDistribution(engine, index);
    } else {
        if (m_slots.empty())
            return -1;
        const AliasDraw pick = aliasDraw(engine(), m_slots.size());
        const Slot& slot = m_slots[pick.column];
        const size_t side = pick.fraction >= slot.threshold ? 1 : 0;
        const int32_t payload = slot.payload[side];
        if (payload >= 0 || payload == kRefused) {
            if (!heat.empty() && slot.bucket[side] >= 0)
                ++heat[static_cast<size_t>(slot.bucket[side])];
            return payload >= 0 ? payload : -1;
        }
        const Segment& segment = m_segments[static_cast<size_t>(-1 - payload)];
        if (segment.tableSize > 0) { // its bucket is known: it straddles none
            if (!heat.empty() && segment.bucket >= 0)
                ++heat[static_cast<size_t>(segment.bucket)];
            const int32_t shard = drawFromTable(segment, engine);
            return shard >= 0 ? shard : -1;
        }
        key = drawInSegment(segment, engine);
        index = key;
        if (segment.shard != kRouteEach) {
            if (!heat.empty())
                ++heat[static_cast<size_t>(bucketOf(key))];
            return segment.shard;
        }
    }
    if (!heat.empty())
        ++heat[static_cast<size_t>(bucketOf(key))];
    const int shard = routeKey(index, key);
    return shard >= 0 ? shard : -1;
}

uint64_t KeySampler::drawKey(workload::RandomEngine& engine, std::span<uint64_t> heat) const
{
    uint64_t key = 0;
    if (m_useDistribution) {
        uint64_t index = 0;
        key = drawFromDistribution(engine, index);
    } else {
        if (m_slots.empty())
            return 0;
        const AliasDraw pick = aliasDraw(engine(), m_slots.size());
        const size_t piece = pick.fraction >= m_slots[pick.column].threshold ? m_alias[pick.column] : pick.column;
        key = piece < m_pointKeys.size() ? m_pointKeys[piece]
                                         : drawInSegment(m_segments[piece - m_pointKeys.size()], engine);
    }
    if (!heat.empty())
        ++heat[static_cast<size_t>(bucketOf(key))];
    return key;
}

void KeySampler::draw(uint64_t count, workload::RandomEngine& engine, DrawCounts& counts, int fixedShard) const
{
    const bool heat = !counts.heat.empty();
    const bool route = fixedShard < 0;
    if (!route) {
        counts.shards[static_cast<size_t>(fixedShard)] += count;
        if (!heat)
            return;
    }
    if (m_useDistribution) {
        for (uint64_t i = 0; i < count; ++i) {
            uint64_t index = 0;
            const uint64_t key = drawFromDistribution(engine, index);
            if (route) {
                const int shard = routeKey(index, key);
                if (shard >= 0)
                    ++counts.shards[static_cast<size_t>(shard)];
                else
                    ++counts.refused;
            }
            if (heat)
                ++counts.heat[static_cast<size_t>(bucketOf(key))];
        }
        return;
    }
    if (m_slots.empty())
        return;
    const Slot* slots = m_slots.data();
    const uint64_t columns = m_slots.size();
    uint64_t* shards = counts.shards.data();
    uint64_t* buckets = counts.heat.data();
    int32_t pending[kBatch];
    AliasDraw picks[kBatch];
    int64_t keys[kBatch];
    int32_t routed[kBatch];
    uint64_t remember[kBatch]; // the routes' slot of each key routed, size() when outside the window
    uint32_t tableColumns[kBatch]; // the shard-table columns of the segment draws
    uint64_t tableFractions[kBatch]; // and the fractions that decide them
    const uint64_t window = m_routes ? m_routes->size() : 0;
    constexpr uint64_t kAhead = 16; // slots fetched ahead: the table is larger than L1
    for (uint64_t done = 0; done < count;) {
        const uint64_t batch = std::min<uint64_t>(kBatch, count - done);
        done += batch;
        size_t deferred = 0;
        for (uint64_t i = 0; i < batch; ++i)
            picks[i] = aliasDraw(engine(), columns);
        for (uint64_t i = 0; i < batch; ++i) {
            if (i + kAhead < batch)
                __builtin_prefetch(&slots[picks[i + kAhead].column]);
            const AliasDraw pick = picks[i];
            const Slot& slot = slots[pick.column];
            const size_t side = pick.fraction >= slot.threshold ? 1 : 0;
            const int32_t payload = slot.payload[side];
            const int32_t bucket = slot.bucket[side];
            // Branch-free: a negative payload (a segment) or bucket adds 0 to entry 0 instead of 1 to its own.
            const auto notPoint = static_cast<uint32_t>(payload) >> 31;
            const auto noBucket = static_cast<uint32_t>(bucket) >> 31;
            if (route)
                shards[static_cast<uint32_t>(payload) & (notPoint - 1)] += notPoint ^ 1;
            if (heat)
                buckets[static_cast<uint32_t>(bucket) & (noBucket - 1)] += noBucket ^ 1;
            pending[deferred] = payload;
            deferred += notPoint;
        }
        if (!route && m_segmentsWithinBuckets)
            continue; // the heat map has every draw already, and the shard is fixed
        // The segment draws: a column of the segment's shard table (fetched now, read below: the tables are larger
        // than L1), or a key; then the keys' shards in one call, then the counts.
        size_t drawn = 0;
        size_t picked = 0;
        for (size_t j = 0; j < deferred; ++j) {
            const int32_t payload = pending[j];
            if (payload == kRefused) {
                if (route)
                    ++counts.refused;
                continue;
            }
            const Segment& segment = m_segments[static_cast<size_t>(-1 - payload)];
            if (!route && segment.bucket >= 0)
                continue; // the heat map already has it and the shard is fixed
            if (route && segment.tableSize > 0) { // the heat map has it too
                const AliasDraw pick = aliasDraw(engine(), segment.tableSize);
                tableColumns[picked] = segment.tableFirst + pick.column;
                tableFractions[picked] = pick.fraction;
                __builtin_prefetch(&m_shardColumns[tableColumns[picked]]);
                ++picked;
                continue;
            }
            const uint64_t key = drawInSegment(segment, engine);
            if (heat && segment.bucket < 0)
                ++buckets[bucketOf(key)];
            if (segment.shard != kRouteEach) {
                if (route)
                    ++(segment.shard >= 0 ? shards[segment.shard] : counts.refused);
                continue;
            }
            keys[drawn] = static_cast<int64_t>(key);
            ++drawn;
        }
        if (!route)
            continue;
        for (size_t p = 0; p < picked; ++p) {
            const ShardColumn& column = m_shardColumns[tableColumns[p]];
            const int32_t shard = column.shard[tableFractions[p] >= column.threshold ? 1 : 0];
            // Branch-free: a refused key adds 0 to shard 0 and 1 to the refused count.
            const auto isShard = static_cast<uint32_t>(shard >= 0);
            shards[static_cast<uint32_t>(shard) & (0 - isShard)] += isShard;
            counts.refused += isShard ^ 1;
        }
        if (window > 0)
            drawn = countKnown(keys, remember, drawn, shards, counts.refused);
        m_rule->shardsOfIntegers(std::span<const int64_t>(keys, drawn), std::span<int32_t>(routed, drawn));
        for (size_t k = 0; k < drawn; ++k) {
            const int32_t shard = routed[k];
            if (window > 0 && remember[k] < window)
                m_routes->store(remember[k], shard);
            if (shard >= 0)
                ++shards[shard];
            else
                ++counts.refused;
        }
    }
}

} // namespace shardsim::engine
