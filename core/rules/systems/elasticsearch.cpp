// Elasticsearch's document routing: murmur3 of the routing value's UTF-16, then the routing shards (7.x) or
// the shard count (9.4) decide the shard.

#include "rules/systems/elasticsearch.h"

#include <algorithm>
#include <bit>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "rules/systems/system_formulas.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules::systems {

namespace {

    int floorMod(int64_t value, int64_t modulus)
    {
        const int64_t r = value % modulus;
        return static_cast<int>(r < 0 ? r + modulus : r);
    }

    // Java int addition wraps around.
    int32_t javaAdd(int32_t a, int32_t b)
    {
        return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
    }

} // namespace

int32_t elasticsearchHash(std::string_view utf8)
{
    return static_cast<int32_t>(hashes::murmur3x86_32(hashes::javaUtf16LittleEndian(utf8), 0));
}

int elasticsearchDefaultRoutingShards(int shards)
{
    const int log2Shards = shards <= 1 ? 0 : 32 - std::countl_zero(static_cast<uint32_t>(shards - 1));
    const int splits = std::max(1, 10 - log2Shards);
    return shards << splits;
}

int elasticsearchShardOfHash(const ElasticsearchRouting& routing, int32_t hash)
{
    if (routing.modShards)
        return floorMod(hash, routing.shards);
    return floorMod(hash, routing.routingShards) / (routing.routingShards / routing.shards);
}

int elasticsearchShard(const ElasticsearchRouting& routing, std::string_view id, std::string_view routingValue)
{
    int32_t hash = elasticsearchHash(routingValue);
    if (routing.partitionSize > 1)
        hash = javaAdd(hash, floorMod(elasticsearchHash(id), routing.partitionSize));
    return elasticsearchShardOfHash(routing, hash);
}

int elasticsearchSearchShards(const ElasticsearchRouting& routing, std::string_view routingValue, std::span<int> shards)
{
    const int32_t hash = elasticsearchHash(routingValue);
    // Consecutive hashes reach consecutive routing shards, so the shards come in runs, wrapping at most once past
    // the last: a shard seen before is the previous one or, after the wrap, the first.
    int count = 0;
    for (int j = 0; j < routing.partitionSize; ++j) {
        const int shard = elasticsearchShardOfHash(routing, javaAdd(hash, j));
        if (count > 0 && (shard == shards[static_cast<size_t>(count - 1)] || shard == shards[0]))
            continue;
        shards[static_cast<size_t>(count++)] = shard;
    }
    return count;
}

namespace {

    class ElasticsearchRule final : public ShardRule {
    public:
        explicit ElasticsearchRule(ElasticsearchRouting routing)
            : m_routing(routing)
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            if (key.type == KeyType::Bytes)
                return fail("elasticsearch takes string and integer keys: a routing value and an _id are strings, "
                            "not raw bytes");
            const std::string text = key.isInteger() ? key.display() : key.bytes;
            if (text.empty())
                return fail("elasticsearch refuses the empty key: \"if _id is specified it must not be empty\"");
            const int32_t hash = elasticsearchHash(text);
            int32_t routed = hash;
            int offset = 0;
            if (m_routing.partitionSize > 1) {
                offset = floorMod(hash, m_routing.partitionSize); // the key is both _id and routing value
                routed = javaAdd(hash, offset);
            }
            const int shard = elasticsearchShardOfHash(m_routing, routed);
            if (explain)
                explainSteps(text, hash, offset, routed, shard, *explain);
            RouteResult result;
            result.index = shard;
            result.hash = std::to_string(hash);
            return result;
        }

        int shardCount() const override { return m_routing.shards; }
        std::string shardName(int index) const override { return fmt::format("shard-{}", index); }

        std::string spec() const override
        {
            std::string out = fmt::format("elasticsearch:shards={}", m_routing.shards);
            if (m_routing.modShards)
                out += ",version=9.4";
            else if (m_routing.routingShards != elasticsearchDefaultRoutingShards(m_routing.shards))
                out += fmt::format(",routing_shards={}", m_routing.routingShards);
            if (m_routing.partitionSize > 1)
                out += fmt::format(",partition_size={}", m_routing.partitionSize);
            return out;
        }

        int shardOfInteger(int64_t key) const override
        {
            const std::string text = std::to_string(key);
            return elasticsearchShard(m_routing, text, text);
        }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addEvenHashedRangeShares(*this, lo, hi, mass, shares);
        }

        int searchSpread() const override { return std::min(m_routing.partitionSize, m_routing.shards); }

        int searchShardsOfInteger(int64_t key, std::span<int> shards) const override
        {
            return elasticsearchSearchShards(m_routing, std::to_string(key), shards);
        }

        // A routing hash lands on routing shard r = floorMod(hash, R) evenly; the search reaches r .. r + P - 1, so
        // from offset o = r % F within its shard's block of F routing shards it visits floor((o + P - 1) / F) + 1
        // shards (at most N). With P - 1 = a F + b that is a + 1 shards for F - b of the offsets and a + 2 for b.
        void addSpreadSearches(double mass, std::span<double> visited, std::span<double> histogram) const override
        {
            const int64_t factor = m_routing.routingShards / m_routing.shards;
            const int64_t a = (m_routing.partitionSize - 1) / factor;
            const int64_t b = (m_routing.partitionSize - 1) % factor;
            const auto shards = static_cast<int64_t>(m_routing.shards);
            const auto near = static_cast<size_t>(std::min(shards, a + 1));
            const auto far = static_cast<size_t>(std::min(shards, a + 2));
            const double farShare = static_cast<double>(b) / static_cast<double>(factor);
            histogram[near] += mass * (1 - farShare);
            if (b > 0) // then F >= 2, so a + 2 <= P: within the histogram
                histogram[far] += mass * farShare;
            const double each = mass
                * (static_cast<double>(near) * (1 - farShare) + static_cast<double>(far) * farShare)
                / static_cast<double>(shards);
            for (size_t s = 0; s < visited.size(); ++s)
                visited[s] += each;
        }

    private:
        void explainSteps(
            const std::string& text, int32_t hash, int offset, int32_t routed, int shard, Explanation& explain) const
        {
            const std::string bytes = hashes::javaUtf16LittleEndian(text);
            explain.push_back(
                fmt::format("routing \"{}\" as UTF-16LE: {} ({} bytes)", text, toHex(bytes), bytes.size()));
            explain.push_back(fmt::format("Murmur3HashFunction (murmur3 x86_32, seed 0) -> {}", hash));
            if (m_routing.partitionSize > 1)
                explain.push_back(fmt::format("partitioned index, _id = routing = \"{}\": floorMod(hash(_id), {}) = "
                                              "{}; {} + {} = {}",
                    text, m_routing.partitionSize, offset, hash, offset, routed));
            if (m_routing.modShards) {
                explain.push_back(
                    fmt::format("floorMod({}, {} shards) -> {}", routed, m_routing.shards, shardName(shard)));
            } else {
                const int factor = m_routing.routingShards / m_routing.shards;
                explain.push_back(fmt::format("floorMod({}, {} routing shards) = {}; / routing factor {} -> {}", routed,
                    m_routing.routingShards, floorMod(routed, m_routing.routingShards), factor, shardName(shard)));
            }
            if (m_routing.partitionSize > 1)
                explainSearch(text, hash, explain);
        }

        void explainSearch(const std::string& text, int32_t hash, Explanation& explain) const
        {
            std::vector<int> shards(static_cast<size_t>(searchSpread()));
            shards.resize(static_cast<size_t>(elasticsearchSearchShards(m_routing, text, shards)));
            std::vector<std::string> names;
            for (int shard : shards)
                names.push_back(shardName(shard));
            explain.push_back(fmt::format("a search with routing \"{}\" visits the shards of {} + j for j = 0..{}: {} "
                                          "({} of {})",
                text, hash, m_routing.partitionSize - 1, fmt::join(names, ", "), shards.size(), m_routing.shards));
        }

        ElasticsearchRouting m_routing;
    };

} // namespace

} // namespace shardsim::rules::systems

namespace shardsim::rules {

ShardRulePtr makeElasticsearchRule(RuleParams& params, const RuleContext&)
{
    systems::ElasticsearchRouting routing;
    routing.shards = static_cast<int>(params.integer("shards", std::nullopt, 1, 65536));
    const std::string version = params.choice("version", std::string("7"), { "7", "9.4" });
    routing.modShards = version == "9.4";
    const int64_t routingShards = params.integer(
        "routing_shards", systems::elasticsearchDefaultRoutingShards(routing.shards), 1, int64_t { 1 } << 30);
    if (routing.modShards && params.has("routing_shards"))
        params.addError("elasticsearch: version 9.4 routes by floorMod(hash, shards); routing_shards applies to "
                        "version 7 only");
    routing.routingShards = routing.modShards ? routing.shards : static_cast<int>(routingShards);
    routing.partitionSize = static_cast<int>(params.integer("partition_size", 1, 1, 65536));
    if (!params.finish().empty())
        return nullptr;
    if (routing.routingShards < routing.shards || routing.routingShards % routing.shards != 0) {
        params.addError(fmt::format("elasticsearch: routing_shards ({}) must be a multiple of shards ({}), as "
                                    "index.number_of_routing_shards must be",
            routing.routingShards, routing.shards));
        return nullptr;
    }
    if (routing.partitionSize > 1 && routing.partitionSize >= routing.routingShards) {
        params.addError(fmt::format("elasticsearch: partition_size ({}) must be less than the {} routing shards, as "
                                    "index.routing_partition_size must be",
            routing.partitionSize, routing.routingShards));
        return nullptr;
    }
    return std::make_shared<systems::ElasticsearchRule>(routing);
}

} // namespace shardsim::rules
