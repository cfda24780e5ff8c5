// libketama's consistent hashing as spymemcached's KetamaNodeLocator implements it (the memcached clients'
// de-facto standard): 160 points per server on a 32-bit continuum, MD5 for the points and for the keys.

#include <algorithm>
#include <fmt/format.h>
#include <nettle/md5.h>

#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "rules/systems/balancer_formulas.h"
#include "rules/systems/middleware_formulas.h"

namespace shardsim::rules::systems {

namespace {

    constexpr int kDigestsPerServer = 40; // numReps (160) / 4 points per digest

    std::array<uint8_t, MD5_DIGEST_SIZE> md5(std::string_view text)
    {
        md5_ctx ctx;
        md5_init(&ctx);
        md5_update(&ctx, text.size(), reinterpret_cast<const uint8_t*>(text.data()));
        std::array<uint8_t, MD5_DIGEST_SIZE> digest {};
        md5_digest(&ctx, digest.size(), digest.data());
        return digest;
    }

    uint32_t littleEndianWord(const std::array<uint8_t, MD5_DIGEST_SIZE>& digest, size_t word)
    {
        const size_t at = word * 4;
        return static_cast<uint32_t>(digest[at]) | static_cast<uint32_t>(digest[at + 1]) << 8
            | static_cast<uint32_t>(digest[at + 2]) << 16 | static_cast<uint32_t>(digest[at + 3]) << 24;
    }

} // namespace

uint32_t ketamaHash(std::string_view key) { return littleEndianWord(md5(key), 0); }

std::map<uint32_t, int> ketamaContinuum(const std::vector<std::string>& servers)
{
    std::map<uint32_t, int> continuum;
    for (size_t server = 0; server < servers.size(); ++server) {
        for (int i = 0; i < kDigestsPerServer; ++i) {
            const auto digest = md5(fmt::format("{}-{}", servers[server], i));
            for (size_t word = 0; word < 4; ++word)
                continuum[littleEndianWord(digest, word)] = static_cast<int>(server);
        }
    }
    return continuum;
}

namespace {

    class KetamaRule final : public ShardRule {
    public:
        explicit KetamaRule(std::vector<std::string> servers)
            : m_servers(std::move(servers))
            , m_continuum(ketamaContinuum(m_servers))
        {
            std::vector<std::pair<uint64_t, int>> points;
            for (const auto& [point, server] : m_continuum)
                points.emplace_back(uint64_t { point } << 32, server);
            m_fractions = circleShares(points, static_cast<int>(m_servers.size()));
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const std::string text = key.text();
            const uint32_t hash = ketamaHash(text);
            // getPrimary: ketamaNodes.ceilingKey(hash), or the first key past the end of the continuum.
            auto found = m_continuum.lower_bound(hash);
            const bool wrapped = found == m_continuum.end();
            if (wrapped)
                found = m_continuum.begin();
            RouteResult result;
            result.index = found->second;
            result.hash = std::to_string(hash);
            if (explain) {
                explain->push_back(fmt::format("MD5(\"{}\") first 4 bytes little-endian = {}", text, hash));
                explain->push_back(fmt::format("first continuum point >= {}: {}{}, a point of {}", hash, found->first,
                    wrapped ? " (past the last point, the continuum wraps)" : "", shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return static_cast<int>(m_servers.size()); }
        std::string shardName(int index) const override { return m_servers[static_cast<size_t>(index)]; }
        std::string spec() const override
        {
            std::string out = "ketama:servers=";
            for (size_t i = 0; i < m_servers.size(); ++i)
                out += (i ? "|" : "") + m_servers[i];
            return out;
        }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addHashedRangeShares(*this, lo, hi, mass, shares, m_fractions);
        }

    private:
        std::vector<std::string> m_servers;
        std::map<uint32_t, int> m_continuum;
        std::vector<double> m_fractions; // each server's part of the continuum
    };

} // namespace

} // namespace shardsim::rules::systems

namespace shardsim::rules {

ShardRulePtr makeKetamaRule(RuleParams& params, const RuleContext&)
{
    auto servers = params.list("servers", true);
    if (!params.finish().empty())
        return nullptr;
    for (size_t i = 0; i < servers.size(); ++i) {
        const std::string& server = servers[i];
        const size_t colon = server.rfind(':');
        const bool portOk = colon != std::string::npos && colon > 0 && colon + 1 < server.size()
            && std::all_of(server.begin() + static_cast<std::ptrdiff_t>(colon) + 1, server.end(),
                [](char c) { return c >= '0' && c <= '9'; });
        if (!portOk)
            params.addError(fmt::format("server '{}' of rule 'ketama' must be HOST:PORT (e.g. 10.0.1.1:11211): "
                                        "the text is what the points hash",
                server));
        if (std::find(servers.begin(), servers.begin() + static_cast<std::ptrdiff_t>(i), server)
            != servers.begin() + static_cast<std::ptrdiff_t>(i))
            params.addError(fmt::format("server '{}' of rule 'ketama' is listed twice", server));
    }
    if (servers.size() > 10000)
        params.addError("rule 'ketama' takes at most 10000 servers");
    if (!params.finish().empty())
        return nullptr;
    return std::make_shared<systems::KetamaRule>(std::move(servers));
}

} // namespace shardsim::rules
