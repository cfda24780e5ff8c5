// MyCat's partition functions: PartitionByLong (a 1024-slot segment table), PartitionByMurmurHash (Guava
// murmur3_32 on a TreeMap ring) and PartitionByCRC32PreSlot (crc32 into 102400 slots in contiguous blocks).
// MyCat receives the column value as SQL text, so an integer key is its decimal digits.

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <numeric>
#include <tuple>

#include "rules/arithmetic/key_math.h"
#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "rules/systems/balancer_formulas.h"
#include "rules/systems/middleware_formulas.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules::systems {

namespace {

    constexpr int kSegmentSlots = 1024;

    std::string dataNodeName(int index) { return fmt::format("dn{}", index); }

} // namespace

Result<std::vector<int>> mycatSegmentTable(const std::vector<int>& counts, const std::vector<int>& lengths)
{
    if (counts.size() != lengths.size())
        return fail(fmt::format("count has {} values and length {}; MyCat needs one length per count "
                                "(\"error,check your scope & scopeLength definition.\")",
            counts.size(), lengths.size()));
    std::vector<int> table;
    int partition = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
        for (int j = 0; j < counts[i]; ++j, ++partition) {
            for (int slot = 0; slot < lengths[i] && table.size() <= kSegmentSlots; ++slot)
                table.push_back(partition);
        }
    }
    if (table.size() != kSegmentSlots)
        return fail(fmt::format("sum of count[i] * length[i] must be exactly {} slots (\"error,check your "
                                "partitionScope definition.\")",
            kSegmentSlots));
    return table;
}

int32_t guavaMurmur3HashChars(std::string_view utf8, uint32_t seed)
{
    // hashUnencodedChars mixes two chars per 4-byte block, the first in the low half: the UTF-16LE bytes.
    return static_cast<int32_t>(hashes::murmur3x86_32(hashes::javaUtf16LittleEndian(utf8), seed));
}

namespace {

    std::vector<int32_t> hashMurmurPoints(int node, int points, uint32_t seed)
    {
        std::vector<int32_t> out;
        std::string name = fmt::format("SHARD-{}", node);
        for (int n = 0; n < points; ++n) {
            name += fmt::format("-NODE-{}", n); // the same StringBuilder grows from point to point
            out.push_back(guavaMurmur3HashChars(name, seed));
        }
        return out;
    }

    // Points kept at most: 64 MB, a ring of 10,000 nodes x 1,600 points.
    constexpr std::size_t kMaxCachedPoints = std::size_t { 1 } << 24;

} // namespace

std::vector<int32_t> mycatMurmurPoints(int node, int points, uint32_t seed)
{
    // A node's points depend on the node, the points and the seed alone, and hashing them costs points^2 characters
    // (the name grows): the rings of a growing cluster, as a capacity plan builds hundreds, share every node but the
    // new ones. Rules are built on several threads at once.
    static std::mutex mutex;
    static std::map<std::tuple<int, int, uint32_t>, std::vector<int32_t>> cache;
    static std::size_t cached = 0;
    const auto key = std::make_tuple(node, points, seed);
    {
        const std::lock_guard lock(mutex);
        if (const auto found = cache.find(key); found != cache.end())
            return found->second;
    }
    std::vector<int32_t> out = hashMurmurPoints(node, points, seed);
    const std::lock_guard lock(mutex);
    if (cached + out.size() > kMaxCachedPoints) {
        cache.clear();
        cached = 0;
    }
    if (cache.emplace(key, out).second)
        cached += out.size();
    return out;
}

int mycatCrc32SlotNode(int slot, int nodes)
{
    const int slotsPerNode = kMycatCrc32Slots / nodes;
    return std::min(slot / slotsPerNode, nodes - 1);
}

namespace {

    class MycatLongRule final : public ShardRule {
    public:
        MycatLongRule(std::string spec, std::vector<int> segment)
            : m_spec(std::move(spec))
            , m_segment(std::move(segment))
            , m_partitions(m_segment.back() + 1)
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            if (key.type == KeyType::Bytes)
                return fail(fmt::format("mycat-long needs a number; got the bytes {}", key.display()));
            auto value = javaParseLong(key.text());
            if (!value)
                return fail("mycat-long: " + value.error());
            const int slot = static_cast<int>(*value & (kSegmentSlots - 1));
            RouteResult result;
            result.index = m_segment[static_cast<size_t>(slot)];
            if (explain) {
                explain->push_back(fmt::format("{} & 1023 = slot {}", *value, slot));
                explain->push_back(fmt::format("slot {} is in partition {} of the segment table: {}", slot,
                    result.index, shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return m_partitions; }
        std::string shardName(int index) const override { return dataNodeName(index); }
        std::string spec() const override { return m_spec; }
        int shardOfInteger(int64_t key) const override { return m_segment[static_cast<size_t>(key & 1023)]; }

        bool countsRangesExactly() const override { return true; }
        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            const WideInt length = rangeLength(lo, hi);
            if (length == 0)
                return 0;
            std::vector<double> slots(kSegmentSlots, 0.0);
            addResidueShares(lo, hi, kSegmentSlots, mass / static_cast<double>(length), slots);
            for (size_t slot = 0; slot < slots.size(); ++slot)
                shares[static_cast<size_t>(m_segment[slot])] += slots[slot];
            return 0;
        }

    private:
        std::string m_spec;
        std::vector<int> m_segment; // partition of each of the 1024 slots
        int m_partitions;
    };

    class MycatMurmurRule final : public ShardRule {
    public:
        MycatMurmurRule(int nodes, int virtualPoints, int32_t seed)
            : m_nodes(nodes)
            , m_virtual(virtualPoints)
            , m_seed(seed)
        {
            // TreeMap.put in node order: a later node that hashes to the same point takes it over. Kept as two sorted
            // arrays rather than a map: the expected engine routes many keys through the ring.
            std::vector<std::pair<int32_t, int>> put;
            put.reserve(static_cast<size_t>(nodes) * static_cast<size_t>(std::max(virtualPoints, 0)));
            for (int node = 0; node < nodes; ++node) {
                for (int32_t point : mycatMurmurPoints(node, virtualPoints, static_cast<uint32_t>(seed)))
                    put.emplace_back(point, node);
            }
            std::stable_sort(put.begin(), put.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            for (size_t i = 0; i < put.size(); ++i) {
                if (i + 1 < put.size() && put[i + 1].first == put[i].first)
                    continue; // the last put of a point wins
                m_points.push_back(put[i].first);
                m_owners.push_back(put[i].second);
            }
            // Signed points in order, on the unsigned circle: flipping the sign bit keeps their order.
            std::vector<std::pair<uint64_t, int>> points;
            for (size_t i = 0; i < m_points.size(); ++i)
                points.emplace_back(uint64_t { static_cast<uint32_t>(m_points[i]) ^ 0x80000000u } << 32, m_owners[i]);
            m_fractions = circleShares(points, nodes);
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const std::string text = key.text();
            const int32_t hash = guavaMurmur3HashChars(text, static_cast<uint32_t>(m_seed));
            // bucketMap.tailMap(hash): the first point >= hash, else the ring's first point.
            size_t found = successor(hash);
            const bool wrapped = found == m_points.size();
            if (wrapped)
                found = 0;
            RouteResult result;
            result.index = m_owners[found];
            result.hash = std::to_string(hash);
            if (explain) {
                explain->push_back(fmt::format(
                    "murmur3_32(seed {}).hashUnencodedChars(\"{}\") = {} (UTF-16 code units)", m_seed, text, hash));
                explain->push_back(fmt::format("first ring point >= {}: {}{} of {}", hash, m_points[found],
                    wrapped ? " (past the last point, the ring wraps)" : "", shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return m_nodes; }
        std::string shardName(int index) const override { return dataNodeName(index); }
        std::string spec() const override
        {
            return fmt::format("mycat-murmur:nodes={},virtual={},seed={}", m_nodes, m_virtual, m_seed);
        }

        int shardOfInteger(int64_t key) const override
        {
            // Decimal digits are ASCII: each UTF-16 code unit is the digit byte and a zero byte.
            char digits[24];
            const std::string_view text = decimalText(key, digits);
            char units[48];
            for (size_t i = 0; i < text.size(); ++i) {
                units[2 * i] = text[i];
                units[2 * i + 1] = 0;
            }
            const auto hash = static_cast<int32_t>(
                hashes::murmur3x86_32(std::string_view(units, text.size() * 2), static_cast<uint32_t>(m_seed)));
            const size_t found = successor(hash);
            return m_owners[found == m_points.size() ? 0 : found];
        }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addHashedRangeShares(*this, lo, hi, mass, shares, m_fractions);
        }

    private:
        int m_nodes;
        int m_virtual;
        int32_t m_seed; // Hashing.murmur3_32(int seed)
        // The first point >= hash (TreeMap.tailMap); m_points.size() past the last.
        size_t successor(int32_t hash) const
        {
            return static_cast<size_t>(std::lower_bound(m_points.begin(), m_points.end(), hash) - m_points.begin());
        }

        // The ring: signed points ascending, as Java's TreeMap<Integer, Integer> orders them, and each one's node.
        std::vector<int32_t> m_points;
        std::vector<int> m_owners;
        std::vector<double> m_fractions; // each node's part of the ring
    };

    class MycatCrc32SlotRule final : public ShardRule {
    public:
        explicit MycatCrc32SlotRule(int nodes)
            : m_nodes(nodes)
            , m_fractions(static_cast<size_t>(nodes), 0.0)
        {
            for (int slot = 0; slot < kMycatCrc32Slots; ++slot)
                m_fractions[static_cast<size_t>(mycatCrc32SlotNode(slot, nodes))] += 1.0 / kMycatCrc32Slots;
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const std::string text = key.text();
            const uint32_t crc = hashes::crc32(text);
            const int slot = static_cast<int>(crc % kMycatCrc32Slots);
            RouteResult result;
            result.index = mycatCrc32SlotNode(slot, m_nodes);
            result.hash = std::to_string(crc);
            if (explain) {
                explain->push_back(fmt::format("crc32(\"{}\") = {}", text, crc));
                explain->push_back(fmt::format("{} % {} = slot {}", crc, kMycatCrc32Slots, slot));
                explain->push_back(
                    fmt::format("slot {} / ({} / {}) -> {}", slot, kMycatCrc32Slots, m_nodes, shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return m_nodes; }
        std::string shardName(int index) const override { return dataNodeName(index); }
        std::string spec() const override { return fmt::format("mycat-crc32slot:nodes={}", m_nodes); }

        int shardOfInteger(int64_t key) const override
        {
            char digits[24];
            const uint32_t crc = hashes::crc32(decimalText(key, digits));
            return mycatCrc32SlotNode(static_cast<int>(crc % kMycatCrc32Slots), m_nodes);
        }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addHashedRangeShares(*this, lo, hi, mass, shares, m_fractions);
        }

    private:
        int m_nodes;
        std::vector<double> m_fractions; // each node's part of the slots
    };

    std::vector<int> readIntegers(RuleParams& params, const std::string& name)
    {
        std::vector<int> out;
        for (const std::string& text : params.list(name, true)) {
            auto value = javaParseLong(text);
            if (!value || *value < 1 || *value > kSegmentSlots) {
                params.addError(fmt::format(
                    "{} '{}' of rule 'mycat-long' must be a whole number from 1 to {}", name, text, kSegmentSlots));
                continue;
            }
            out.push_back(static_cast<int>(*value));
        }
        return out;
    }

    std::string joinedList(const std::vector<int>& values)
    {
        std::string out;
        for (size_t i = 0; i < values.size(); ++i)
            out += fmt::format("{}{}", i ? "|" : "", values[i]);
        return out;
    }

} // namespace

} // namespace shardsim::rules::systems

namespace shardsim::rules {

ShardRulePtr makeMycatLongRule(RuleParams& params, const RuleContext&)
{
    const auto counts = systems::readIntegers(params, "count");
    const auto lengths = systems::readIntegers(params, "length");
    if (!params.finish().empty())
        return nullptr;
    auto segment = systems::mycatSegmentTable(counts, lengths);
    if (!segment) {
        params.addError("mycat-long: " + segment.error());
        return nullptr;
    }
    return std::make_shared<systems::MycatLongRule>(
        fmt::format("mycat-long:count={},length={}", systems::joinedList(counts), systems::joinedList(lengths)),
        std::move(*segment));
}

ShardRulePtr makeMycatMurmurRule(RuleParams& params, const RuleContext&)
{
    const auto nodes = params.integer("nodes", std::nullopt, 1, 1024);
    const auto virtualPoints = params.integer("virtual", 160, 1, 1024);
    const auto seed
        = params.integer("seed", 0, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
    if (!params.finish().empty())
        return nullptr;
    return std::make_shared<systems::MycatMurmurRule>(
        static_cast<int>(nodes), static_cast<int>(virtualPoints), static_cast<int32_t>(seed));
}

ShardRulePtr makeMycatCrc32SlotRule(RuleParams& params, const RuleContext&)
{
    const auto nodes = params.integer("nodes", std::nullopt, 1, systems::kMycatCrc32Slots);
    if (!params.finish().empty())
        return nullptr;
    return std::make_shared<systems::MycatCrc32SlotRule>(static_cast<int>(nodes));
}

} // namespace shardsim::rules
