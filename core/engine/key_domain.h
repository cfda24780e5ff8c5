#pragma once
// One key domain during a run: its key distribution, the law cut from it (KeyLaw), and what each engine derives
// from the law: the expected engine each shard's share and each heat-map bucket's share, the sampled engine a
// KeySampler. All of it is rebuilt only when the law has moved enough to matter (update()), never per request and
// normally not per tick:
//
//   - keys grew by more than 1/1000 of the key count (latest: also by more than 1/64 of its hot head);
//   - the key count passed one of the rule's range boundaries (new keys start landing on the next shard);
//   - a drifting hotspot moved by more than 1/1000 of its hot keys.
//
// The sampled engine's exact segment shard laws (keyShardLaw) and HeadRoutes (the shards of a latest or
// scrambled-zipf head past the points) outlive those rebuilds: they depend on the rule only; the routes are started
// afresh when the head's window moves (latest's newest keys).

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <tuple>
#include <vector>

#include "engine/head_routes.h"
#include "engine/heat_map_layout.h"
#include "engine/key_law.h"
#include "engine/key_sampler.h"
#include "engine/range_share_counter.h"
#include "engine/run_plan.h"
#include "shardsim/common/result.h"
#include "shardsim/engine/run_result.h"
#include "shardsim/rules/shard_rule.h"
#include "shardsim/workload/key_distribution.h"

namespace shardsim::engine {

struct KeyDomainSettings {
    EngineMode engine = EngineMode::Expected; // Sampled or Expected: what to derive from the law
    uint64_t headKeys = 4096; // hottest keys kept as single points
    const HeatMapLayout* heat = nullptr; // non-null for the heat map's domain
    bool geoRule = false; // the rule routes by region: shard shares come from the regions, not from the keys
    RangeShareCounter* counter = nullptr; // expected engine: counts the rule's keys per shard (null: its fractions)
    bool rememberHeadRoutes = false; // sampled engine: keep HeadRoutes whatever the rule's keys cost (tests)
};

class KeyDomain {
public:
    KeyDomain(const DomainPlan& plan, workload::KeyDistributionPtr distribution, const KeyDistributionConfig& config,
        const ShardRule& rule, KeyDomainSettings settings);

    // Brings the law to simulated time t (the start of a tick); true when it was rebuilt.
    bool update(double t);
    int version() const { return m_version; }
    // Unique to this domain in the process: what a law was built from is known by it, not by the domain's address,
    // which a domain built after this one is destroyed may reuse.
    uint64_t serial() const { return m_serial; }
    uint64_t keyCount() const { return m_law.keyCount; }
    const KeyLaw& law() const { return m_law; }

    // Expected engine: each shard's share of this domain's requests, the share the rule refuses, and each heat-map
    // bucket's share (empty unless this is the heat map's domain).
    std::span<const double> shardShares() const { return m_shardShares; }
    double refusedShare() const { return m_refusedShare; }
    std::span<const double> heatShares() const { return m_heatShares; }

    // Sampled engine.
    const KeySampler& sampler() const { return *m_sampler; }
    const HeadRoutes* headRoutes() const { return m_headRoutes.get(); }
    bool onHeatMap() const { return m_settings.heat != nullptr; }

private:
    bool needsRebuild(uint64_t keys) const;
    void rebuild(uint64_t keys);
    // Whether any segment may need its keys counted: a hashed rule with a counter (else segmentsToCount gives none).
    bool countsSegments() const
    {
        return m_settings.counter && !m_rule->countsRangesExactly() && !m_law.segments.empty();
    }
    // For each of the law's segments, the last of its keys to count key by key (from its first); 0 gives it the
    // rule's fractions throughout. `provisional`: each shard's share, the segments' by the rule's fractions; `reach`:
    // the furthest key that may be counted.
    std::vector<uint64_t> segmentsToCount(std::span<const double> provisional, uint64_t reach) const;
    // Sampled engine: the segments draw their shards from their shard laws where those are exact (keyShardLaw,
    // closed forms) or the fractions keep the bound; the others route their drawn keys.
    void useSegmentShares(KeySampler& sampler);
    // Each shard's part (-1: refused) of a segment's draws, 1 in all: every key routed and weighed as the law weighs
    // it in the segment (uniform or power from its start); computed once per segment.
    const std::vector<std::pair<int32_t, double>>& keyShardLaw(const KeySegment& segment);
    static constexpr size_t kMaxKeyShardLaws = 4096;

    DomainPlan m_plan;
    workload::KeyDistributionPtr m_distribution;
    KeyDistributionConfig m_config;
    const ShardRule* m_rule;
    KeyDomainSettings m_settings;
    std::vector<uint64_t> m_ruleCuts; // the rule's boundaries as keys >= 1, ascending
    std::vector<uint64_t> m_cuts; // rule and heat-map cuts, ascending
    KeyLaw m_law;
    uint64_t m_hotFirst = 0; // hotspot: its first hot key when the law was cut
    int m_version = 0;
    uint64_t m_serial;
    std::vector<double> m_shardShares;
    double m_refusedShare = 0;
    std::vector<double> m_heatShares;
    std::optional<bool> m_remember; // sampled engine: whether the rule's keys are worth HeadRoutes, once decided
    std::unique_ptr<HeadRoutes> m_headRoutes;
    std::unique_ptr<KeySampler> m_sampler;
    // keyShardLaw's, by first key, last key and shape
    std::map<std::tuple<uint64_t, uint64_t, SegmentShape>, std::vector<std::pair<int32_t, double>>> m_keyShardLaws;
};

// The run's key domains, indexed as OperationPlan::law: one per DomainPlan drawn by `keys` (workload.keys), then one
// per operation's own law (RunPlan::keyLaws) over the same keys. `settings.heat` goes to the heat map's domain and
// to the laws over its keys. A hotspot placed at random draws its place from the stream ("placement", index).
Result<std::vector<std::unique_ptr<KeyDomain>>> makeKeyDomains(const RunPlan& plan, const KeyDistributionConfig& keys,
    const ShardRule& rule, const KeyDomainSettings& settings, uint64_t seed);

} // namespace shardsim::engine
