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

    // TiKV v8.5.0 with PD v8.5.0 (raftstore v1, the default engine). TiKV 8.4 raised region-split-size from 96MiB to
    // 256MiB; region-max-size, the key limits and PD's merge limits follow from it.
    AutoRangeSettings tikv()
    {
        AutoRangeSettings s;
        s.preset = "tikv";
        s.version = "TiKV 8.5.0";
        s.splitPolicy = SplitSizePolicy::Fixed;
        s.splitBytes = 384 * kMiB; // coprocessor.region-max-size = region-split-size / 2 * 3
        s.splitTargetBytes = 256 * kMiB; // coprocessor.region-split-size
        s.splitKeys = 3'840'000; // coprocessor.region-max-keys = region-split-keys / 2 * 3
        s.splitTargetKeys = 2'560'000; // coprocessor.region-split-keys = 10,000 per MiB of region-split-size
        s.splitQps = 3000; // split.qps-threshold
        s.splitBytesPerSecond = 30 * kMiB; // split.byte-threshold
        s.splitLoad = SplitLoad::Reads; // load base split collects read statistics only
        s.splitWindows = 10; // split.detect-times
        s.loadWindowSeconds = 1; // the load base split check interval
        s.mergeBytes = 54 * kMiB; // PD schedule.max-merge-region-size
        s.mergeKeys = 540'000; // PD schedule.max-merge-region-keys = 10,000 x max-merge-region-size
        s.splitMergeIntervalSeconds = 3600; // PD schedule.split-merge-interval
        s.score = BalanceScore::Bytes; // PD's region score: the regions' sizes while disks have room
        s.tolerance = 2; // source minus target must exceed 2 x tolerant-size-ratio (at least 1) x region size
        s.movesPerNode = 64; // PD schedule.max-snapshot-count
        s.movesAtOnce = 2048; // PD schedule.region-schedule-limit
        s.moveStartsPerNodePerSecond = 15.0 / 60; // PD store limit: 15 add-peer per store per minute
        s.snapshotBytesPerSecond = 100 * kMiB; // server.snap-io-max-bytes-per-sec
        s.balanceIntervalSeconds = 0.01; // PD's MinScheduleInterval, while a scheduler finds work
        s.replicas = 3; // PD replication.max-replicas
        s.hotSchedule = true; // PD's balance-hot-region-scheduler, one of its default schedulers
        s.hotIntervalSeconds = 1; // minHotScheduleInterval, while the scheduler finds work
        s.hotMaxIntervalSeconds = 20; // maxHotScheduleInterval, growing by 1.3 (scheduleIntervalFactor) meanwhile
        s.hotMinRate = 128; // MinHotThresholds' read query rate: a peer below it is not hot (min-hot-query-rate is 10)
        s.hotWindows = 30; // hot-region-cache-hits-threshold: 3 store heartbeats of 10 s (1 s load windows)
        s.hotTolerance = 0.05; // src-tolerance-ratio and dst-tolerance-ratio 1.05
        s.hotMovesAtOnce = 4; // schedule.hot-region-schedule-limit
        return s;
    }

    // CockroachDB v24.3 (cluster settings and the default zone configuration).
    AutoRangeSettings cockroachdb()
    {
        AutoRangeSettings s;
        s.preset = "cockroachdb";
        s.version = "CockroachDB v24.3";
        s.splitPolicy = SplitSizePolicy::Fixed;
        s.splitBytes = 512 * kMiB; // range_max_bytes; the split key halves the range
        s.splitQps = 2500; // kv.range_split.load_qps_threshold
        s.splitLoad = SplitLoad::ReadsAndWrites; // every batch request counts
        s.splitWindows = 10; // split.RecordDurationThreshold (10 s) of 1 s QPS samples above the threshold
        s.loadWindowSeconds = 1; // the decider's QPS sample
        s.mergeBytes = 128 * kMiB; // range_min_bytes
        s.splitMergeIntervalSeconds = 300; // kv.range_split.by_load_merge_delay
        s.score = BalanceScore::RangeCount; // the replicate queue converges range counts
        s.tolerance = 0.05; // kv.allocator.range_rebalance_threshold
        s.toleranceRanges = 2; // minRangeRebalanceThreshold
        s.movesPerNode = 1; // kv.store.raft_snapshot.apply_limit: one snapshot applied at a time per store
        s.snapshotBytesPerSecond = 32 * kMiB; // kv.snapshot_rebalance.max_rate
        s.balanceIntervalSeconds = 60; // kv.allocator.load_based_rebalancing_interval
        s.replicas = 3; // num_replicas of the default zone
        s.hotSchedule = true; // kv.allocator.load_based_rebalancing = leases and replicas, by QPS
        s.hotIntervalSeconds = 60; // the store rebalancer's kv.allocator.load_based_rebalancing_interval
        s.hotTolerance = 0.1; // kv.allocator.qps_rebalance_threshold
        s.hotMinDifference = 100; // allocator.MinQPSThresholdDifference
        return s;
    }

    // MongoDB 7.0. Since 6.0.3 a chunk does not split by size on its own: the balancer evens out data size per shard
    // and moves ranges of the range size, cutting them off bigger chunks as it goes.
    AutoRangeSettings mongodb()
    {
        AutoRangeSettings s;
        s.preset = "mongodb";
        s.version = "MongoDB 7.0";
        s.splitPolicy = SplitSizePolicy::Fixed;
        s.splitBytes = 0; // no auto-splitter since 6.0.3
        s.moveBytes = 128 * kMiB; // chunkSize (ChunkSizeSettingsType::kDefaultMaxChunkSizeBytes)
        s.score = BalanceScore::Bytes; // data size per shard, per collection
        s.toleranceBytes = 3 * 128 * kMiB; // balancer_policy.cpp: no migration below 3 x maxChunkSizeBytes
        s.movesPerNode = 1; // a shard takes part in one migration at a time
        s.balanceIntervalSeconds = 10; // Balancer::kBalanceRoundDefaultInterval
        s.replicas = 1; // a chunk lives on one shard; the shard's replica set is inside the node
        return s;
    }

    // HBase 2.5: SteppingSplitPolicy, the default since 2.0, and the StochasticLoadBalancer's region counts.
    AutoRangeSettings hbase()
    {
        AutoRangeSettings s;
        s.preset = "hbase";
        s.version = "HBase 2.5";
        s.splitPolicy = SplitSizePolicy::HBaseStepping;
        s.flushBytes = 128 * kMiB; // hbase.hregion.memstore.flush.size
        s.maxFileBytes = 10 * kGiB; // hbase.hregion.max.filesize
        s.score = BalanceScore::RangeCount; // the region count skew cost
        s.tolerance = 0.001; // hbase.regions.slop of the StochasticLoadBalancer
        s.toleranceRanges = 1; // the slop band is rounded out to whole regions
        s.movesPerNode = 0; // hbase.master.balancer.maxRitPercent 1.0: no limit on regions in transition
        s.moveCopiesBytes = false; // the store files stay on HDFS; a move closes and reopens the region
        s.balanceIntervalSeconds = 300; // hbase.balancer.period
        s.replicas = 1; // REGION_REPLICATION 1 (HDFS keeps the files' own three copies)
        return s;
    }

    // YugabyteDB v2024.2: automatic tablet splitting in three phases, and the cluster balancer's tablet counts.
    AutoRangeSettings yugabyte()
    {
        AutoRangeSettings s;
        s.preset = "yugabyte";
        s.version = "YugabyteDB v2024.2";
        s.splitPolicy = SplitSizePolicy::YugabytePhases;
        s.lowPhaseBytes = 512 * kMiB; // tablet_split_low_phase_size_threshold_bytes
        s.lowPhaseRangesPerNode = 8; // tablet_split_low_phase_shard_count_per_node
        s.highPhaseBytes = 10 * kGiB; // tablet_split_high_phase_size_threshold_bytes
        s.highPhaseRangesPerNode = 24; // tablet_split_high_phase_shard_count_per_node
        s.forceSplitBytes = 100 * kGiB; // tablet_force_split_threshold_bytes
        s.score = BalanceScore::RangeCount; // tablets per tserver
        s.toleranceRanges = 1; // balanced when the tservers' tablet counts differ by at most one
        s.movesPerNode = 2; // load_balancer_max_concurrent_tablet_remote_bootstraps_per_table
        s.movesAtOnce = 2; // the same per-table limit bounds the whole table
        s.snapshotBytesPerSecond = 256 * kMiB; // remote_bootstrap_rate_limit_bytes_per_sec
        s.balanceIntervalSeconds = 1; // catalog_manager_bg_task_wait_ms: the balancer runs every background loop
        s.replicas = 3; // replication_factor
        return s;
    }

    // FoundationDB 7.3.79: data distribution's shard size grows with the square root of the database's size.
    AutoRangeSettings foundationdb()
    {
        AutoRangeSettings s;
        s.preset = "foundationdb";
        s.version = "FoundationDB 7.3.79";
        s.splitPolicy = SplitSizePolicy::FoundationDbSqrt;
        s.minShardBytes = 10'000'000; // MIN_SHARD_BYTES
        s.shardBytesPerSqrtBytes = 45; // SHARD_BYTES_PER_SQRT_BYTES
        s.shardBytesRatio = 4; // SHARD_BYTES_RATIO
        s.maxShardBytes = 500'000'000; // MAX_SHARD_BYTES
        s.splitBytesPerSecond = 1'000'000; // SHARD_MAX_BYTES_PER_KSEC = 1e9 bytes per 1000 s
        s.splitLoad = SplitLoad::Writes; // the bandwidth is bytes written
        s.loadWindowSeconds = 120; // STORAGE_METRICS_AVERAGE_INTERVAL, over which the bandwidth is averaged
        s.mergeSplitFraction = 0.25; // a shard below maxShardSize / SHARD_BYTES_RATIO merges
        s.splitMergeIntervalSeconds = 300; // DD_MERGE_COALESCE_DELAY
        s.score = BalanceScore::Bytes; // bytes per storage team
        s.tolerance = 3; // no rebalance unless source - destination > 3 x max(MIN_SHARD_BYTES, shard bytes)
        s.movesPerNode = 2; // RELOCATION_PARALLELISM_PER_SOURCE_SERVER
        s.movesAtOnce = 50; // DD_REBALANCE_PARALLELISM
        s.balanceIntervalSeconds = 1; // BG_REBALANCE_POLLING_INTERVAL
        s.replicas = 3; // triple redundancy
        return s;
    }

    struct Preset {
        const char* name;
        AutoRangeSettings (*make)();
    };

    constexpr Preset kPresets[] = {
        { "tikv", tikv },
        { "cockroachdb", cockroachdb },
        { "mongodb", mongodb },
        { "hbase", hbase },
        { "yugabyte", yugabyte },
        { "foundationdb", foundationdb },
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
        return rangesPerNode == 1 ? 2 * s.flushBytes : s.maxFileBytes;
    case SplitSizePolicy::YugabytePhases:
        if (rangesPerNode < s.lowPhaseRangesPerNode)
            return s.lowPhaseBytes;
        if (rangesPerNode < s.highPhaseRangesPerNode)
            return s.highPhaseBytes;
        return s.forceSplitBytes;
    case SplitSizePolicy::FoundationDbSqrt:
        // getMaxShardSize (fdbserver/DDShardTracker.actor.cpp): (MIN_SHARD_BYTES + sqrt(bytes) x
        // SHARD_BYTES_PER_SQRT_BYTES) x SHARD_BYTES_RATIO, at most MAX_SHARD_BYTES; the square root is cut to a whole
        // number by an int64 cast.
        return std::min((s.minShardBytes + std::floor(std::sqrt(std::max(tableBytes, 0.0))) * s.shardBytesPerSqrtBytes)
                * s.shardBytesRatio,
            s.maxShardBytes);
    }
    return s.splitBytes;
}

double mergeThresholdBytes(const AutoRangeSettings& s, double tableBytes, double rangesPerNode)
{
    if (s.mergeSplitFraction > 0)
        return s.mergeSplitFraction * splitThresholdBytes(s, tableBytes, rangesPerNode);
    return s.mergeBytes;
}

} // namespace shardsim
