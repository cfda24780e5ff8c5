#include "engine/key_domain.h"

#include <algorithm>
#include <atomic>
#include <cmath>

#include "shardsim/workload/hotspot_keys.h"
#include "shardsim/workload/random_streams.h"

namespace shardsim::engine {

namespace {

    // Beyond this many rule boundaries, segments are no longer cut at each (the closed forms still count keys
    // exactly; only the law's shape inside a segment spanning several is then averaged).
    constexpr size_t kMaxRuleCuts = 65'536;

    uint64_t nextSerial()
    {
        static std::atomic<uint64_t> serials { 0 };
        return ++serials;
    }

    const workload::HotspotKeys* asHotspot(const workload::KeyDistribution& distribution)
    {
        return dynamic_cast<const workload::HotspotKeys*>(&distribution);
    }

} // namespace

KeyDomain::KeyDomain(const DomainPlan& plan, workload::KeyDistributionPtr distribution,
    const KeyDistributionConfig& config, const ShardRule& rule, KeyDomainSettings settings)
    : m_plan(plan)
    , m_distribution(std::move(distribution))
    , m_config(config)
    , m_rule(&rule)
    , m_settings(settings)
    , m_serial(nextSerial())
{
    for (int64_t bound : rule.rangeBoundaries()) {
        if (bound >= 1 && m_ruleCuts.size() < kMaxRuleCuts)
            m_ruleCuts.push_back(static_cast<uint64_t>(bound));
    }
    m_cuts = m_ruleCuts;
    if (m_settings.heat) {
        const std::vector<uint64_t> starts = m_settings.heat->starts();
        m_cuts.insert(m_cuts.end(), starts.begin(), starts.end());
        std::sort(m_cuts.begin(), m_cuts.end());
        m_cuts.erase(std::unique(m_cuts.begin(), m_cuts.end()), m_cuts.end());
    }
}

bool KeyDomain::needsRebuild(uint64_t keys) const
{
    if (m_version == 0)
        return true;
    const uint64_t before = m_law.keyCount;
    if (keys != before) {
        const uint64_t grown = keys > before ? keys - before : before - keys;
        uint64_t allowed = before / 1000;
        if (m_config.kind == KeyDistributionKind::Latest)
            allowed = std::min(allowed, m_settings.headKeys / 64);
        // recent: its newest keys slide with every insert; follow them to within 1/1000 of their count.
        if (m_config.kind == KeyDistributionKind::Recent)
            allowed = std::min(allowed, static_cast<uint64_t>(m_config.windowKeys / 1000));
        if (grown > allowed)
            return true;
        // A boundary b with before < b <= keys: the newest keys now reach another shard.
        const auto lo = std::upper_bound(m_ruleCuts.begin(), m_ruleCuts.end(), std::min(before, keys));
        if (lo != m_ruleCuts.end() && *lo <= std::max(before, keys))
            return true;
    }
    if (const auto* hotspot = asHotspot(*m_distribution)) {
        const uint64_t first = hotspot->firstHotKey();
        const uint64_t moved = first > m_hotFirst ? first - m_hotFirst : m_hotFirst - first;
        if (moved > hotspot->hotKeyCount() / 1000)
            return true;
    }
    return false;
}

bool KeyDomain::update(double t)
{
    const uint64_t keys = m_plan.keysAt(t);
    m_distribution->setTime(t);
    if (!needsRebuild(keys))
        return false;
    rebuild(keys);
    return true;
}

std::vector<uint64_t> KeyDomain::segmentsToCount(std::span<const double> provisional, uint64_t reach) const
{
    // A segment of mass m over L keys given its fractions leaves shard i a variance of f (1 - f) m^2 / L (f = 1/n),
    // however large its share; counting C of its keys removes f (1 - f) (m / L)^2 C of it. Count the segments with
    // the heaviest keys first, until what the rest leave is within the counter's bound of the smallest share: a shard
    // without hot keys has less than 1/n, so its error is the largest relative to it. Under Zipf(0.99) over 10^7
    // keys on 1,024 shards that is the first few million keys. A segment ending within the counter's exact keys is
    // counted whole; a longer one only as far as the bound needs, and no further than the counter reaches.
    std::vector<uint64_t> counted(m_law.segments.size(), 0);
    const RangeShareCounter* counter = m_settings.counter;
    if (!countsSegments())
        return counted;
    const double shards = static_cast<double>(m_rule->shardCount());
    const double f = 1 / shards;
    // The provisional shares tell the smallest; never below f / 10, so an empty shard does not ask for every key.
    const double smallest = std::max(f / 10, *std::min_element(provisional.begin(), provisional.end()));
    const double allowed = std::pow(counter->shareError() * smallest, 2);

    const auto length
        = [&](size_t s) { return static_cast<double>(m_law.segments[s].last - m_law.segments[s].first + 1); };
    const auto perKey = [&](size_t s) { return m_law.segments[s].mass / length(s); };
    std::vector<size_t> order(m_law.segments.size());
    double left = 0;
    for (size_t s = 0; s < order.size(); ++s) {
        order[s] = s;
        // A short segment is routed key by key by the rule itself: exact, nothing to count.
        if (length(s) > static_cast<double>(ShardRule::kRangeShareKeys))
            left += f * (1 - f) * perKey(s) * perKey(s) * length(s);
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return perKey(a) > perKey(b); });
    for (size_t s : order) {
        if (left <= allowed)
            break;
        const KeySegment& segment = m_law.segments[s];
        if (length(s) <= static_cast<double>(ShardRule::kRangeShareKeys) || segment.first > reach)
            continue;
        const double perKeyVariance = f * (1 - f) * perKey(s) * perKey(s);
        uint64_t keys = segment.last - segment.first + 1;
        if (const double needed = std::ceil((left - allowed) / perKeyVariance);
            segment.last > counter->exactKeys() && needed < static_cast<double>(keys))
            keys = static_cast<uint64_t>(needed);
        keys = std::min(keys, reach - segment.first + 1);
        counted[s] = segment.first + keys - 1;
        left -= perKeyVariance * static_cast<double>(keys);
    }
    return counted;
}

const std::vector<std::pair<int32_t, double>>& KeyDomain::keyShardLaw(const KeySegment& segment)
{
    const auto known = m_keyShardLaws.find({ segment.first, segment.last, segment.shape });
    if (known != m_keyShardLaws.end())
        return known->second;
    if (m_keyShardLaws.size() >= kMaxKeyShardLaws) // segments that moved (a drifting hotspot's): start afresh
        m_keyShardLaws.clear();
    // Every key routed and weighed as the law weighs it within the segment.
    const size_t shards = static_cast<size_t>(m_rule->shardCount());
    std::vector<double> law(shards + 1, 0.0); // the refused keys last
    constexpr size_t kBatch = 512;
    int64_t keys[kBatch];
    int32_t routed[kBatch];
    for (uint64_t from = segment.first; from <= segment.last;) {
        const size_t count = static_cast<size_t>(std::min<uint64_t>(kBatch, segment.last - from + 1));
        for (size_t i = 0; i < count; ++i)
            keys[i] = static_cast<int64_t>(from + i);
        m_rule->shardsOfIntegers(std::span<const int64_t>(keys, count), std::span<int32_t>(routed, count));
        for (size_t i = 0; i < count; ++i) {
            const double weight = segment.shape == SegmentShape::PowerFromStart
                ? std::pow(static_cast<double>(from + i), -m_law.theta)
                : 1.0;
            law[routed[i] >= 0 ? static_cast<size_t>(routed[i]) : shards] += weight;
        }
        from += count;
    }
    double total = 0;
    for (double weight : law)
        total += weight;
    std::vector<std::pair<int32_t, double>> sparse;
    for (size_t i = 0; i < law.size(); ++i) {
        if (law[i] > 0)
            sparse.emplace_back(i < shards ? static_cast<int32_t>(i) : -1, law[i] / total);
    }
    return m_keyShardLaws.emplace(std::tuple(segment.first, segment.last, segment.shape), std::move(sparse))
        .first->second;
}

void KeyDomain::useSegmentShares(KeySampler& sampler)
{
    // The segments the expected engine gives its fractions or closed forms get those (beyond the counter's reach
    // too, as there); the others are exact. A segment it would route or count whole is routed here on its own and
    // weighed as the law weighs its keys (keyShardLaw), kept across rebuilds; a latest law's are not (their keys'
    // weights move with every new key), and neither is a segment whose keys the bound needs counted only in part:
    // their drawn keys are routed one by one, exact, without sweeping the counter over every key before them.
    const auto isShort = [](const KeySegment& segment) {
        return segment.last - segment.first < uint64_t(ShardRule::kRangeShareKeys);
    };
    const auto exact = [&](const KeySegment& segment, uint64_t countedLast) {
        return segment.shape != SegmentShape::PowerFromEnd && (isShort(segment) || countedLast == segment.last);
    };
    const auto addExact = [&](const KeySegment& segment, double mass, std::span<double> shares) {
        double refused = 0;
        for (const auto& [shard, part] : keyShardLaw(segment))
            (shard >= 0 ? shares[static_cast<size_t>(shard)] : refused) += mass * part;
        return refused;
    };
    const auto addRuleShares = [&](const KeySegment& segment, double mass, std::span<double> shares) {
        return m_rule->addRangeShares(
            static_cast<int64_t>(segment.first), static_cast<int64_t>(segment.last), mass, shares);
    };
    std::vector<uint64_t> counted(m_law.segments.size(), 0);
    if (countsSegments()) {
        std::vector<double> provisional(static_cast<size_t>(m_rule->shardCount()), 0.0);
        const std::vector<std::pair<uint64_t, int>> points = sampler.pointShards();
        for (size_t i = 0; i < points.size(); ++i) {
            if (points[i].second >= 0)
                provisional[static_cast<size_t>(points[i].second)] += m_law.points[i].mass;
        }
        for (const KeySegment& segment : m_law.segments) {
            if (exact(segment, 0))
                addExact(segment, segment.mass, provisional);
            else
                addRuleShares(segment, segment.mass, provisional);
        }
        counted = segmentsToCount(provisional, m_settings.counter->reach());
    }
    sampler.useSegmentShares([&](size_t s, std::span<double> shares) -> std::optional<double> {
        const KeySegment& segment = m_law.segments[s];
        if (exact(segment, counted[s]))
            return addExact(segment, 1, shares);
        if (isShort(segment) || counted[s] > 0)
            return std::nullopt;
        return addRuleShares(segment, 1, shares);
    });
}

void KeyDomain::rebuild(uint64_t keys)
{
    // setKeyCount can be costly (scrambled-zipf re-sorts its hot keys), so it only runs here.
    m_distribution->setKeyCount(keys);
    KeyLawOptions options;
    options.headKeys = m_settings.headKeys;
    options.cuts = m_cuts;
    m_law = cutKeyLaw(*m_distribution, m_config, options);
    if (const auto* hotspot = asHotspot(*m_distribution))
        m_hotFirst = hotspot->firstHotKey();
    ++m_version;

    if (m_settings.engine == EngineMode::Sampled) {
        // Only keys that are still routed one by one are worth remembering: a latest law's, scrambled-zipf's.
        const bool routesKeys = m_law.drawWithDistribution
            || std::any_of(m_law.segments.begin(), m_law.segments.end(),
                [](const KeySegment& segment) { return segment.shape == SegmentShape::PowerFromEnd; });
        const std::optional<HeadWindow> window = m_settings.geoRule || !routesKeys ? std::nullopt : headWindowOf(m_law);
        if (window && !m_remember)
            m_remember = m_settings.rememberHeadRoutes || HeadRoutes::worthRemembering(*m_rule, window->first + 1);
        if (!window || !*m_remember)
            m_headRoutes.reset();
        else if (!m_headRoutes || HeadWindow { m_headRoutes->first(), m_headRoutes->keyCount() } != *window)
            m_headRoutes = std::make_unique<HeadRoutes>(*m_rule, window->first, window->keyCount);
        m_sampler = std::make_unique<KeySampler>(m_law, *m_distribution, *m_rule, m_settings.heat, m_headRoutes.get());
        if (!m_settings.geoRule && !m_law.drawWithDistribution)
            useSegmentShares(*m_sampler);
        return;
    }
    m_shardShares.assign(static_cast<size_t>(m_rule->shardCount()), 0.0);
    m_refusedShare = 0;
    if (!m_settings.geoRule) {
        for (const KeyPoint& point : m_law.points) {
            const int shard = m_rule->shardOfInteger(static_cast<int64_t>(point.key));
            if (shard >= 0)
                m_shardShares[static_cast<size_t>(shard)] += point.mass;
            else
                m_refusedShare += point.mass;
        }
        std::vector<uint64_t> counted(m_law.segments.size(), 0);
        if (countsSegments()) {
            std::vector<double> provisional = m_shardShares;
            for (const KeySegment& segment : m_law.segments)
                m_rule->addRangeShares(
                    static_cast<int64_t>(segment.first), static_cast<int64_t>(segment.last), segment.mass, provisional);
            counted = segmentsToCount(provisional, m_settings.counter->reach());
        }
        for (size_t s = 0; s < m_law.segments.size(); ++s) {
            const KeySegment& segment = m_law.segments[s];
            const auto first = static_cast<int64_t>(segment.first);
            const auto last = static_cast<int64_t>(segment.last);
            m_refusedShare += counted[s] > 0
                ? m_settings.counter->addRangeShares(first, last, segment.mass, m_shardShares, counted[s])
                : m_rule->addRangeShares(first, last, segment.mass, m_shardShares);
        }
    }
    m_heatShares.clear();
    if (m_settings.heat) {
        for (int b = 0; b < m_settings.heat->buckets(); ++b)
            m_heatShares.push_back(
                m_distribution->probabilityOfRange(m_settings.heat->firstKey(b), m_settings.heat->lastKey(b)));
    }
}

Result<std::vector<std::unique_ptr<KeyDomain>>> makeKeyDomains(const RunPlan& plan, const KeyDistributionConfig& keys,
    const ShardRule& rule, const KeyDomainSettings& settings, uint64_t seed)
{
    std::vector<std::unique_ptr<KeyDomain>> domains;
    const workload::RandomStreams streams(seed);
    const auto add = [&](int domain, const KeyDistributionConfig& law, const std::string& where) -> Result<bool> {
        const DomainPlan& keySpace = plan.domains()[static_cast<size_t>(domain)];
        workload::RandomEngine placement = streams.engine("placement", domains.size());
        KeyDistributionConfig resolved = law;
        if (law.kind == KeyDistributionKind::Recent && law.window > 0 && !(law.windowKeys > 0))
            resolved.windowKeys = law.window * keySpace.growth; // the keys inserted during the window
        auto distribution = workload::makeKeyDistribution(resolved, keySpace.keysAt(0), placement);
        if (!distribution)
            return fail(where + ": " + distribution.error());
        KeyDomainSettings own = settings;
        own.heat = domain == plan.heatDomain() ? settings.heat : nullptr;
        domains.push_back(std::make_unique<KeyDomain>(keySpace, std::move(*distribution), resolved, rule, own));
        return true;
    };
    for (size_t d = 0; d < plan.domains().size(); ++d) {
        if (auto added = add(static_cast<int>(d), keys, "workload.keys"); !added)
            return fail(added.error());
    }
    for (const KeyLawPlan& law : plan.keyLaws()) {
        if (auto added = add(law.domain, law.keys, "workload.mix " + law.op + ": key_distribution"); !added)
            return fail(added.error());
    }
    return domains;
}

} // namespace shardsim::engine
