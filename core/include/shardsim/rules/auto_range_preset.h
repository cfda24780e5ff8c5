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
    RangeCount, // ranges (replicas) per node (TiKV's region score in its default mode, CockroachDB)
    Bytes, // bytes per node (MongoDB 6.0+, FoundationDB)
    Load, // requests per node
};

// As `split_policy=` and `score=` write them.
inline constexpr EnumNames<SplitSizePolicy, 4> kSplitSizePolicyNames { { "fixed", "hbase-stepping", "yugabyte-phases",
    "foundationdb-sqrt" } };
inline constexpr EnumNames<BalanceScore, 3> kBalanceScoreNames { { "range-count", "bytes", "load" } };

struct AutoRangeSettings {
    std::string preset; // "tikv", ...
    std::string version; // the system and version the defaults follow, e.g. "TiKV 7.5"

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
    double splitBytesPerSecond = 0; // or bytes/s read and written
    int splitWindows = 1; // consecutive load windows above the threshold before it splits
    double loadWindowSeconds = 1; // the length of one load window

    // ---- Merge (0 mergeBytes: the system does not merge on its own) --------------------------------------------
    double mergeBytes = 0; // two adjacent ranges both below this may merge
    double mergeKeys = 0; // and both below this many keys (0: no key limit)
    double splitMergeIntervalSeconds = 0; // a range younger than this (since its split) does not merge

    // ---- Balance ---------------------------------------------------------------------------------------------
    BalanceScore score = BalanceScore::RangeCount;
    double tolerance = 0; // nodes within this fraction of the mean score (or, for Bytes, of ranges' size) are balanced
    double toleranceBytes = 0; // Bytes: the absolute difference that triggers a move (MongoDB: 3 x range size)
    int movesPerNode = 1; // moves a node takes part in at once
    int movesAtOnce = 0; // moves in the whole cluster at once (0: no cluster limit)
    double moveStartsPerNodePerSecond = 0; // moves a node may start per second (TiKV's store limit; 0: no limit)
    double moveBytes = 0; // a move cuts a piece of this many bytes off a bigger range and moves only that
                          // (MongoDB 6.0.3+'s moveRange); 0: a move takes the whole range
    double snapshotBytesPerSecond = 0; // bytes/s one move copies at
    double balanceIntervalSeconds = 0; // how often the balancer looks for moves
    int replicas = 3; // copies of every range
};

// The preset's defaults, or an error naming the presets there are.
Result<AutoRangeSettings> autoRangePreset(std::string_view name);
std::vector<std::string> autoRangePresetNames();

// The size above which a range of a table splits, for a table of `tableBytes` bytes that has `rangesPerNode`
// ranges on the node holding the range (policies other than Fixed depend on them).
double splitThresholdBytes(const AutoRangeSettings& settings, double tableBytes, double rangesPerNode);

} // namespace shardsim
