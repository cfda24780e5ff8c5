#pragma once
// The settings of dynamic range partitioning (`auto-range:preset=NAME,...`): when a system splits a range, when it
// merges two, and how its balancer moves ranges between nodes. Each preset is one real system's defaults, at the
// version named in `version`, with the source of every number in docs/rules.md ("auto-range presets").
// The simulation of ranges that split, merge and move is the engine's (docs/engine-model.md); this is only what it
// is configured with.

#include <string>
#include <string_view>
#include <vector>

#include "shardsim/common/enum_names.h"
#include "shardsim/common/result.h"

namespace shardsim {

// How the size at which a range splits is chosen.
enum class SplitSizePolicy {
    Fixed, // a range above splitBytes (or splitKeys) splits (TiKV, CockroachDB, MongoDB)
    HBaseStepping, // HBase's SteppingSplitPolicy: 2 x flushBytes while the table has one region on the node,
                   // else maxFileBytes
    YugabytePhases, // YugabyteDB's automatic tablet splitting: lowPhaseBytes while the table has fewer than
                    // lowPhaseRangesPerNode tablets per node, highPhaseBytes below highPhaseRangesPerNode, then only
                    // above forceSplitBytes
    FoundationDbSqrt, // FoundationDB's data distribution: the shard size grows with the square root of the
                      // database's bytes, between minShardBytes and maxShardBytes
};

// What the balancer evens out between nodes.
enum class BalanceScore {
    RangeCount, // ranges (replicas) per node (CockroachDB's replicate queue, YugabyteDB, HBase)
    Bytes, // bytes per node (TiKV's region score while disks have room, MongoDB 6.0+, FoundationDB)
    Load, // requests per node
};

// Which requests count towards a range's load for a load split.
enum class SplitLoad {
    ReadsAndWrites, // every request (CockroachDB)
    Reads, // reads only (TiKV's load base split collects read statistics)
    Writes, // writes only (FoundationDB splits shards by bytes written)
};

// As `split_policy=`, `score=` and `split_load=` write them.
inline constexpr EnumNames<SplitSizePolicy, 4> kSplitSizePolicyNames { { "fixed", "hbase-stepping", "yugabyte-phases",
    "foundationdb-sqrt" } };
inline constexpr EnumNames<BalanceScore, 3> kBalanceScoreNames { { "range-count", "bytes", "load" } };
inline constexpr EnumNames<SplitLoad, 3> kSplitLoadNames { { "all", "reads", "writes" } };
// As `hot_schedule=` writes it.
inline constexpr EnumNames<bool, 2> kHotScheduleNames { { "off", "on" } };

struct AutoRangeSettings {
    std::string preset; // "tikv", ...
    std::string version; // the system and version the defaults follow, e.g. "TiKV 8.5.0"

    // ---- Split by size -----------------------------------------------------------------------------------------
    SplitSizePolicy splitPolicy = SplitSizePolicy::Fixed;
    double splitBytes = 0; // a range above this many bytes splits (Fixed)
    double splitTargetBytes = 0; // the size of the pieces a size split cuts (0: halves)
    double splitKeys = 0; // a range above this many keys splits too (0: no key limit)
    double splitTargetKeys = 0; // the key count of the pieces a key-count split cuts (0: halves)
    double flushBytes = 0; // HBaseStepping
    double maxFileBytes = 0; // HBaseStepping
    double lowPhaseBytes = 0; // YugabytePhases
    int lowPhaseRangesPerNode = 0; // YugabytePhases
    double highPhaseBytes = 0; // YugabytePhases
    int highPhaseRangesPerNode = 0; // YugabytePhases
    double forceSplitBytes = 0; // YugabytePhases
    double minShardBytes = 0; // FoundationDbSqrt
    double shardBytesPerSqrtBytes = 0; // FoundationDbSqrt
    double shardBytesRatio = 0; // FoundationDbSqrt
    double maxShardBytes = 0; // FoundationDbSqrt

    // ---- Split by load (0 thresholds: the system does not split by load) -------------------------------------
    double splitQps = 0; // requests/s on one range above which it is hot
    double splitBytesPerSecond = 0; // or bytes/s (of the requests splitLoad counts)
    SplitLoad splitLoad = SplitLoad::ReadsAndWrites; // which requests count
    int splitWindows = 1; // consecutive load windows above the threshold before it splits
    double loadWindowSeconds = 1; // the length of one load window

    // ---- Merge (mergeBytes and mergeSplitFraction both 0: the system does not merge on its own) ---------------
    double mergeBytes = 0; // two adjacent ranges both below this may merge
    double mergeSplitFraction = 0; // or, when not 0, both below this fraction of the split size in effect
                                   // (FoundationDB: 1 / SHARD_BYTES_RATIO); see mergeThresholdBytes
    double mergeKeys = 0; // and both below this many keys (0: no key limit)
    double splitMergeIntervalSeconds = 0; // a range younger than this (since its split) does not merge

    // ---- Balance ---------------------------------------------------------------------------------------------
    BalanceScore score = BalanceScore::RangeCount;
    // RangeCount and Load: a node is out of balance when its score is more than max(tolerance x the mean,
    // toleranceRanges) away from the mean (CockroachDB: 5%, at least 2 replicas); moves go from nodes above to nodes
    // below. Bytes: a range moves from a fuller to an emptier node only while their bytes differ by more than
    // tolerance x the mean range size + toleranceBytes (TiKV: 2 region sizes; FoundationDB: 3 shard sizes;
    // MongoDB: 3 x the range size, written as toleranceBytes).
    double tolerance = 0;
    double toleranceRanges = 0; // RangeCount and Load, in ranges
    double toleranceBytes = 0; // Bytes
    int movesPerNode = 1; // moves a node takes part in at once (0: no limit)
    int movesAtOnce = 0; // moves in the whole cluster at once (0: no cluster limit)
    double moveStartsPerNodePerSecond = 0; // moves a node may start per second (TiKV's store limit; 0: no limit)
    double moveBytes = 0; // a move cuts a piece of this many bytes off a bigger range and moves only that
                          // (MongoDB 6.0.3+'s moveRange); 0: a move takes the whole range
    bool moveCopiesBytes = true; // false: a move reassigns the range without copying it (HBase: regions live on
                                 // HDFS, a move only closes and reopens them)
    double snapshotBytesPerSecond = 0; // bytes/s one move copies at (0: no limit of the system's own; the
                                       // scenario's migration bandwidth applies)
    double balanceIntervalSeconds = 0; // how often the balancer looks for moves
    int replicas = 3; // copies of every range

    // ---- Hot-range scheduling: a second scheduler beside the balance, by load (TiKV's balance-hot-region-scheduler,
    // CockroachDB's store rebalancer). Every hotIntervalSeconds, while the busiest node's load (its leaders' rates) is
    // more than the band max(hotTolerance x the mean, hotMinDifference) above the mean, the hottest hot range on it
    // that narrows the gap goes to a node more than the band below the mean: its leader passes at once to a node
    // holding a follower copy (no bytes copied), else the range moves as a balancer move does.
    bool hotSchedule = false;
    double hotIntervalSeconds = 1; // s
    // s: a round that finds nothing to do waits 1.3 times longer before the next, up to this (PD's backoff; 0 or
    // at most hotIntervalSeconds: no backoff)
    double hotMaxIntervalSeconds = 0;
    double hotMinRate = 0; // requests/s a range needs to be hot (PD's min-hot-query-rate)
    int hotWindows = 1; // load windows in a row at or above hotMinRate before a range counts as hot
    double hotTolerance = 0; // fraction of the mean load
    double hotMinDifference = 0; // requests/s: the least the band is
    int hotMovesAtOnce = 0; // the scheduler's operations per round and in flight (0: no limit)
};

// The preset's defaults, or an error naming the presets there are.
Result<AutoRangeSettings> autoRangePreset(std::string_view name);
std::vector<std::string> autoRangePresetNames();

// The size above which a range of a table splits, for a table of `tableBytes` bytes that has `rangesPerNode`
// ranges on the node holding the range (policies other than Fixed depend on them).
double splitThresholdBytes(const AutoRangeSettings& settings, double tableBytes, double rangesPerNode);

// The size below which two adjacent ranges may merge, in the same terms: mergeBytes, or mergeSplitFraction of the split
// threshold. 0 when the system does not merge.
double mergeThresholdBytes(const AutoRangeSettings& settings, double tableBytes, double rangesPerNode);

} // namespace shardsim
