// Envoy's consistent-hashing load balancers: ring_hash (a ketama-style ring of xxHash64 points, sized by
// minimum_ring_size) and maglev (the Maglev lookup table, xxHash64 with seeds 0 and 1). A key's hash is
// xxHash64 of its text, what a hash policy on a header holding the key computes.

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "rules/range_shares.h"
#include "rules/rule_makers.h"
#include "rules/systems/balancer_formulas.h"
#include "rules/systems/middleware_formulas.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules::systems {

std::vector<RingEntry> envoyRing(const std::vector<std::string>& hosts, uint64_t minRing, uint64_t maxRing)
{
    std::vector<RingEntry> ring;
    if (hosts.empty())
        return ring;
    // Doubles exactly as Envoy computes them, so the per-host counts round the same way.
    const double weight = 1.0 / static_cast<double>(hosts.size());
    const double scale
        = std::min(std::ceil(weight * static_cast<double>(minRing)) / weight, static_cast<double>(maxRing));
    double current = 0;
    double target = 0;
    for (size_t host = 0; host < hosts.size(); ++host) {
        target += scale * weight;
        for (uint64_t i = 0; current < target; ++i, ++current)
            ring.push_back({ hashes::xxhash64(fmt::format("{}_{}", hosts[host], i), 0), static_cast<int>(host) });
    }
    std::stable_sort(ring.begin(), ring.end(), [](const RingEntry& a, const RingEntry& b) { return a.hash < b.hash; });
    return ring;
}

size_t envoyRingIndex(const std::vector<RingEntry>& ring, uint64_t h)
{
    // Signed positions, as in Envoy: highp can drop below lowp, which ends the search at entry 0.
    int64_t lowp = 0;
    int64_t highp = static_cast<int64_t>(ring.size());
    for (;;) {
        const int64_t midp = (lowp + highp) / 2;
        if (midp == static_cast<int64_t>(ring.size()))
            return 0;
        const uint64_t midval = ring[static_cast<size_t>(midp)].hash;
        const uint64_t midval1 = midp == 0 ? 0 : ring[static_cast<size_t>(midp - 1)].hash;
        if (h <= midval && h > midval1)
            return static_cast<size_t>(midp);
        if (midval < h)
            lowp = midp + 1;
        else
            highp = midp - 1;
        if (lowp > highp)
            return 0;
    }
}

std::vector<int> envoyMaglevTable(const std::vector<std::string>& hosts, uint64_t tableSize)
{
    struct Build {
        int host;
        uint64_t offset;
        uint64_t skip;
        uint64_t next = 0;
    };
    std::vector<int> order(hosts.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<int>(i);
    // Sorted by address, so the table does not depend on the order the hosts were listed in.
    std::sort(order.begin(), order.end(), [&](int a, int b) { return hosts[size_t(a)] < hosts[size_t(b)]; });
    std::vector<Build> entries;
    for (int host : order) {
        const std::string& address = hosts[static_cast<size_t>(host)];
        entries.push_back(
            { host, hashes::xxhash64(address, 0) % tableSize, hashes::xxhash64(address, 1) % (tableSize - 1) + 1 });
    }
    std::vector<int> table(tableSize, -1);
    const auto permutation = [&](const Build& e) { return (e.offset + e.skip * e.next) % tableSize; };
    // Equal weights: every host takes its next free preferred entry in every round.
    for (uint64_t filled = 0; filled < tableSize;) {
        for (size_t i = 0; i < entries.size() && filled < tableSize; ++i) {
            Build& entry = entries[i];
            uint64_t c = permutation(entry);
            while (table[c] != -1) {
                ++entry.next;
                c = permutation(entry);
            }
            table[c] = entry.host;
            ++entry.next;
            ++filled;
        }
    }
    return table;
}

std::vector<double> circleShares(const std::vector<std::pair<uint64_t, int>>& points, int owners)
{
    std::vector<double> shares(static_cast<size_t>(owners), 0.0);
    if (points.size() == 1)
        shares[static_cast<size_t>(points[0].second)] = 1.0;
    for (size_t i = 0; points.size() > 1 && i < points.size(); ++i) {
        const uint64_t previous = points[i == 0 ? points.size() - 1 : i - 1].first;
        shares[static_cast<size_t>(points[i].second)] += arcFraction(previous, points[i].first);
    }
    return shares;
}

namespace {

    std::string hostList(const std::vector<std::string>& hosts)
    {
        std::string out;
        for (size_t i = 0; i < hosts.size(); ++i)
            out += (i ? "|" : "") + hosts[i];
        return out;
    }

    class EnvoyRingRule final : public ShardRule {
    public:
        EnvoyRingRule(std::vector<std::string> hosts, uint64_t minRing, uint64_t maxRing)
            : m_hosts(std::move(hosts))
            , m_minRing(minRing)
            , m_maxRing(maxRing)
            , m_ring(envoyRing(m_hosts, minRing, maxRing))
        {
            std::vector<std::pair<uint64_t, int>> points;
            for (const RingEntry& entry : m_ring)
                points.emplace_back(entry.hash, entry.host);
            m_fractions = circleShares(points, static_cast<int>(m_hosts.size()));
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const std::string text = key.text();
            const uint64_t hash = hashes::xxhash64(text, 0);
            const size_t at = envoyRingIndex(m_ring, hash);
            RouteResult result;
            result.index = m_ring[at].host;
            result.hash = std::to_string(hash);
            if (explain) {
                explain->push_back(fmt::format("xxHash64(\"{}\", seed 0) = {}", text, hash));
                explain->push_back(fmt::format("ring of {} points ({} per host): first point >= {} is {}{}",
                    m_ring.size(), m_ring.size() / m_hosts.size(), hash, m_ring[at].hash,
                    at == 0 && hash > m_ring.back().hash ? " (past the last point, the ring wraps)" : ""));
                explain->push_back(fmt::format("point {} belongs to {}", m_ring[at].hash, shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return static_cast<int>(m_hosts.size()); }
        std::string shardName(int index) const override { return m_hosts[static_cast<size_t>(index)]; }
        std::string spec() const override
        {
            return fmt::format("envoy-ring:hosts={},min_ring={},max_ring={}", hostList(m_hosts), m_minRing, m_maxRing);
        }

        int shardOfInteger(int64_t key) const override
        {
            char digits[24];
            return m_ring[envoyRingIndex(m_ring, hashes::xxhash64(decimalText(key, digits), 0))].host;
        }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addHashedRangeShares(*this, lo, hi, mass, shares, m_fractions);
        }

    private:
        std::vector<std::string> m_hosts;
        uint64_t m_minRing;
        uint64_t m_maxRing;
        std::vector<RingEntry> m_ring;
        std::vector<double> m_fractions; // each host's part of the ring
    };

    class EnvoyMaglevRule final : public ShardRule {
    public:
        EnvoyMaglevRule(std::vector<std::string> hosts, uint64_t tableSize)
            : m_hosts(std::move(hosts))
            , m_table(envoyMaglevTable(m_hosts, tableSize))
            , m_fractions(m_hosts.size(), 0.0)
        {
            for (int host : m_table)
                m_fractions[static_cast<size_t>(host)] += 1.0 / static_cast<double>(m_table.size());
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const std::string text = key.text();
            const uint64_t hash = hashes::xxhash64(text, 0);
            const uint64_t entry = hash % m_table.size();
            RouteResult result;
            result.index = m_table[entry];
            result.hash = std::to_string(hash);
            if (explain) {
                explain->push_back(fmt::format("xxHash64(\"{}\", seed 0) = {}", text, hash));
                explain->push_back(fmt::format(
                    "{} % {} = table entry {}, held by {}", hash, m_table.size(), entry, shardName(result.index)));
            }
            return result;
        }

        int shardCount() const override { return static_cast<int>(m_hosts.size()); }
        std::string shardName(int index) const override { return m_hosts[static_cast<size_t>(index)]; }
        std::string spec() const override
        {
            return fmt::format("envoy-maglev:hosts={},table={}", hostList(m_hosts), m_table.size());
        }

        int shardOfInteger(int64_t key) const override
        {
            char digits[24];
            return m_table[hashes::xxhash64(decimalText(key, digits), 0) % m_table.size()];
        }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return addHashedRangeShares(*this, lo, hi, mass, shares, m_fractions);
        }

    private:
        std::vector<std::string> m_hosts;
        std::vector<int> m_table;
        std::vector<double> m_fractions; // each host's part of the table
    };

    bool isPrime(uint64_t n)
    {
        if (n < 2)
            return false;
        for (uint64_t d = 2; d * d <= n; ++d) {
            if (n % d == 0)
                return false;
        }
        return true;
    }

    std::vector<std::string> readHosts(RuleParams& params)
    {
        auto hosts = params.list("hosts", true);
        for (size_t i = 0; i < hosts.size(); ++i) {
            if (std::find(hosts.begin(), hosts.begin() + static_cast<std::ptrdiff_t>(i), hosts[i])
                != hosts.begin() + static_cast<std::ptrdiff_t>(i))
                params.addError(fmt::format("host '{}' of rule '{}' is listed twice", hosts[i], params.ruleName()));
        }
        if (hosts.size() > 10000)
            params.addError(fmt::format("rule '{}' takes at most 10000 hosts", params.ruleName()));
        return hosts;
    }

} // namespace

} // namespace shardsim::rules::systems

namespace shardsim::rules {

ShardRulePtr makeEnvoyRingRule(RuleParams& params, const RuleContext&)
{
    constexpr int64_t kDefaultMaxRing = 8 * 1024 * 1024; // Envoy's DefaultMaxRingSize
    auto hosts = systems::readHosts(params);
    const auto minRing = params.integer("min_ring", 1024, 1, kDefaultMaxRing);
    const auto maxRing = params.integer("max_ring", kDefaultMaxRing, 1, kDefaultMaxRing);
    if (!params.finish().empty())
        return nullptr;
    if (minRing > maxRing) {
        params.addError(fmt::format("ring hash: minimum_ring_size ({}) > maximum_ring_size ({})", minRing, maxRing));
        return nullptr;
    }
    return std::make_shared<systems::EnvoyRingRule>(
        std::move(hosts), static_cast<uint64_t>(minRing), static_cast<uint64_t>(maxRing));
}

ShardRulePtr makeEnvoyMaglevRule(RuleParams& params, const RuleContext&)
{
    auto hosts = systems::readHosts(params);
    const auto table = params.integer("table", 65537, 2, 5'000'011);
    if (!params.finish().empty())
        return nullptr;
    if (!systems::isPrime(static_cast<uint64_t>(table))) {
        params.addError(fmt::format("table {} of rule 'envoy-maglev' is not prime (Envoy: \"The table size of maglev "
                                    "must be prime number\")",
            table));
        return nullptr;
    }
    return std::make_shared<systems::EnvoyMaglevRule>(std::move(hosts), static_cast<uint64_t>(table));
}

} // namespace shardsim::rules
