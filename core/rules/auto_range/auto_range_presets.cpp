// The six presets of `auto-range`: each is one system's defaults at the version in `version`. docs/rules.md
// ("auto-range presets") gives the system's own name and source (file at a release tag, or documentation page) of
// every number, and what the simulation leaves out.

#include "shardsim/rules/auto_range_preset.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "shardsim/common/suggest.h"

namespace shardsim {

namespace {

    constexpr double kKiB = 1024.0;
    constexpr double kMiB = 1024.0 * kKiB;
    constexpr double kGiB = 1024.0 * kMiB;

    // TiKV v8.5.0 with PD v8.5.0 (raftstore v1, the default engine). TiKV 8.4 raised region-split-size from 96MiB
    // to 256MiB; region-max-size, the key limits and PD's merge limits follow from it.
    AutoRangeSettings tikv()
    {
        AutoRangeSettings s;
        s.preset = "tikv";
        s.version = "TiKV 8.5.0";
        s.splitPolicy = SplitSizePolicy::Fixed;
        s.splitBytes = 384 * kMiB; // region-max-size = region-split-size / 2 * 3
        s.splitTargetBytes = 256 * kMiB; // region-split-size
        s.splitKeys = 3'840'000; // region-max-keys = region-split-keys / 2 * 3
        s.splitTargetKeys = 2'560'000; // region-split-keys = 10,000 per MiB of region-split-size
        s.splitQps = 3000; // split.qps-threshold
        s.splitBytesPerSecond = 30 * kMiB; // split.byte-threshold
        s.splitWindows = 10; // split.detect-times
        s.loadWindowSeconds = 1; // the load-based split check interval
        s.mergeBytes = 54 * kMiB; // PD schedule.max-merge-region-size
        s.mergeKeys = 540'000; // PD schedule.max-merge-region-keys = 10,000 x max-merge-region-size
        s.splitMergeIntervalSeconds = 3600; // PD schedule.split-merge-interval
        s.score = BalanceScore::Bytes; // PD's region score: the regions' sizes while disks have room
        s.tolerance = 2; // the source must exceed the target by 2 x tolerant-size-ratio (at least 1) region sizes
        s.movesPerNode = 64; // PD schedule.max-snapshot-count
        s.movesAtOnce = 2048; // PD schedule.region-schedule-limit
        s.moveStartsPerNodePerSecond = 15.0 / 60; // PD store limit: 15 add-peer per store per minute
        s.snapshotBytesPerSecond = 100 * kMiB; // server.snap-io-max-bytes-per-sec
        s.balanceIntervalSeconds = 0.01; // PD's shortest schedule interval (patrol-region-interval 10ms)
        s.replicas = 3; // PD replication.max-replicas
        return s;
    }

    // CockroachDB v24.3 (cluster settings and the default zone configuration).
    AutoRangeSettings cockroachdb()
    {
        AutoRangeSettings s;
        s.preset = "cockroachdb";
        s.version = "CockroachDB v24.3";
        s.splitPolicy = SplitSizePolicy::Fixed;
        s.splitBytes = 512 * kMiB; // range_max_bytes; a range splits in half
        s.splitQps = 2500; // kv.range_split.load_qps_threshold
        s.splitWindows = 10; // the split finder samples 10 s of 1 s QPS windows above the threshold
        s.loadWindowSeconds = 1; // the decider's QPS sample
        s.mergeBytes = 128 * kMiB; // range_min_bytes
        s.splitMergeIntervalSeconds = 300; // kv.range_split.by_load_merge_delay
        s.score = BalanceScore::RangeCount; // the replicate queue evens out range counts
        s.tolerance = 0.05; // kv.allocator.range_rebalance_threshold
        s.movesPerNode = 1; // a store receives one rebalance snapshot at a time
        s.snapshotBytesPerSecond = 32 * kMiB; // kv.snapshot_rebalance.max_rate
        s.balanceIntervalSeconds = 60; // the replicate queue's scan of every range (server.scanner min interval)
        s.replicas = 3; // num_replicas
        return s;
    }

    struct Preset {
        const char* name;
        AutoRangeSettings (*make)();
    };

    constexpr Preset kPresets[] = {
        { "tikv", tikv },
        { "cockroachdb", cockroachdb },
    };

} // namespace

Result<AutoRangeSettings> autoRangePreset(std::string_view name)
{
    for (const Preset& preset : kPresets)
        if (name == preset.name)
            return preset.make();
    const auto names = autoRangePresetNames();
    std::string list;
    for (size_t i = 0; i < names.size(); ++i)
        list += (i ? ", " : "") + names[i];
    return fail(
        fmt::format("unknown auto-range preset '{}'; the presets are {}{}", name, list, didYouMean(name, names)));
}

std::vector<std::string> autoRangePresetNames()
{
    std::vector<std::string> names;
    for (const Preset& preset : kPresets)
        names.emplace_back(preset.name);
    return names;
}

double splitThresholdBytes(const AutoRangeSettings& s, double tableBytes, double rangesPerNode)
{
    switch (s.splitPolicy) {
    case SplitSizePolicy::Fixed:
        return s.splitBytes;
    case SplitSizePolicy::HBaseStepping:
        // SteppingSplitPolicy.getSizeToCheck: the table's only region on the server splits early.
        return rangesPerNode <= 1 ? 2 * s.flushBytes : s.maxFileBytes;
    case SplitSizePolicy::YugabytePhases:
        if (rangesPerNode < s.lowPhaseRangesPerNode)
            return s.lowPhaseBytes;
        if (rangesPerNode < s.highPhaseRangesPerNode)
            return s.highPhaseBytes;
        return s.forceSplitBytes;
    case SplitSizePolicy::FoundationDbSqrt:
        // DataDistributionTracker's getMaxShardSize: (MIN_SHARD_BYTES + sqrt(bytes) x SHARD_BYTES_PER_SQRT_BYTES) x
        // SHARD_BYTES_RATIO, at most MAX_SHARD_BYTES.
        return std::min(
            (s.minShardBytes + std::sqrt(std::max(tableBytes, 0.0)) * s.shardBytesPerSqrtBytes) * s.shardBytesRatio,
            s.maxShardBytes);
    }
    return s.splitBytes;
}

} // namespace shardsim
