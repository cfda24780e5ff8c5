#include "shardsim/workload/key_distribution.h"

#include <cmath>

#include <boost/random/uniform_01.hpp>
#include <fmt/format.h>

#include "shardsim/common/units.h"
#include "shardsim/workload/hotspot_keys.h"
#include "shardsim/workload/latest_keys.h"
#include "shardsim/workload/recent_keys.h"
#include "shardsim/workload/sample_keys.h"
#include "shardsim/workload/scrambled_zipf_keys.h"
#include "shardsim/workload/uniform_keys.h"
#include "shardsim/workload/workload_names.h"
#include "shardsim/workload/zipf_keys.h"

namespace shardsim::workload {

namespace {

    bool isFraction(double value) { return std::isfinite(value) && value >= 0 && value <= 1; }

} // namespace

Result<KeyDistributionPtr> makeKeyDistribution(
    const KeyDistributionConfig& config, uint64_t keyCount, RandomEngine& placement)
{
    if (keyCount > kMaxKeyCount)
        return fail(fmt::format("{} keys is beyond the {} a key distribution can address", keyCount, kMaxKeyCount));
    switch (config.kind) {
    case KeyDistributionKind::Uniform:
        return KeyDistributionPtr(std::make_unique<UniformKeys>(keyCount));
    case KeyDistributionKind::Zipf:
    case KeyDistributionKind::ScrambledZipf:
    case KeyDistributionKind::Latest:
        if (!(config.theta > 0 && config.theta <= 10))
            return fail(fmt::format("theta must be above 0 and at most 10, got {}", config.theta));
        if (config.kind == KeyDistributionKind::Zipf)
            return KeyDistributionPtr(std::make_unique<ZipfKeys>(config.theta, keyCount));
        if (config.kind == KeyDistributionKind::Latest)
            return KeyDistributionPtr(std::make_unique<LatestKeys>(config.theta, keyCount));
        return KeyDistributionPtr(std::make_unique<ScrambledZipfKeys>(config.theta, keyCount));
    case KeyDistributionKind::Hotspot: {
        if (!isFraction(config.hotOps))
            return fail(fmt::format("hot_ops must be a fraction between 0 and 1, got {}", config.hotOps));
        if (config.hotAt == HotspotPosition::Range) {
            if (!isFraction(config.hotBegin) || !isFraction(config.hotEnd) || config.hotBegin >= config.hotEnd)
                return fail(fmt::format("the hot range [{}, {}] must be two fractions, the first below the second",
                    config.hotBegin, config.hotEnd));
        } else if (!isFraction(config.hotFraction) || config.hotFraction <= 0) {
            return fail(fmt::format("hot_fraction must be above 0 and at most 1, got {}", config.hotFraction));
        }
        if (!std::isfinite(config.drift))
            return fail("drift must be a finite fraction of the key space per second");
        const double position
            = config.hotAt == HotspotPosition::Random ? boost::random::uniform_01<double>()(placement) : 0.0;
        return KeyDistributionPtr(std::make_unique<HotspotKeys>(config, keyCount, position));
    }
    case KeyDistributionKind::Sample: {
        auto keys = readSampleFile(config.resolvedFile.empty() ? config.file : config.resolvedFile);
        if (!keys)
            return fail(keys.error());
        return KeyDistributionPtr(std::make_unique<SampleKeys>(std::move(keys).value(), keyCount));
    }
    case KeyDistributionKind::Recent:
        if (!isFraction(config.share))
            return fail(fmt::format("share must be a fraction between 0 and 1, got {}", config.share));
        if (!(std::isfinite(config.windowKeys) && config.windowKeys > 0))
            return fail(config.window > 0
                    ? fmt::format("the last {} of inserts hold no keys: the table has no growth; give the table "
                                  "a growth or the newest keys as a count (keys: 10M)",
                        units::formatDuration(config.window))
                    : std::string("recent needs a window (window: 7d) or a count of newest keys (keys: 10M)"));
        return KeyDistributionPtr(std::make_unique<RecentKeys>(config.windowKeys, config.share, keyCount));
    case KeyDistributionKind::Trace:
        return fail("a trace replays its requests as they were (engine/trace_traffic); it is no key distribution");
    }
    return fail("unknown key distribution");
}

std::string describeKeyLaw(const KeyDistributionConfig& config)
{
    std::string text(kKeyDistributionNames.name(config.kind));
    if (config.kind == KeyDistributionKind::Zipf || config.kind == KeyDistributionKind::ScrambledZipf
        || config.kind == KeyDistributionKind::Latest)
        text += fmt::format(" theta {:g}", config.theta);
    if (config.kind == KeyDistributionKind::Hotspot)
        text += fmt::format(": {:g}% of requests on {:g}% of keys", config.hotOps * 100, config.hotFraction * 100);
    if (config.kind == KeyDistributionKind::Recent)
        text += config.window > 0
            ? fmt::format(": {:g}% of requests on the keys of the last {}", config.share * 100,
                  units::formatDuration(config.window))
            : fmt::format(": {:g}% of requests on the newest {} keys", config.share * 100,
                  units::formatCount(config.windowKeys));
    return text;
}

} // namespace shardsim::workload
