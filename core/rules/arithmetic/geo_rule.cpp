// `geo:map=east:0|north:1|south:2` — the key is the request's region and a fixed table names its shard.
// Several regions may share a shard; every shard from 0 to the highest must have at least one region,
// since a shard no region reaches would never hold data.

#include <algorithm>
#include <fmt/format.h>
#include <map>

#include "rules/rule_makers.h"
#include "shardsim/common/suggest.h"

namespace shardsim::rules {

namespace {

    struct RegionEntry {
        std::string region;
        int shard = 0;
    };

    class GeoRule final : public ShardRule {
    public:
        GeoRule(std::vector<RegionEntry> entries, int shards)
            : m_entries(std::move(entries))
            , m_shards(shards)
        {
            for (const RegionEntry& entry : m_entries) {
                m_shardOfRegion.emplace(entry.region, entry.shard);
                m_regions.push_back(entry.region);
            }
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            if (key.type != KeyType::String)
                return fail(fmt::format("geo needs a region name as the key ({}), got the {} '{}'", knownRegions(),
                    keyTypeName(key.type), key.display()));
            const auto found = m_shardOfRegion.find(key.bytes);
            if (found == m_shardOfRegion.end())
                return fail(fmt::format("unknown region '{}'{}; known regions: {}", key.bytes,
                    didYouMean(key.bytes, m_regions), knownRegions()));
            RouteResult result;
            result.index = found->second;
            if (explain)
                explain->push_back(fmt::format(
                    "region '{}' is mapped to shard {} ({})", key.bytes, result.index, shardName(result.index)));
            return result;
        }

        int shardCount() const override { return m_shards; }

        // The regions of the shard joined by '+', in the order of the map: "east", "north+south".
        std::string shardName(int index) const override
        {
            std::string name;
            for (const RegionEntry& entry : m_entries) {
                if (entry.shard == index)
                    name += (name.empty() ? "" : "+") + entry.region;
            }
            return name;
        }

        std::string spec() const override
        {
            std::string out = "geo:map=";
            for (size_t i = 0; i < m_entries.size(); ++i)
                out += fmt::format("{}{}:{}", i ? "|" : "", m_entries[i].region, m_entries[i].shard);
            return out;
        }

    private:
        std::string knownRegions() const
        {
            std::string out;
            for (size_t i = 0; i < m_regions.size(); ++i)
                out += (i ? ", " : "") + m_regions[i];
            return out;
        }

        std::vector<RegionEntry> m_entries; // in the order of the spec
        int m_shards;
        std::map<std::string, int> m_shardOfRegion;
        std::vector<std::string> m_regions;
    };

    constexpr int kMaxGeoShards = 100'000;

} // namespace

ShardRulePtr makeGeoRule(RuleParams& params, const RuleContext&)
{
    const auto items = params.list("map", true);
    if (!params.finish().empty())
        return nullptr;
    std::vector<RegionEntry> entries;
    bool valid = true;
    for (const std::string& item : items) {
        const size_t colon = item.rfind(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == item.size()) {
            params.addError(fmt::format("geo map entry '{}' must be REGION:SHARD, e.g. east:0", item));
            valid = false;
            continue;
        }
        const std::string region = item.substr(0, colon);
        const std::string shardText = item.substr(colon + 1);
        int shard = -1;
        if (shardText.find_first_not_of("0123456789") == std::string::npos && shardText.size() <= 6)
            shard = std::stoi(shardText);
        if (shard < 0 || shard >= kMaxGeoShards) {
            params.addError(
                fmt::format("geo map entry '{}': the shard must be a number from 0 to {}", item, kMaxGeoShards - 1));
            valid = false;
            continue;
        }
        const bool repeated = std::any_of(
            entries.begin(), entries.end(), [&](const RegionEntry& entry) { return entry.region == region; });
        if (repeated) {
            params.addError(fmt::format("geo map names region '{}' twice", region));
            valid = false;
            continue;
        }
        entries.push_back({ region, shard });
    }
    if (!valid)
        return nullptr;
    int shards = 0;
    for (const RegionEntry& entry : entries)
        shards = std::max(shards, entry.shard + 1);
    std::vector<bool> used(static_cast<size_t>(shards), false);
    for (const RegionEntry& entry : entries)
        used[static_cast<size_t>(entry.shard)] = true;
    for (int shard = 0; shard < shards; ++shard) {
        if (!used[static_cast<size_t>(shard)]) {
            params.addError(fmt::format("geo map sends no region to shard {}; shards are numbered 0..{} without "
                                        "gaps",
                shard, shards - 1));
            return nullptr;
        }
    }
    return std::make_shared<GeoRule>(std::move(entries), shards);
}

} // namespace shardsim::rules
