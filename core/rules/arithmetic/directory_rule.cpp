// `directory` — a lookup table from key (or bucket) to shard, read before every access. The most flexible
// rule (any key can move on its own) at the price of one extra lookup per query and a directory that must
// itself be stored, replicated and cached.
//
//   directory:map=KEY:SHARD|KEY:SHARD...   or   directory:file=PATH.csv      (one of the two)
//   buckets=B   the key is first reduced to a bucket 0..B-1 and the directory maps buckets
//   default=S   the shard of keys (or buckets) the directory does not list
//
// Without buckets a directory key matches the key as displayed: decimal for integers, the text of strings,
// 0x-hex for bytes. With buckets an integer key's bucket is key mod B (floored) and any other key's bucket
// is murmur3(key) mod B.

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <unordered_map>

#include "rules/arithmetic/key_math.h"
#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "shardsim/common/input_file.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules {

namespace {

    constexpr int kMaxShard = 10'000'000 - 1;
    constexpr int64_t kMaxBuckets = 10'000'000;
    constexpr size_t kMaxReportedErrors = 10;

    struct DirectoryEntry {
        std::string key;
        int shard = 0;
    };

    struct DirectoryConfig {
        std::vector<DirectoryEntry> mapEntries; // as written in `map=`, for spec(); empty for a file
        std::string file; // as written in `file=`, relative paths unresolved
        int64_t buckets = 0; // 0: the directory maps keys, not buckets
        std::optional<int> fallback; // `default=`
    };

    class DirectoryRule final : public ShardRule {
    public:
        DirectoryRule(DirectoryConfig config, std::unordered_map<std::string, int> shardOfKey,
            std::vector<int> shardOfBucket, int shards)
            : m_config(std::move(config))
            , m_shardOfKey(std::move(shardOfKey))
            , m_shardOfBucket(std::move(shardOfBucket))
            , m_shards(shards)
        {
            // Buckets per shard (unmapped ones go to the default), for whole cycles of keys.
            m_bucketsOfShard.assign(static_cast<size_t>(shards), 0);
            for (int shard : m_shardOfBucket) {
                const int target = shard >= 0 ? shard : m_config.fallback.value_or(-1);
                if (target >= 0)
                    ++m_bucketsOfShard[static_cast<size_t>(target)];
                else
                    ++m_unmappedBuckets;
            }
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            RouteResult result;
            int shard = -1;
            std::string looked;
            if (m_config.buckets > 0) {
                int64_t bucket = 0;
                if (const auto value = wideValue(key)) {
                    bucket = static_cast<int64_t>(floorMod(*value, m_config.buckets));
                    if (explain)
                        explain->push_back(
                            fmt::format("bucket: {} mod {} = {}", key.display(), m_config.buckets, bucket));
                } else {
                    const uint64_t hash = hashes::hashKey(hashes::HashFunction::Murmur3, key);
                    bucket = static_cast<int64_t>(hash % static_cast<uint64_t>(m_config.buckets));
                    result.hash = std::to_string(hash);
                    if (explain)
                        explain->push_back(fmt::format(
                            "bucket: murmur3('{}') = {}, mod {} = {}", key.display(), hash, m_config.buckets, bucket));
                }
                shard = m_shardOfBucket[static_cast<size_t>(bucket)];
                looked = fmt::format("bucket {}", bucket);
            } else {
                looked = fmt::format("key '{}'", key.display());
                const auto found = m_shardOfKey.find(key.display());
                if (found != m_shardOfKey.end())
                    shard = found->second;
            }
            if (shard < 0) {
                if (!m_config.fallback)
                    return fail(
                        fmt::format("{} is not in the directory, which has no default (add default=SHARD)", looked));
                result.index = *m_config.fallback;
                if (explain)
                    explain->push_back(fmt::format("directory lookup (one extra read per query): {} is not listed, "
                                                   "so it takes the default {}",
                        looked, shardName(result.index)));
                return result;
            }
            result.index = shard;
            if (explain)
                explain->push_back(fmt::format(
                    "directory lookup (one extra read per query): {} -> {}", looked, shardName(result.index)));
            return result;
        }

        int shardCount() const override { return m_shards; }
        std::string shardName(int index) const override { return plainShardName(index); }

        std::string spec() const override
        {
            std::string out = "directory:";
            if (m_config.file.empty()) {
                out += "map=";
                for (size_t i = 0; i < m_config.mapEntries.size(); ++i)
                    out += fmt::format(
                        "{}{}:{}", i ? "|" : "", m_config.mapEntries[i].key, m_config.mapEntries[i].shard);
            } else {
                out += "file=" + m_config.file;
            }
            if (m_config.buckets > 0)
                out += fmt::format(",buckets={}", m_config.buckets);
            if (m_config.fallback)
                out += fmt::format(",default={}", *m_config.fallback);
            return out;
        }

        int shardOfInteger(int64_t key) const override
        {
            if (m_config.buckets <= 0)
                return ShardRule::shardOfInteger(key); // looked up by the key's text
            int64_t bucket = key % m_config.buckets;
            if (bucket < 0)
                bucket += m_config.buckets;
            const int shard = m_shardOfBucket[static_cast<size_t>(bucket)];
            return shard >= 0 ? shard : m_config.fallback.value_or(-1);
        }

        bool countsRangesExactly() const override { return m_config.buckets > 0; }
        // Without buckets a key is formatted and looked up by its text.
        double keyRoutingCost() const override { return m_config.buckets > 0 ? 1 : 64; }

        // With buckets, exact: full cycles of B keys give every bucket the same count (so each shard its number
        // of buckets), the rest is one run of consecutive buckets. Without, the default probing.
        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            if (m_config.buckets <= 0)
                return ShardRule::addRangeShares(lo, hi, mass, shares);
            const WideInt length = rangeLength(lo, hi);
            if (length == 0)
                return 0;
            const double perKey = mass / static_cast<double>(length);
            const WideInt cycles = length / m_config.buckets;
            double refused = 0;
            if (cycles > 0) {
                const double perCycle = perKey * static_cast<double>(cycles);
                for (size_t shard = 0; shard < m_bucketsOfShard.size(); ++shard)
                    shares[shard] += perCycle * static_cast<double>(m_bucketsOfShard[shard]);
                refused += perCycle * static_cast<double>(m_unmappedBuckets);
            }
            auto bucket = static_cast<int64_t>(floorMod(lo, m_config.buckets));
            for (auto rest = static_cast<int64_t>(length % m_config.buckets); rest > 0; --rest) {
                const int shard = m_shardOfBucket[static_cast<size_t>(bucket)];
                const int target = shard >= 0 ? shard : m_config.fallback.value_or(-1);
                if (target < 0)
                    refused += perKey;
                else
                    shares[static_cast<size_t>(target)] += perKey;
                if (++bucket == m_config.buckets)
                    bucket = 0;
            }
            return refused;
        }

    private:
        DirectoryConfig m_config;
        std::unordered_map<std::string, int> m_shardOfKey; // used without buckets
        std::vector<int> m_shardOfBucket; // used with buckets; -1 where unmapped
        int m_shards;
        std::vector<int64_t> m_bucketsOfShard; // with buckets: how many buckets lead to each shard
        int64_t m_unmappedBuckets = 0; // with buckets and no default: buckets that lead nowhere
    };

    std::string_view trimmed(std::string_view text)
    {
        while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
            text.remove_prefix(1);
        while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
            text.remove_suffix(1);
        return text;
    }

    // A CSV field without its surrounding quotes; "" inside quotes is one quote.
    std::string unquoted(std::string_view field)
    {
        field = trimmed(field);
        if (field.size() < 2 || field.front() != '"' || field.back() != '"')
            return std::string(field);
        std::string out;
        for (size_t i = 1; i + 1 < field.size(); ++i) {
            out += field[i];
            if (field[i] == '"' && field[i + 1] == '"')
                ++i;
        }
        return out;
    }

    std::optional<int> parseShard(std::string_view text)
    {
        text = trimmed(text);
        if (text.empty() || text.size() > 8 || text.find_first_not_of("0123456789") != std::string_view::npos)
            return std::nullopt;
        const int shard = std::stoi(std::string(text));
        return shard <= kMaxShard ? std::optional<int>(shard) : std::nullopt;
    }

    // Collects errors up to a limit so a broken 1M-line file does not produce 1M messages.
    class ErrorList {
    public:
        explicit ErrorList(RuleParams& params)
            : m_params(params)
        {
        }
        ~ErrorList()
        {
            if (m_count > kMaxReportedErrors)
                m_params.addError(fmt::format("... and {} more directory errors", m_count - kMaxReportedErrors));
        }
        void add(std::string message)
        {
            if (++m_count <= kMaxReportedErrors)
                m_params.addError(std::move(message));
        }
        bool empty() const { return m_count == 0; }

    private:
        RuleParams& m_params;
        size_t m_count = 0;
    };

    constexpr uintmax_t kMaxDirectoryFileBytes = 256ull << 20;

    // Reads `key,shard` lines: the shard is the last field, so keys may contain quoted commas. Blank lines
    // and lines starting with '#' are skipped; a first line whose shard is not a number is a header.
    std::vector<DirectoryEntry> readDirectoryFile(
        const std::string& file, const RuleContext& context, ErrorList& errors)
    {
        std::filesystem::path path(file);
        if (path.is_relative() && !context.baseDirectory.empty())
            path = std::filesystem::path(context.baseDirectory) / path;
        // Only regular files of a sane size: /dev/zero or a FIFO would never end.
        if (const std::string problem = inputFileProblem(path.string()); !problem.empty()) {
            errors.add(fmt::format("cannot read the directory file '{}': it {}", path.string(), problem));
            return {};
        }
        std::error_code error;
        if (std::filesystem::file_size(path, error) > kMaxDirectoryFileBytes) {
            errors.add(fmt::format(
                "the directory file '{}' is larger than {} MiB", path.string(), kMaxDirectoryFileBytes >> 20));
            return {};
        }
        std::ifstream in(path);
        if (!in) {
            errors.add(fmt::format("cannot read the directory file '{}'", path.string()));
            return {};
        }
        std::vector<DirectoryEntry> entries;
        std::string line;
        int lineNumber = 0;
        bool firstRow = true;
        while (std::getline(in, line)) {
            ++lineNumber;
            const std::string_view text = trimmed(line);
            if (text.empty() || text.front() == '#')
                continue;
            const size_t comma = text.rfind(',');
            const auto shard = comma == std::string_view::npos ? std::nullopt : parseShard(text.substr(comma + 1));
            const bool header = firstRow && comma != std::string_view::npos && !shard;
            firstRow = false;
            if (header)
                continue;
            if (!shard) {
                errors.add(fmt::format("{}:{}: expected KEY,SHARD with SHARD a number from 0 to {}, got '{}'",
                    path.string(), lineNumber, kMaxShard, text));
                continue;
            }
            const std::string key = unquoted(text.substr(0, comma));
            if (key.empty()) {
                errors.add(fmt::format("{}:{}: the key is empty", path.string(), lineNumber));
                continue;
            }
            entries.push_back({ key, *shard });
        }
        return entries;
    }

} // namespace

ShardRulePtr makeDirectoryRule(RuleParams& params, const RuleContext& context)
{
    DirectoryConfig config;
    const bool hasMap = params.has("map");
    const bool hasFile = params.has("file");
    const auto mapItems = params.list("map", false);
    config.file = params.text("file", std::string());
    config.buckets = params.integer("buckets", 0, 1, kMaxBuckets); // 0 (absent): keys are looked up directly
    if (params.has("default"))
        config.fallback = static_cast<int>(params.integer("default", std::nullopt, 0, kMaxShard));
    if (!params.finish().empty())
        return nullptr;
    if (hasMap == hasFile) {
        params.addError(
            hasMap ? "directory takes map= or file=, not both" : "directory needs map=KEY:SHARD|... or file=PATH.csv");
        return nullptr;
    }

    std::vector<DirectoryEntry> entries;
    {
        ErrorList errors(params);
        if (hasFile) {
            entries = readDirectoryFile(config.file, context, errors);
        } else {
            for (const std::string& item : mapItems) {
                const size_t colon = item.rfind(':');
                const auto shard = colon == std::string::npos ? std::nullopt : parseShard(item.substr(colon + 1));
                if (!shard || colon == 0) {
                    errors.add(
                        fmt::format("directory map entry '{}' must be KEY:SHARD with SHARD a number from 0 to {}", item,
                            kMaxShard));
                    continue;
                }
                entries.push_back({ item.substr(0, colon), *shard });
            }
            config.mapEntries = entries;
        }
        if (!errors.empty())
            return nullptr;
    }
    if (entries.empty()) {
        params.addError("the directory is empty");
        return nullptr;
    }

    int shards = config.fallback ? *config.fallback + 1 : 0;
    for (const DirectoryEntry& entry : entries)
        shards = std::max(shards, entry.shard + 1);

    std::unordered_map<std::string, int> shardOfKey;
    std::vector<int> shardOfBucket;
    ErrorList errors(params);
    if (config.buckets > 0) {
        shardOfBucket.assign(static_cast<size_t>(config.buckets), -1);
        for (const DirectoryEntry& entry : entries) {
            const auto bucket = parseIntegerText(entry.key);
            if (!bucket || *bucket < 0 || *bucket >= config.buckets) {
                errors.add(fmt::format("directory entry '{}': with buckets={} the keys are buckets 0..{}", entry.key,
                    config.buckets, config.buckets - 1));
                continue;
            }
            int& slot = shardOfBucket[static_cast<size_t>(*bucket)];
            if (slot >= 0)
                errors.add(fmt::format("directory lists bucket {} twice", *bucket));
            slot = entry.shard;
        }
        if (!config.fallback && errors.empty()) {
            // Every bucket is reachable by some key, so a hole would fail requests at random.
            const auto hole = std::find(shardOfBucket.begin(), shardOfBucket.end(), -1);
            if (hole != shardOfBucket.end())
                errors.add(fmt::format("directory leaves bucket {} of 0..{} unmapped and has no default",
                    hole - shardOfBucket.begin(), config.buckets - 1));
        }
    } else {
        shardOfKey.reserve(entries.size());
        for (const DirectoryEntry& entry : entries) {
            if (!shardOfKey.emplace(entry.key, entry.shard).second)
                errors.add(fmt::format("directory lists key '{}' twice", entry.key));
        }
    }
    if (!errors.empty())
        return nullptr;
    return std::make_shared<DirectoryRule>(std::move(config), std::move(shardOfKey), std::move(shardOfBucket), shards);
}

} // namespace shardsim::rules
