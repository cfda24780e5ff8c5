#include "engine/key_law.h"

#include <algorithm>
#include <cmath>

#include "shardsim/workload/hotspot_keys.h"
#include "shardsim/workload/recent_keys.h"
#include "shardsim/workload/sample_keys.h"
#include "shardsim/workload/scrambled_zipf_keys.h"

namespace shardsim::engine {

namespace {

    using workload::KeyDistribution;

    // Appends first..last, split at every cut inside it, each piece with its exact mass.
    void addSegment(KeyLaw& law, const KeyDistribution& distribution, uint64_t first, uint64_t last, SegmentShape shape,
        std::span<const uint64_t> cuts)
    {
        if (last < first)
            return;
        auto cut = std::upper_bound(cuts.begin(), cuts.end(), first);
        uint64_t from = first;
        while (from <= last) {
            const uint64_t to = cut != cuts.end() && *cut <= last ? *cut - 1 : last;
            law.segments.push_back({ from, to, distribution.probabilityOfRange(from, to), shape });
            if (to == last)
                break;
            from = to + 1;
            ++cut;
        }
    }

    // Segments over ranks from..n that grow geometrically, mapped to keys by `keyOf` (rank -> key, monotone).
    template <typename KeyOf>
    void addPowerTail(KeyLaw& law, const KeyDistribution& distribution, uint64_t from, uint64_t n, double growth,
        SegmentShape shape, KeyOf keyOf, std::span<const uint64_t> cuts)
    {
        while (from <= n) {
            const double stretched = std::floor(static_cast<double>(from) * (1 + growth));
            const uint64_t to = std::clamp<uint64_t>(static_cast<uint64_t>(stretched), from, n);
            const uint64_t a = keyOf(from);
            const uint64_t b = keyOf(to);
            addSegment(law, distribution, std::min(a, b), std::max(a, b), shape, cuts);
            from = to + 1;
        }
    }

    void sortPieces(KeyLaw& law)
    {
        std::sort(
            law.points.begin(), law.points.end(), [](const KeyPoint& a, const KeyPoint& b) { return a.key < b.key; });
        std::sort(law.segments.begin(), law.segments.end(),
            [](const KeySegment& a, const KeySegment& b) { return a.first < b.first; });
    }

} // namespace

KeyLaw cutKeyLaw(const KeyDistribution& distribution, const KeyDistributionConfig& config, const KeyLawOptions& options)
{
    KeyLaw law;
    const uint64_t n = distribution.keyCount();
    law.keyCount = n;
    law.theta = config.theta;
    if (n == 0)
        return law;
    const uint64_t head = std::min(options.headKeys, n);
    switch (config.kind) {
    case KeyDistributionKind::Zipf:
        for (uint64_t key = 1; key <= head; ++key)
            law.points.push_back({ key, distribution.probabilityOfRange(key, key) });
        addPowerTail(
            law, distribution, head + 1, n, options.segmentGrowth, SegmentShape::PowerFromStart,
            [](uint64_t rank) { return rank; }, options.cuts);
        break;
    case KeyDistributionKind::Latest:
        law.rankBase = n + 1;
        for (uint64_t rank = head; rank >= 1; --rank)
            law.points.push_back({ n + 1 - rank, distribution.probabilityOfRange(n + 1 - rank, n + 1 - rank) });
        addPowerTail(
            law, distribution, head + 1, n, options.segmentGrowth, SegmentShape::PowerFromEnd,
            [n](uint64_t rank) { return n + 1 - rank; }, options.cuts);
        break;
    case KeyDistributionKind::Hotspot:
        if (const auto* hotspot = dynamic_cast<const workload::HotspotKeys*>(&distribution)) {
            // The hot keys run from `first` for `count` keys, wrapping past n to key 1; the cold keys are the rest.
            const uint64_t first = hotspot->firstHotKey();
            const uint64_t count = hotspot->hotKeyCount();
            const uint64_t end = first + count - 1; // may pass n
            if (end <= n) {
                addSegment(law, distribution, 1, first - 1, SegmentShape::Uniform, options.cuts);
                addSegment(law, distribution, first, end, SegmentShape::Uniform, options.cuts);
                addSegment(law, distribution, end + 1, n, SegmentShape::Uniform, options.cuts);
            } else {
                addSegment(law, distribution, 1, end - n, SegmentShape::Uniform, options.cuts);
                addSegment(law, distribution, end - n + 1, first - 1, SegmentShape::Uniform, options.cuts);
                addSegment(law, distribution, first, n, SegmentShape::Uniform, options.cuts);
            }
            break;
        }
        addSegment(law, distribution, 1, n, SegmentShape::Uniform, options.cuts);
        break;
    case KeyDistributionKind::ScrambledZipf:
        if (const auto* scrambled = dynamic_cast<const workload::ScrambledZipfKeys*>(&distribution)) {
            // ScrambledZipfKeys::probabilityOfRange: the K hottest ranks exactly at their keys, scaled so that they
            // and the uniform tail add up to 1.
            const auto& ranks = scrambled->ranks();
            const uint64_t hotRanks = workload::ScrambledZipfKeys::kDefaultHotRanks;
            const double tail = 1 - ranks.cumulative(hotRanks - 1);
            double hot = 0;
            for (uint64_t rank = 0; rank < hotRanks; ++rank) {
                law.points.push_back({ scrambled->keyOfRank(rank), ranks.probability(rank) });
                hot += law.points.back().mass;
            }
            for (KeyPoint& point : law.points)
                point.mass *= (1 - tail) / hot;
            sortPieces(law);
            std::vector<KeyPoint> merged;
            for (const KeyPoint& point : law.points) {
                if (!merged.empty() && merged.back().key == point.key)
                    merged.back().mass += point.mass;
                else
                    merged.push_back(point);
            }
            law.points = std::move(merged);
            // The tail is spread evenly over all n keys, hot ones included; as a segment it carries tail * length/n.
            auto cut = std::upper_bound(options.cuts.begin(), options.cuts.end(), uint64_t(1));
            for (uint64_t from = 1; from <= n;) {
                const uint64_t to = cut != options.cuts.end() && *cut <= n ? *cut - 1 : n;
                law.segments.push_back({ from, to, tail * static_cast<double>(to - from + 1) / static_cast<double>(n),
                    SegmentShape::Uniform });
                from = to + 1;
                ++cut;
            }
            law.drawWithDistribution = true;
            break;
        }
        addSegment(law, distribution, 1, n, SegmentShape::Uniform, options.cuts);
        break;
    case KeyDistributionKind::Sample:
        if (const auto* sample = dynamic_cast<const workload::SampleKeys*>(&distribution);
            sample && !sample->activeKeys().empty()) {
            // Every key of the file is a point with its exact mass: the file is the law, and it is already in memory.
            for (uint64_t key : sample->activeKeys())
                law.points.push_back({ key, distribution.probabilityOfRange(key, key) });
            break;
        }
        addSegment(law, distribution, 1, n, SegmentShape::Uniform, options.cuts);
        break;
    case KeyDistributionKind::Recent:
        if (const auto* recent = dynamic_cast<const workload::RecentKeys*>(&distribution)) {
            // Two uniform segments: the older keys and the newest ones.
            addSegment(law, distribution, 1, recent->firstRecentKey() - 1, SegmentShape::Uniform, options.cuts);
            addSegment(law, distribution, recent->firstRecentKey(), n, SegmentShape::Uniform, options.cuts);
            break;
        }
        addSegment(law, distribution, 1, n, SegmentShape::Uniform, options.cuts);
        break;
    case KeyDistributionKind::Uniform:
    case KeyDistributionKind::Trace:
        addSegment(law, distribution, 1, n, SegmentShape::Uniform, options.cuts);
        break;
    }
    sortPieces(law);
    return law;
}

} // namespace shardsim::engine
